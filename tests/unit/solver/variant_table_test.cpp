// The variant table compiled into cenv (src/solver/data/cuda_variants.json) parses, and its
// facts match NVIDIA's published minimum drivers (../shared/reference/cuda.md).

#include "solver/variant_table.hpp"

#include <gtest/gtest.h>

#include "solver/error.hpp"

namespace cenv::solver {
namespace {

TEST(VariantTable, BuiltinParses) {
    const auto& table = VariantTable::builtin();
    EXPECT_EQ(table.alias_of("torch"), "pytorch");
    EXPECT_EQ(table.alias_of("torchvision"), std::nullopt);  // stays itself
    EXPECT_TRUE(table.is_variant_package("pytorch"));
    EXPECT_FALSE(table.is_variant_package("numpy"));
    ASSERT_NE(table.selector("cu121"), nullptr);
    EXPECT_EQ(table.selector("cu121")->kind, VariantKind::cuda);
    EXPECT_EQ(table.selector("cu121")->cuda, "12.1");
    EXPECT_EQ(table.selector("cu118")->cuda, "11.8");
    EXPECT_EQ(table.selector("cuda")->kind, VariantKind::any_cuda);
    EXPECT_EQ(table.selector("cpu")->kind, VariantKind::cpu);
    EXPECT_EQ(table.selector("2.1"), nullptr);
    ASSERT_EQ(table.routes.size(), 2U);
    EXPECT_EQ(table.routes[0].name, "pytorch channel");
    EXPECT_EQ(table.routes[1].name, "conda-forge");
}

TEST(VariantTable, DriverTableIsNvidias) {
    const auto& table = VariantTable::builtin();
    const auto d121 = table.driver_for("12.1");
    ASSERT_TRUE(d121.has_value());
    EXPECT_EQ(d121->linux_driver, "530.30.02");
    EXPECT_EQ(d121->windows_driver, "531.14");
    EXPECT_EQ(table.driver_for("12.0")->linux_driver, "525.60.13");
    EXPECT_EQ(table.driver_for("11.8")->windows_driver, "520.06");
    EXPECT_EQ(table.driver_for("12.4.131")->linux_driver, "550.54.14");  // patch ignored
    EXPECT_EQ(table.driver_for("13.0")->windows_driver, "");  // no bundled Windows driver
    EXPECT_FALSE(table.driver_for("12.7").has_value());       // there is no 12.7
    EXPECT_FALSE(table.driver_for("cuda").has_value());
    EXPECT_EQ(table.family_driver("12.6")->linux_driver, "525.60.13");
    EXPECT_EQ(table.family_driver("11.8")->linux_driver, "450.80.02");
    // Every release is newer than the one before it, and needs no older driver.
    for (std::size_t i = 1; i < table.drivers.size(); ++i) {
        EXPECT_LT(CudaRelease::parse(table.drivers[i - 1].cuda),
                  CudaRelease::parse(table.drivers[i].cuda));
    }
}

TEST(VariantTable, CudaRelease) {
    EXPECT_EQ(CudaRelease::parse("12.1"), (CudaRelease{12, 1}));
    EXPECT_EQ(CudaRelease::parse("12"), (CudaRelease{12, 0}));
    EXPECT_EQ(CudaRelease::parse("11.8.89"), (CudaRelease{11, 8}));
    EXPECT_FALSE(CudaRelease::parse("x").has_value());
    EXPECT_FALSE(CudaRelease::parse("12.").has_value());
    EXPECT_LT(*CudaRelease::parse("11.8"), *CudaRelease::parse("12.0"));
    EXPECT_EQ(CudaRelease::parse("12.10")->str(), "12.10");
}

TEST(VariantTable, BadTableIsASolverError) {
    EXPECT_THROW(VariantTable::parse("{", "broken.json"), SolverError);
    EXPECT_THROW(VariantTable::parse(R"({"aliases": {}})", "partial.json"), SolverError);
    try {
        VariantTable::parse(
            R"({"aliases": {}, "variant_packages": [], "selectors": [{"name": "cu1", "cuda": "x"}],
                "routes": [], "drivers": [], "minor_version_compatibility": []})",
            "t.json");
        FAIL() << "no error";
    } catch (const SolverError& e) {
        EXPECT_NE(std::string(e.what()).find("t.json: selector 'cu1'"), std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace cenv::solver

#include "doctor/arch_table.hpp"

#include <gtest/gtest.h>

#include "doctor/error.hpp"

namespace cenv::doctor {
namespace {

solver::CudaRelease release(int major, int minor) {
    return {major, minor};
}

TEST(ArchTable, BuiltinParsesAndEveryEntryHasASource) {
    const ArchTable& table = ArchTable::builtin();
    ASSERT_FALSE(table.entries().empty());
    for (const auto& e : table.entries()) {
        EXPECT_FALSE(e.source.empty());
        EXPECT_FALSE(e.cuda.empty());
        EXPECT_FALSE(e.archs.archs().empty());
    }
}

TEST(ArchTable, FindsByFamilyCudaAndTorchVersion) {
    const ArchTable& table = ArchTable::builtin();
    const auto* cu121 = table.find(BuildFamily::pytorch_org, "2.1.0+cu121", release(12, 1));
    ASSERT_NE(cu121, nullptr);
    EXPECT_EQ(cu121->archs.str(), "sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90");

    const auto* old128 = table.find(BuildFamily::pytorch_org, "2.7.1", release(12, 8));
    const auto* new128 = table.find(BuildFamily::pytorch_org, "2.9.0", release(12, 8));
    ASSERT_NE(old128, nullptr);
    ASSERT_NE(new128, nullptr);
    EXPECT_EQ(old128->archs.support({7, 0}), ArchSupport::none);  // 2.7 dropped sm_70
    EXPECT_EQ(new128->archs.support({7, 0}), ArchSupport::native);
    EXPECT_EQ(new128->archs.support({12, 0}), ArchSupport::native);

    const auto* cf = table.find(BuildFamily::conda_forge, "2.5.1", release(12, 6));
    ASSERT_NE(cf, nullptr);
    EXPECT_EQ(cf->archs.support({12, 0}), ArchSupport::ptx);

    EXPECT_EQ(table.find(BuildFamily::pytorch_org, "2.1.0", release(12, 7)), nullptr);
    EXPECT_EQ(table.find(BuildFamily::conda_forge, "2.1.0", release(12, 1)), nullptr);
    EXPECT_EQ(table.find(BuildFamily::pytorch_org, "", release(12, 1)), nullptr);
}

TEST(ArchTable, MalformedTablesNameTheProblem) {
    const auto bad_arch = R"({"builds": [{"family": "pytorch.org", "cuda": "12.1", "torch": "*",
        "archs": "sm_86 gfx90a", "source": "x"}]})";
    try {
        ArchTable::parse(bad_arch, "test.json");
        FAIL() << "expected DoctorError";
    } catch (const DoctorError& e) {
        EXPECT_NE(std::string(e.what()).find("test.json"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("gfx90a"), std::string::npos);
    }
    const auto bad_family = R"({"builds": [{"family": "anaconda", "cuda": "12.1", "torch": "*",
        "archs": "sm_86", "source": "x"}]})";
    EXPECT_THROW(ArchTable::parse(bad_family, "t"), DoctorError);
    EXPECT_THROW(ArchTable::parse("{", "t"), DoctorError);
    EXPECT_THROW(ArchTable::parse(R"({"builds": [{"family": "conda-forge"}]})", "t"), DoctorError);
}

}  // namespace
}  // namespace cenv::doctor

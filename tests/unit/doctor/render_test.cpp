#include "doctor/render.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace cenv::doctor {
namespace {

Report report() {
    Report r;
    r.facts.cuda.driver = testing::driver("12.2", "535.104.05");
    r.facts.environment = testing::environment(3);
    r.facts.environment->torch.push_back(torch_from_pip("2.1.0+cpu"));
    r.findings = {
        {Section::machine, "gpu", Status::ok, "GPU 0: X, compute capability 8.6", ""},
        {Section::machine, "nvcc", Status::info, "no nvcc on PATH",
         "`cenv install -n t cuda-nvcc=12.1`"},
        {Section::environment, "torch", Status::error, "PyTorch 2.1.0+cpu (pip) is a CPU build",
         "`pip uninstall torch`"},
        {Section::environment, "ld_library_path", Status::warning, "shadowed", "`unset X`"},
        {Section::network, "mirrors", Status::skipped, "mirrors not checked (--offline): m", ""},
    };
    return r;
}

TEST(RenderText, SectionsSymbolsAndFixes) {
    EXPECT_EQ(render_text(report()),
              "Machine\n"
              "  ✓ GPU 0: X, compute capability 8.6\n"
              "  · no nvcc on PATH\n"
              "      hint: `cenv install -n t cuda-nvcc=12.1`\n"
              "\n"
              "Environment\n"
              "  ✗ PyTorch 2.1.0+cpu (pip) is a CPU build\n"
              "      fix: `pip uninstall torch`\n"
              "  ! shadowed\n"
              "      fix: `unset X`\n"
              "\n"
              "Network\n"
              "  - mirrors not checked (--offline): m\n"
              "\n"
              "1 error, 1 warning.\n");
}

TEST(RenderText, NoProblems) {
    Report r;
    r.findings = {{Section::machine, "gpu", Status::info, "no NVIDIA driver found", ""}};
    EXPECT_EQ(render_text(r), "Machine\n  · no NVIDIA driver found\n\nNo problems found.\n");
}

TEST(RenderJson, FindingsAndFacts) {
    const auto j = render_json(report());
    EXPECT_EQ(j["success"], false);
    EXPECT_EQ(j["errors"], 1);
    EXPECT_EQ(j["warnings"], 1);
    ASSERT_EQ(j["findings"].size(), 5U);
    EXPECT_EQ(j["findings"][2]["section"], "environment");
    EXPECT_EQ(j["findings"][2]["check"], "torch");
    EXPECT_EQ(j["findings"][2]["status"], "error");
    EXPECT_EQ(j["findings"][2]["fix"], "`pip uninstall torch`");
    EXPECT_EQ(j["findings"][4]["status"], "skipped");
    EXPECT_EQ(j["machine"]["driver"]["driver_version"], "535.104.05");
    EXPECT_EQ(j["machine"]["driver"]["gpus"][0]["compute_capability"], "8.6");
    EXPECT_TRUE(j["machine"]["nvcc"].is_null());
    EXPECT_EQ(j["environment"]["selector"], "-n t");
    EXPECT_EQ(j["environment"]["packages"], 3);
    EXPECT_EQ(j["environment"]["torch"][0]["installer"], "pip");
    EXPECT_EQ(j["environment"]["torch"][0]["kind"], "CPU");
    EXPECT_TRUE(j["environment"]["torch"][0]["cuda"].is_null());
    EXPECT_TRUE(j["environment"]["cuda_runtime"].is_null());
    EXPECT_EQ(j["mirrors"]["checked"], false);

    Report none;
    const auto k = render_json(none);
    EXPECT_EQ(k["success"], true);
    EXPECT_TRUE(k["environment"].is_null());
    EXPECT_TRUE(k["machine"]["driver"].is_null());
}

}  // namespace
}  // namespace cenv::doctor

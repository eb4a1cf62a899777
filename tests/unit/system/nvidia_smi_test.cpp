#include "system/nvidia_smi.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "test_support.hpp"

namespace cenv::system {
namespace {

using namespace std::chrono_literals;
using testing::ScratchDir;
using testing::since;

TEST(ParseNvidiaSmiSummary, ReadsCudaAndDriverVersions) {
    const auto d = parse_nvidia_smi_summary(testing::kSmiSummary);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->cuda_version, "12.2");
    EXPECT_EQ(d->driver_version, "535.104.05");
}

TEST(ParseNvidiaSmiSummary, ReadsNewerLayouts) {
    // Driver 580's header line.
    const char* text =
        "+-----------------------------------------------------------------------------------------"
        "+\n"
        "| NVIDIA-SMI 580.65.06              Driver Version: 580.65.06      CUDA Version: 13.0     "
        "|\n"
        "+-----------------------------------------+------------------------+----------------------"
        "+\n";
    const auto d = parse_nvidia_smi_summary(text);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->cuda_version, "13.0");
    EXPECT_EQ(d->driver_version, "580.65.06");
    EXPECT_EQ(
        parse_nvidia_smi_summary("| Driver Version: 1.2  CUDA Version: 12.2.1 |")->cuda_version,
        "12.2");
}

TEST(ParseNvidiaSmiSummary, NoCudaVersionMeansNothing) {
    EXPECT_FALSE(parse_nvidia_smi_summary("No devices were found\n"));
    EXPECT_FALSE(parse_nvidia_smi_summary(
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure "
        "that the latest NVIDIA driver is installed and running.\n"));
    EXPECT_FALSE(parse_nvidia_smi_summary("| NVIDIA-SMI 396.26   Driver Version: 396.26   |\n"));
    EXPECT_FALSE(parse_nvidia_smi_summary("CUDA Version: N/A"));
}

TEST(ParseNvidiaSmiGpus, ReadsOneGpuPerLine) {
    const auto gpus = parse_nvidia_smi_gpus(
        "550.54.15, NVIDIA H100 80GB HBM3, 9.0\n550.54.15, NVIDIA A100-SXM4-80GB, 8.0\n", true);
    ASSERT_EQ(gpus.size(), 2U);
    EXPECT_EQ(gpus[0], (Gpu{"NVIDIA H100 80GB HBM3", "9.0"}));
    EXPECT_EQ(gpus[1], (Gpu{"NVIDIA A100-SXM4-80GB", "8.0"}));
}

TEST(ParseNvidiaSmiGpus, HandlesCommasInNamesAndMissingCapability) {
    const auto with_cc = parse_nvidia_smi_gpus("535.1, Some, Odd GPU, 7.5\r\n\n", true);
    ASSERT_EQ(with_cc.size(), 1U);
    EXPECT_EQ(with_cc[0], (Gpu{"Some, Odd GPU", "7.5"}));
    const auto no_cc = parse_nvidia_smi_gpus("470.82.01, Tesla K80\n", false);
    ASSERT_EQ(no_cc.size(), 1U);
    EXPECT_EQ(no_cc[0], (Gpu{"Tesla K80", ""}));
    const auto bad_cc = parse_nvidia_smi_gpus("470.82.01, Tesla K80, [N/A]\n", true);
    ASSERT_EQ(bad_cc.size(), 1U);
    EXPECT_EQ(bad_cc[0].compute_capability, "");
    EXPECT_TRUE(parse_nvidia_smi_gpus("garbage\n", true).empty());
}

TEST(FindProgram, PathsAndNames) {
    EXPECT_EQ(find_program("/bin/sh"), std::filesystem::path("/bin/sh"));
    EXPECT_FALSE(find_program("/nonexistent/cenv/nvidia-smi"));
    ScratchDir dir;
    std::ofstream(dir / "plain") << "#!/bin/sh\n";  // mode 0644: not executable
    EXPECT_FALSE(find_program((dir / "plain").string()));
    EXPECT_FALSE(find_program(dir.path().string()));  // a directory
    const auto sh = find_program("sh");
    ASSERT_TRUE(sh);
    EXPECT_EQ(sh->filename(), "sh");
    EXPECT_FALSE(find_program("cenv-no-such-program-anywhere"));
    EXPECT_FALSE(find_program(""));
}

TEST(ProbeNvidiaSmi, ReadsARealisticOutput) {
    ScratchDir dir;
    const auto smi = testing::write_working_smi(dir.path());
    const ProbeResult r = probe_nvidia_smi(smi, 2000ms);
    ASSERT_TRUE(r.driver) << r.failure;
    EXPECT_EQ(r.driver->cuda_version, "12.2");
    EXPECT_EQ(r.driver->driver_version, "535.104.05");
    ASSERT_EQ(r.driver->gpus.size(), 1U);
    EXPECT_EQ(r.driver->gpus[0], (Gpu{"NVIDIA GeForce RTX 3090", "8.6"}));
    EXPECT_EQ(r.driver->source, "nvidia-smi (" + smi.string() + ")");
}

TEST(ProbeNvidiaSmi, OldDriversWithoutComputeCapStillGiveGpus) {
    ScratchDir dir;
    const auto smi = testing::write_script(
        dir / "nvidia-smi",
        "#!/bin/sh\n"
        "case \"$1\" in\n"
        "  *compute_cap*) echo 'Field \"compute_cap\" is not a valid field to query.'; exit 2 ;;\n"
        "  --query-gpu=*) echo '470.82.01, Tesla K80' ;;\n"
        "  *) echo '| NVIDIA-SMI 470.82.01    Driver Version: 470.82.01    CUDA Version: 11.4     "
        "|' ;;\n"
        "esac\n");
    const ProbeResult r = probe_nvidia_smi(smi, 2000ms);
    ASSERT_TRUE(r.driver) << r.failure;
    EXPECT_EQ(r.driver->cuda_version, "11.4");
    ASSERT_EQ(r.driver->gpus.size(), 1U);
    EXPECT_EQ(r.driver->gpus[0], (Gpu{"Tesla K80", ""}));
}

TEST(ProbeNvidiaSmi, AFailingRunSaysWhy) {
    ScratchDir dir;
    const auto smi = testing::write_script(
        dir / "nvidia-smi",
        "#!/bin/sh\necho \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA "
        "driver.\"\nexit 9\n");
    const ProbeResult r = probe_nvidia_smi(smi, 2000ms);
    EXPECT_FALSE(r.driver);
    EXPECT_EQ(r.failure,
              "it exited with status 9: NVIDIA-SMI has failed because it couldn't communicate "
              "with the NVIDIA driver.");
}

TEST(ProbeNvidiaSmi, AHangIsKilled) {
    ScratchDir dir;
    const auto smi = testing::write_hanging_smi(dir.path());
    const auto start = std::chrono::steady_clock::now();
    const ProbeResult r = probe_nvidia_smi(smi, 300ms);
    EXPECT_FALSE(r.driver);
    EXPECT_EQ(r.failure, "it timed out after 300 ms");
    EXPECT_LT(since(start), 3000ms);
}

TEST(ProbeNvidiaSmi, AHangingGpuQueryKeepsTheSummary) {
    ScratchDir dir;
    const auto smi = testing::write_script(
        dir / "nvidia-smi",
        std::string("#!/bin/sh\nif [ -n \"$1\" ]; then sleep 30; fi\ncat <<'EOF'\n") +
            testing::kSmiSummary + "EOF\n");
    const auto start = std::chrono::steady_clock::now();
    const ProbeResult r = probe_nvidia_smi(smi, 300ms);
    ASSERT_TRUE(r.driver) << r.failure;
    EXPECT_EQ(r.driver->cuda_version, "12.2");
    EXPECT_TRUE(r.driver->gpus.empty());
    EXPECT_LT(since(start), 3000ms);  // one timeout, not two
}

}  // namespace
}  // namespace cenv::system

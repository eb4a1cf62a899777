#include "system/driver_probe.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "test_support.hpp"

namespace cenv::system {
namespace {

using namespace std::chrono_literals;
using testing::since;
using testing::stub_dir;

std::string nvml(const std::string& scenario) {
    return (stub_dir(scenario) / "libnvidia-ml.so.1").string();
}
std::string cuda(const std::string& scenario) {
    return (stub_dir(scenario) / "libcuda.so.1").string();
}

TEST(ProbeNvml, ReportsVersionsAndGpus) {
    const ProbeResult r = probe_nvml(nvml("nvml_ok"), 2000ms);
    ASSERT_TRUE(r.driver) << r.failure;
    EXPECT_EQ(r.driver->cuda_version, "12.2");
    EXPECT_EQ(r.driver->driver_version, "535.104.05");
    ASSERT_EQ(r.driver->gpus.size(), 1U);
    EXPECT_EQ(r.driver->gpus[0].name, "NVIDIA GeForce RTX 3090");
    EXPECT_EQ(r.driver->gpus[0].compute_capability, "8.6");
    EXPECT_EQ(r.loaded, nvml("nvml_ok"));
    EXPECT_EQ(r.driver->source, "NVML (" + nvml("nvml_ok") + ")");
}

TEST(ProbeNvml, AMissingSymbolFails) {
    const ProbeResult r = probe_nvml(nvml("nvml_nosym"), 2000ms);
    EXPECT_FALSE(r.driver);
    EXPECT_NE(r.failure.find("nvmlSystemGetCudaDriverVersion_v2"), std::string::npos) << r.failure;
}

TEST(ProbeNvml, AnInitErrorIsNamed) {
    const ProbeResult r = probe_nvml(nvml("nvml_init_error"), 2000ms);
    EXPECT_FALSE(r.driver);
    EXPECT_EQ(r.failure, "nvmlInit_v2 returned 9 (NVML_ERROR_DRIVER_NOT_LOADED)");
}

TEST(ProbeNvml, ACrashFailsTheProbeNotTheProcess) {
    const ProbeResult r = probe_nvml(nvml("nvml_crash"), 5000ms);
    EXPECT_FALSE(r.driver);
    // A plain build dies of SIGSEGV; under AddressSanitizer the child reports and exits.
    EXPECT_NE(r.failure.find("in the library"), std::string::npos) << r.failure;
    EXPECT_EQ(r.failure.find("timed out"), std::string::npos) << r.failure;
}

TEST(ProbeNvml, AHangIsKilledAtTheDeadline) {
    const auto start = std::chrono::steady_clock::now();
    const ProbeResult r = probe_nvml(nvml("nvml_hang"), 300ms);
    EXPECT_FALSE(r.driver);
    EXPECT_EQ(r.failure, "the probe timed out after 300 ms in the library");
    EXPECT_EQ(r.loaded, nvml("nvml_hang"));  // known although the child never answered
    EXPECT_LT(since(start), 3000ms);
}

TEST(ProbeNvml, AMissingLibraryFails) {
    const ProbeResult r = probe_nvml("/nonexistent/cenv/libnvidia-ml.so.1", 2000ms);
    EXPECT_FALSE(r.driver);
    EXPECT_TRUE(r.failure.starts_with("cannot load it:")) << r.failure;
    EXPECT_TRUE(r.loaded.empty());
}

TEST(ProbeLibcuda, ReportsVersionGpusAndTheDriverFromTheFileName) {
    const ProbeResult r = probe_libcuda(cuda("nvml_nosym"), 2000ms);
    ASSERT_TRUE(r.driver) << r.failure;
    EXPECT_EQ(r.driver->cuda_version, "12.4");
    EXPECT_EQ(r.driver->driver_version, "550.54.15");
    ASSERT_EQ(r.driver->gpus.size(), 2U);
    EXPECT_EQ(r.driver->gpus[0], (Gpu{"NVIDIA H100 80GB HBM3", "9.0"}));
    EXPECT_EQ(r.driver->gpus[1], (Gpu{"NVIDIA A100-SXM4-80GB", "8.0"}));
    EXPECT_EQ(r.driver->source, "libcuda (" + cuda("nvml_nosym") + ")");
}

TEST(ProbeLibcuda, IgnoresAnEmptyCudaVisibleDevices) {
    ::setenv("CUDA_VISIBLE_DEVICES", "", 1);
    const ProbeResult r = probe_libcuda(cuda("nvml_ok"), 2000ms);
    ::unsetenv("CUDA_VISIBLE_DEVICES");
    ASSERT_TRUE(r.driver) << r.failure;
    EXPECT_EQ(r.driver->cuda_version, "12.2");
}

TEST(ProbeLibcuda, AnInitErrorIsNamed) {
    const ProbeResult r = probe_libcuda(cuda("cuda_init_error"), 2000ms);
    EXPECT_FALSE(r.driver);
    EXPECT_EQ(r.failure, "cuInit(0) returned 100 (CUDA_ERROR_NO_DEVICE)");
}

TEST(ProbeLibcuda, AnAbortFailsTheProbe) {
    const ProbeResult r = probe_libcuda(cuda("cuda_crash"), 5000ms);
    EXPECT_FALSE(r.driver);
    EXPECT_NE(r.failure.find("killed by signal 6"), std::string::npos) << r.failure;
}

TEST(ProbeLibcuda, AHangIsKilledAtTheDeadline) {
    const auto start = std::chrono::steady_clock::now();
    const ProbeResult r = probe_libcuda(cuda("cuda_hang"), 300ms);
    EXPECT_FALSE(r.driver);
    EXPECT_NE(r.failure.find("timed out after 300 ms"), std::string::npos) << r.failure;
    EXPECT_LT(since(start), 3000ms);
}

TEST(DriverVersionFromLibraryName, ReadsTheVersionedFileName) {
    EXPECT_EQ(driver_version_from_library_name("libcuda.so.535.104.05"), "535.104.05");
    EXPECT_EQ(driver_version_from_library_name("libcuda.so.550.54"), "550.54");
    EXPECT_EQ(driver_version_from_library_name("libnvidia-ml.so.470.82.01"), "470.82.01");
    EXPECT_EQ(driver_version_from_library_name("libcuda.so.1"), "");
    EXPECT_EQ(driver_version_from_library_name("libcuda.so"), "");
    EXPECT_EQ(driver_version_from_library_name("libcuda.so.1.1"), "1.1");
    EXPECT_EQ(driver_version_from_library_name("libcuda.so.535.x"), "");
}

}  // namespace
}  // namespace cenv::system

#include "system/cuda.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "test_support.hpp"
#include "util/file.hpp"

namespace cenv::system {
namespace {

using namespace std::chrono_literals;
using testing::ScratchDir;
using testing::since;
using testing::stub_dir;
namespace fs = std::filesystem;

/// Options that look only at `scenario`'s stubs and at `smi` (nothing of this machine).
DetectOptions options_for(const fs::path& libraries,
                          const std::string& smi = "/nonexistent/cenv/nvidia-smi") {
    DetectOptions o;
    o.library_dirs = {libraries};
    o.nvidia_smi = smi;
    o.timeout = 300ms;
    o.env = std::map<std::string, std::string>{};
    return o;
}

std::string joined(const std::vector<std::string>& log) {
    std::string out;
    for (const auto& line : log) {
        out += line + "\n";
    }
    return out;
}

TEST(FormatCudaVersion, DecodesTheDriversEncoding) {
    EXPECT_EQ(format_cuda_version(12020), "12.2");
    EXPECT_EQ(format_cuda_version(11080), "11.8");
    EXPECT_EQ(format_cuda_version(12000), "12.0");
    EXPECT_EQ(format_cuda_version(13000), "13.0");
    EXPECT_EQ(format_cuda_version(9020), "9.2");
}

TEST(DetectCuda, NvmlComesFirst) {
    const CudaDetection d = detect_cuda_detailed(options_for(stub_dir("nvml_ok")));
    ASSERT_TRUE(d.driver) << joined(d.log);
    EXPECT_EQ(d.driver->cuda_version, "12.2");
    EXPECT_EQ(d.driver->driver_version, "535.104.05");
    EXPECT_EQ(d.driver->gpus, (std::vector<Gpu>{{"NVIDIA GeForce RTX 3090", "8.6"}}));
    EXPECT_EQ(d.driver->source,
              "NVML (" + (stub_dir("nvml_ok") / "libnvidia-ml.so.1").string() + ")");
    EXPECT_FALSE(d.from_cache);
    ASSERT_EQ(d.log.size(), 1U);
    EXPECT_NE(d.log[0].find("CUDA 12.2"), std::string::npos);
}

TEST(DetectCuda, NvmlWithoutTheSymbolFallsBackToLibcuda) {
    const CudaDetection d = detect_cuda_detailed(options_for(stub_dir("nvml_nosym")));
    ASSERT_TRUE(d.driver) << joined(d.log);
    EXPECT_EQ(d.driver->cuda_version, "12.4");
    EXPECT_EQ(d.driver->driver_version, "550.54.15");
    EXPECT_EQ(d.driver->gpus.size(), 2U);
    EXPECT_TRUE(d.driver->source.starts_with("libcuda (")) << d.driver->source;
    ASSERT_EQ(d.log.size(), 2U);
    EXPECT_NE(d.log[0].find("nvmlSystemGetCudaDriverVersion_v2"), std::string::npos) << d.log[0];
}

TEST(DetectCuda, ACrashingNvmlFallsBackToLibcuda) {
    const CudaDetection d = detect_cuda_detailed(options_for(stub_dir("nvml_crash")));
    ASSERT_TRUE(d.driver) << joined(d.log);
    EXPECT_TRUE(d.driver->source.starts_with("libcuda (")) << d.driver->source;
    EXPECT_EQ(d.driver->cuda_version, "12.2");
    EXPECT_EQ(d.driver->driver_version, "535.104.05");
}

TEST(DetectCuda, AHangingNvmlFallsBackToLibcudaAfterTheTimeout) {
    const auto start = std::chrono::steady_clock::now();
    const CudaDetection d = detect_cuda_detailed(options_for(stub_dir("nvml_hang")));
    ASSERT_TRUE(d.driver) << joined(d.log);
    EXPECT_TRUE(d.driver->source.starts_with("libcuda (")) << d.driver->source;
    EXPECT_NE(d.log[0].find("timed out after 300 ms"), std::string::npos) << d.log[0];
    EXPECT_LT(since(start), 3000ms);
}

TEST(DetectCuda, CuInitErrorFallsBackToNvidiaSmi) {
    ScratchDir dir;
    const auto smi = testing::write_working_smi(dir.path());
    const CudaDetection d =
        detect_cuda_detailed(options_for(stub_dir("cuda_init_error"), smi.string()));
    ASSERT_TRUE(d.driver) << joined(d.log);
    EXPECT_EQ(d.driver->source, "nvidia-smi (" + smi.string() + ")");
    EXPECT_EQ(d.driver->gpus, (std::vector<Gpu>{{"NVIDIA GeForce RTX 3090", "8.6"}}));
    ASSERT_EQ(d.log.size(), 3U) << joined(d.log);
    EXPECT_NE(d.log[0].find("NVML: no libnvidia-ml.so.1 in "), std::string::npos) << d.log[0];
    EXPECT_NE(d.log[1].find("CUDA_ERROR_NO_DEVICE"), std::string::npos) << d.log[1];
}

TEST(DetectCuda, AHangingCuInitFallsBackToNvidiaSmi) {
    ScratchDir dir;
    const auto smi = testing::write_working_smi(dir.path());
    const auto start = std::chrono::steady_clock::now();
    const CudaDetection d = detect_cuda_detailed(options_for(stub_dir("cuda_hang"), smi.string()));
    ASSERT_TRUE(d.driver) << joined(d.log);
    EXPECT_TRUE(d.driver->source.starts_with("nvidia-smi (")) << d.driver->source;
    EXPECT_NE(d.log[1].find("timed out after 300 ms"), std::string::npos) << d.log[1];
    EXPECT_LT(since(start), 3000ms);
}

TEST(DetectCuda, ACrashingCuInitFallsBackToNvidiaSmi) {
    ScratchDir dir;
    const auto smi = testing::write_working_smi(dir.path());
    const CudaDetection d = detect_cuda_detailed(options_for(stub_dir("cuda_crash"), smi.string()));
    ASSERT_TRUE(d.driver) << joined(d.log);
    EXPECT_TRUE(d.driver->source.starts_with("nvidia-smi (")) << d.driver->source;
}

TEST(DetectCuda, EverythingHangingEndsWithNothing) {
    ScratchDir dir;
    const auto smi = testing::write_hanging_smi(dir.path());
    const auto start = std::chrono::steady_clock::now();
    const CudaDetection d = detect_cuda_detailed(options_for(stub_dir("cuda_hang"), smi.string()));
    EXPECT_FALSE(d.driver);
    EXPECT_LT(since(start), 4000ms);
    EXPECT_NE(joined(d.log).find("nvidia-smi (" + smi.string() + "): it timed out"),
              std::string::npos)
        << joined(d.log);
}

TEST(DetectCuda, NoDriverAtAllIsNullopt) {
    ScratchDir empty;
    const CudaDetection d = detect_cuda_detailed(options_for(empty.path()));
    EXPECT_FALSE(d.driver);
    EXPECT_FALSE(detect_cuda(options_for(empty.path())));
    ASSERT_EQ(d.log.size(), 3U);
    EXPECT_EQ(d.log[2], "nvidia-smi: '/nonexistent/cenv/nvidia-smi' not found");
}

TEST(DetectCuda, ThisMachineWithoutADriverHasNoCuda) {
    // The real search (loader paths, nvidia-smi on PATH), on a machine with no NVIDIA driver.
    if (fs::exists("/proc/driver/nvidia") || fs::exists("/dev/nvidiactl")) {
        GTEST_SKIP() << "this machine has an NVIDIA driver";
    }
    DetectOptions o;
    o.timeout = 2000ms;
    const CudaDetection d = detect_cuda_detailed(o);
    EXPECT_FALSE(d.driver) << joined(d.log);
}

// ---- the cache ----------------------------------------------------------------------------

/// A private copy of a scenario's NVML stub, so the test may replace it.
fs::path copy_nvml(const std::string& scenario, const fs::path& dir) {
    const fs::path target = dir / "libnvidia-ml.so.1";
    fs::remove(target);
    fs::copy_file(fs::canonical(stub_dir(scenario) / "libnvidia-ml.so.1"), target);
    return target;
}

TEST(DetectCudaCache, MissThenHit) {
    ScratchDir libs;
    ScratchDir cache;
    copy_nvml("nvml_ok", libs.path());
    DetectOptions o = options_for(libs.path());
    o.cache_file = cache / "cuda";
    const CudaDetection first = detect_cuda_detailed(o);
    ASSERT_TRUE(first.driver) << joined(first.log);
    EXPECT_FALSE(first.from_cache);
    EXPECT_TRUE(fs::exists(o.cache_file));
    const CudaDetection second = detect_cuda_detailed(o);
    EXPECT_TRUE(second.from_cache) << joined(second.log);
    EXPECT_EQ(second.driver, first.driver);
}

TEST(DetectCudaCache, AHitDoesNotProbe) {
    ScratchDir libs;
    ScratchDir cache;
    copy_nvml("nvml_ok", libs.path());
    DetectOptions o = options_for(libs.path());
    o.cache_file = cache / "cuda";
    ASSERT_TRUE(detect_cuda(o));
    // Edit the cached record: a hit must return it as it is.
    std::string text = util::read_file(o.cache_file);
    text.replace(text.find("cuda 12.2"), 9, "cuda 99.9");
    std::ofstream(o.cache_file, std::ios::trunc) << text;
    const CudaDetection d = detect_cuda_detailed(o);
    EXPECT_TRUE(d.from_cache);
    ASSERT_TRUE(d.driver);
    EXPECT_EQ(d.driver->cuda_version, "99.9");
}

TEST(DetectCudaCache, ANewDriverLibraryIsDetectedAnew) {
    ScratchDir libs;
    ScratchDir cache;
    copy_nvml("nvml_ok", libs.path());
    DetectOptions o = options_for(libs.path());
    o.cache_file = cache / "cuda";
    ASSERT_EQ(detect_cuda(o)->cuda_version, "12.2");
    copy_nvml("nvml_11_8", libs.path());  // "the driver was downgraded"
    const CudaDetection d = detect_cuda_detailed(o);
    EXPECT_FALSE(d.from_cache);
    ASSERT_TRUE(d.driver) << joined(d.log);
    EXPECT_EQ(d.driver->cuda_version, "11.8");
    EXPECT_EQ(d.driver->driver_version, "520.61.05");
    EXPECT_NE(d.log[0].find("the driver libraries changed"), std::string::npos) << d.log[0];
    EXPECT_TRUE(detect_cuda_detailed(o).from_cache);  // and cached again
}

TEST(DetectCudaCache, ACorruptCacheIsIgnoredAndRewritten) {
    ScratchDir libs;
    ScratchDir cache;
    copy_nvml("nvml_ok", libs.path());
    DetectOptions o = options_for(libs.path());
    o.cache_file = cache / "cuda";
    std::ofstream(o.cache_file) << "{ \"not\": \"ours\" }";
    const CudaDetection d = detect_cuda_detailed(o);
    ASSERT_TRUE(d.driver);
    EXPECT_FALSE(d.from_cache);
    EXPECT_NE(d.log[0].find("unreadable, ignored"), std::string::npos) << d.log[0];
    EXPECT_TRUE(detect_cuda_detailed(o).from_cache);
}

TEST(DetectCudaCache, FailuresAreNotCached) {
    ScratchDir cache;
    DetectOptions o = options_for(stub_dir("nvml_init_error"));
    o.cache_file = cache / "cuda";
    EXPECT_FALSE(detect_cuda(o));
    EXPECT_FALSE(fs::exists(o.cache_file));
}

TEST(DetectCudaCache, WithoutALibraryThereIsNothingToKeyOn) {
    ScratchDir empty;
    ScratchDir dir;
    const auto smi = testing::write_working_smi(dir.path());
    DetectOptions o = options_for(empty.path(), smi.string());
    o.cache_file = dir / "cuda";
    const CudaDetection d = detect_cuda_detailed(o);
    ASSERT_TRUE(d.driver);
    EXPECT_FALSE(fs::exists(o.cache_file));
    EXPECT_NE(d.log[0].find("not used"), std::string::npos) << d.log[0];
}

TEST(DetectCudaCache, AnUnwritableCacheDoesNotFailDetection) {
    ScratchDir dir;
    std::ofstream(dir / "file") << "x";
    DetectOptions o = options_for(stub_dir("nvml_ok"));
    o.cache_file = dir / "file" / "cuda";
    const CudaDetection d = detect_cuda_detailed(o);
    ASSERT_TRUE(d.driver);
    EXPECT_NE(d.log.back().find("cannot"), std::string::npos) << d.log.back();
}

TEST(CachedCudaDriver, OnlyWhatTheCacheHoldsForTheseLibraries) {
    ScratchDir libs;
    ScratchDir cache;
    copy_nvml("nvml_ok", libs.path());
    DetectOptions o = options_for(libs.path());
    o.cache_file = cache / "cuda";
    EXPECT_FALSE(cached_cuda_driver(o));  // nothing detected yet: no probe either
    EXPECT_FALSE(fs::exists(o.cache_file));
    ASSERT_TRUE(detect_cuda(o));
    // Edit the cached record: what comes back is the cache's, not a probe's.
    std::string text = util::read_file(o.cache_file);
    text.replace(text.find("cuda 12.2"), 9, "cuda 99.9");
    std::ofstream(o.cache_file, std::ios::trunc) << text;
    const auto cached = cached_cuda_driver(o);
    ASSERT_TRUE(cached);
    EXPECT_EQ(cached->cuda_version, "99.9");
    copy_nvml("nvml_11_8", libs.path());  // another driver: the cache no longer applies
    EXPECT_FALSE(cached_cuda_driver(o));
    o.cache_file.clear();
    EXPECT_FALSE(cached_cuda_driver(o));
}

}  // namespace
}  // namespace cenv::system

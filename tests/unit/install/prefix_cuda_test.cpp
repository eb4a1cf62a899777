// Which CUDA runtime an environment holds, from records as conda, the nvidia channel,
// conda-forge and the pytorch channel name them.

#include "install/prefix_cuda.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace cenv::install {
namespace {

specs::PackageRecord record(std::string name, std::string version) {
    specs::PackageRecord r;
    r.name = std::move(name);
    r.version = std::move(version);
    return r;
}

TEST(PrefixCuda, NoCudaRecordsMeansNoRuntime) {
    const std::vector<specs::PackageRecord> records{
        record("python", "3.10.13"), record("numpy", "1.26.4"), record("cuda-nvcc", "12.1.105")};
    EXPECT_FALSE(prefix_cuda_runtime(records));
    EXPECT_FALSE(prefix_cuda_runtime({}));
}

TEST(PrefixCuda, EachRuntimePackageAlone) {
    const struct {
        const char* name;
        const char* version;
        int major;
        int minor;
    } cases[] = {{"cuda-cudart", "12.1.105", 12, 1}, {"cudatoolkit", "11.8.0", 11, 8},
                 {"cuda-runtime", "12.4.1", 12, 4},  {"cuda-version", "12.0", 12, 0},
                 {"pytorch-cuda", "11.7", 11, 7},    {"cuda-version", "13", 13, 0}};
    for (const auto& c : cases) {
        const std::vector<specs::PackageRecord> records{record("python", "3.10.13"),
                                                        record(c.name, c.version)};
        const auto runtime = prefix_cuda_runtime(records);
        ASSERT_TRUE(runtime) << c.name;
        EXPECT_EQ(runtime->major, c.major) << c.name;
        EXPECT_EQ(runtime->minor, c.minor) << c.name;
        EXPECT_EQ(runtime->package, c.name);
        EXPECT_EQ(runtime->version, c.version);
    }
}

TEST(PrefixCuda, TheLibraryWinsOverMetapackagesWhateverTheOrder) {
    // A broken environment whose metapackages disagree with the library it loads.
    const std::vector<specs::PackageRecord> records{
        record("pytorch-cuda", "12.1"), record("cuda-version", "12.4"),
        record("cuda-cudart", "12.1.105"), record("cuda-runtime", "12.4.0")};
    const auto runtime = prefix_cuda_runtime(records);
    ASSERT_TRUE(runtime);
    EXPECT_EQ(runtime->release(), "12.1");
    EXPECT_EQ(runtime->package, "cuda-cudart");
}

TEST(PrefixCuda, AVersionThatIsNoReleaseIsPassedOver) {
    const std::vector<specs::PackageRecord> records{record("cuda-cudart", "custom"),
                                                    record("cuda-version", "11.8")};
    const auto runtime = prefix_cuda_runtime(records);
    ASSERT_TRUE(runtime);
    EXPECT_EQ(runtime->release(), "11.8");
    EXPECT_EQ(runtime->package, "cuda-version");
}

TEST(PrefixCuda, PackageListIsThePrecedenceOrder) {
    const auto names = cuda_runtime_packages();
    ASSERT_EQ(names.size(), 5U);
    EXPECT_EQ(names.front(), "cuda-cudart");
    EXPECT_EQ(names.back(), "pytorch-cuda");
}

PythonDistribution wheel(std::string name, std::string version) {
    PythonDistribution d;
    d.name = std::move(name);
    d.version = std::move(version);
    return d;
}

TEST(PipCuda, TheRuntimeWheelGivesTheRelease) {
    const std::vector<PythonDistribution> cu12{wheel("torch", "2.1.0+cu121"),
                                               wheel("nvidia-cublas-cu12", "12.1.3.1"),
                                               wheel("nvidia_cuda_runtime_cu12", "12.1.105")};
    const auto runtime = pip_cuda_runtime(cu12);
    ASSERT_TRUE(runtime);
    EXPECT_EQ(runtime->release(), "12.1");
    EXPECT_EQ(runtime->package, "nvidia_cuda_runtime_cu12");
    EXPECT_EQ(runtime->version, "12.1.105");

    EXPECT_EQ(pip_cuda_runtime(std::vector{wheel("nvidia-cuda-runtime", "13.0.96")})->release(),
              "13.0");
    EXPECT_EQ(
        pip_cuda_runtime(std::vector{wheel("nvidia-cuda-runtime-cu11", "11.7.99")})->release(),
        "11.7");
    // Other NVIDIA wheels do not say the runtime; neither does a name that only starts alike.
    EXPECT_FALSE(pip_cuda_runtime(std::vector{wheel("nvidia-cublas-cu12", "12.1.3.1"),
                                              wheel("nvidia-cuda-runtime-cu12x", "1.0")}));
    EXPECT_FALSE(pip_cuda_runtime({}));
}

}  // namespace
}  // namespace cenv::install

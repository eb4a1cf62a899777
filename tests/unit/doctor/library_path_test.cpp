#include "doctor/library_path.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace cenv::doctor {
namespace {

using testing::ScratchDir;
namespace fs = std::filesystem;

void touch(const fs::path& dir, std::initializer_list<const char*> files) {
    for (const char* f : files) {
        testing::write(dir / f, "");
    }
}

TEST(CudaLibrariesIn, KeepsRuntimeLibrariesOnly) {
    ScratchDir dir;
    touch(dir.path(), {"libcudart.so.12", "libcudart.so.12.1.105", "libcublasLt.so.12",
                       "libcudnn_ops.so.9", "libcuda.so.1", "libnvidia-ml.so.1", "libz.so.1",
                       "libcudnnfoo.so", "libcudart_static.a"});
    EXPECT_EQ(cuda_libraries_in(dir.path()),
              (std::vector<std::string>{"libcublasLt.so.12", "libcudart.so.12",
                                        "libcudart.so.12.1.105", "libcudnn_ops.so.9"}));
    EXPECT_TRUE(cuda_libraries_in(dir.path() / "missing").empty());
}

TEST(CudartRelease, NeedsTheFullVersion) {
    EXPECT_EQ(cudart_release({"libcudart.so.11.0", "libcudart.so.11.8.89"}),
              (solver::CudaRelease{11, 8}));
    EXPECT_FALSE(cudart_release({"libcudart.so.12", "libcublas.so.12.1.3.1"}));
}

TEST(LibraryPath, SystemCudaAheadOfTheEnvironmentShadowsIt) {
    ScratchDir dir;
    const fs::path system = dir.path() / "usr/local/cuda-12.0/lib64";
    const fs::path prefix = dir.path() / "envs/t";
    touch(system, {"libcudart.so.12", "libcudart.so.12.0.107", "libcublas.so.12"});
    touch(prefix / "lib", {"libcudart.so.12", "libcudart.so.12.1.105"});
    const std::string path = system.string() + "::" + (prefix / "lib").string() + ":/nonexistent";

    const auto dirs = scan_library_path(path, prefix);
    ASSERT_EQ(dirs.size(), 2U);
    EXPECT_EQ(dirs[0].dir, system);
    EXPECT_FALSE(dirs[0].in_environment);
    EXPECT_EQ(dirs[0].cudart, (solver::CudaRelease{12, 0}));
    EXPECT_TRUE(dirs[1].in_environment);

    const auto shadows = find_shadowing(dirs, cuda_libraries_in(prefix / "lib"));
    ASSERT_EQ(shadows.size(), 1U);
    EXPECT_EQ(shadows[0].dir, system);
    EXPECT_EQ(shadows[0].libraries, (std::vector<std::string>{"libcudart.so.12"}));

    // The environment's own directory first: nothing is hidden.
    const auto env_first =
        scan_library_path((prefix / "lib").string() + ":" + system.string(), prefix);
    EXPECT_TRUE(find_shadowing(env_first, cuda_libraries_in(prefix / "lib")).empty());

    // Other sonames (a CUDA 11 install next to a CUDA 12 environment) hide nothing.
    const fs::path cuda11 = dir.path() / "cuda-11.8/lib64";
    touch(cuda11, {"libcudart.so.11.0", "libcudart.so.11.8.89"});
    EXPECT_TRUE(find_shadowing(scan_library_path(cuda11.string(), prefix),
                               cuda_libraries_in(prefix / "lib"))
                    .empty());
}

TEST(LibraryPath, WithoutTheShadowingDirectories) {
    EXPECT_EQ(library_path_without("/a:/b:/c", {"/b"}), "/a:/c");
    EXPECT_EQ(library_path_without("/b", {"/b"}), "");
    EXPECT_EQ(library_path_without("/a::/b", {}), "/a:/b");
}

}  // namespace
}  // namespace cenv::doctor

#include "system/cuda_cache.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>

#include "system/error.hpp"
#include "test_support.hpp"
#include "util/file.hpp"

namespace cenv::system {
namespace {

using testing::ScratchDir;
namespace fs = std::filesystem;

const CudaDriver kDriver{"12.2", "535.104.05", {{"NVIDIA GeForce RTX 3090", "8.6"}}, "NVML (x)"};

TEST(DriverIdentity, EmptyWithoutLibraries) {
    EXPECT_EQ(driver_identity(std::nullopt, std::nullopt), "");
}

TEST(DriverIdentity, NamesBothLibrariesAndTheBoot) {
    const fs::path lib = testing::stub_dir("nvml_ok") / "libnvidia-ml.so.1";
    const std::string id = driver_identity(lib, std::nullopt);
    EXPECT_TRUE(id.starts_with("identity nvml " + lib.string() + " ")) << id;
    EXPECT_NE(id.find("libnvidia-ml.so.535.104.05"), std::string::npos) << id;  // resolved
    EXPECT_NE(id.find("\nidentity libcuda -\n"), std::string::npos) << id;
    EXPECT_NE(id.find("\nidentity boot "), std::string::npos) << id;
    EXPECT_EQ(id, driver_identity(lib, std::nullopt));  // stable
}

TEST(DriverIdentity, ChangesWhenTheFileIsReplaced) {
    ScratchDir dir;
    const fs::path lib = dir / "libcuda.so.1";
    fs::copy_file(testing::stub_dir("cuda_hang") / "libcuda.so.1", lib);
    const std::string before = driver_identity(std::nullopt, lib);
    ASSERT_FALSE(before.empty());
    fs::remove(lib);
    fs::copy_file(testing::stub_dir("cuda_crash") / "libcuda.so.1", lib);  // new inode
    EXPECT_NE(driver_identity(std::nullopt, lib), before);
}

TEST(DriverIdentity, EmptyWhenALibraryVanished) {
    EXPECT_EQ(driver_identity(fs::path("/nonexistent/cenv/libnvidia-ml.so.1"), std::nullopt), "");
}

TEST(CudaCache, WriteThenReadIsAHit) {
    ScratchDir dir;
    const fs::path file = dir / "sub" / "dir" / "cuda";  // directories are created
    write_cuda_cache(file, "identity nvml a\nidentity boot b\n", kDriver);
    const CacheLookup lookup = read_cuda_cache(file, "identity nvml a\nidentity boot b\n");
    EXPECT_EQ(lookup.state, CacheState::hit);
    EXPECT_EQ(lookup.driver, kDriver);
    EXPECT_TRUE(util::read_file(file).starts_with("cenv-cuda-cache 1\nidentity nvml a\n"));
    // Only the file itself is left: the temporary was renamed over it.
    EXPECT_EQ(std::distance(fs::directory_iterator(file.parent_path()), fs::directory_iterator()),
              1);
}

TEST(CudaCache, AnotherIdentityIsStale) {
    ScratchDir dir;
    write_cuda_cache(dir / "cuda", "identity nvml a\n", kDriver);
    const CacheLookup lookup = read_cuda_cache(dir / "cuda", "identity nvml b\n");
    EXPECT_EQ(lookup.state, CacheState::stale);
    EXPECT_FALSE(lookup.driver);
}

TEST(CudaCache, MissingAndCorruptFiles) {
    ScratchDir dir;
    EXPECT_EQ(read_cuda_cache(dir / "none", "identity x\n").state, CacheState::missing);
    for (const std::string& garbage :
         {std::string("\x00\x01garbage", 9), std::string("cenv-cuda-cache 1"),
          std::string("cenv-cuda-cache 2\nidentity x\ncuda 12.2\n"),
          std::string("cenv-cuda-cache 1\nidentity x\n"),                     // no record
          std::string("cenv-cuda-cache 1\ncuda 12.2\n"),                      // no identity
          std::string("cenv-cuda-cache 1\nidentity x\ncuda 12.2\ngpu\n")}) {  // truncated
        std::ofstream(dir / "bad", std::ios::binary | std::ios::trunc) << garbage;
        const CacheLookup lookup = read_cuda_cache(dir / "bad", "identity x\n");
        EXPECT_EQ(lookup.state, CacheState::corrupt) << garbage;
        EXPECT_FALSE(lookup.driver);
    }
}

TEST(CudaCache, WriteReplacesAnExistingFile) {
    ScratchDir dir;
    std::ofstream(dir / "cuda") << "old junk";
    write_cuda_cache(dir / "cuda", "identity x\n", kDriver);
    EXPECT_EQ(read_cuda_cache(dir / "cuda", "identity x\n").state, CacheState::hit);
}

TEST(CudaCache, AnUnwritablePlaceThrowsNamingTheFile) {
    ScratchDir dir;
    std::ofstream(dir / "file") << "x";
    const fs::path file = dir / "file" / "cuda";  // a regular file where a directory should be
    try {
        write_cuda_cache(file, "identity x\n", kDriver);
        FAIL() << "expected SystemError";
    } catch (const SystemError& e) {
        EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
        EXPECT_FALSE(e.hint().empty());
    }
}

}  // namespace
}  // namespace cenv::system

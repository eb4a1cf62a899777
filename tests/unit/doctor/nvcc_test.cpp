#include "doctor/nvcc.hpp"

#include <stdlib.h>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace cenv::doctor {
namespace {

using testing::ScratchDir;

constexpr const char* kNvcc121 =
    "nvcc: NVIDIA (R) Cuda compiler driver\n"
    "Copyright (c) 2005-2023 NVIDIA Corporation\n"
    "Built on Mon_Apr__3_17:16:06_PDT_2023\n"
    "Cuda compilation tools, release 12.1, V12.1.105\n"
    "Build cuda_12.1.r12.1/compiler.32688072_0\n";

TEST(ParseNvccVersion, ReadsReleaseAndVersion) {
    const auto facts = parse_nvcc_version(kNvcc121);
    ASSERT_TRUE(facts);
    EXPECT_EQ(facts->release, (solver::CudaRelease{12, 1}));
    EXPECT_EQ(facts->version, "12.1.105");
    EXPECT_FALSE(parse_nvcc_version("nvcc: command not found\n"));
    EXPECT_FALSE(parse_nvcc_version("Cuda compilation tools, release x.y, V1\n"));
}

/// PATH set to `value`, restored afterwards.
class PathGuard {
  public:
    explicit PathGuard(const std::string& value) {
        if (const char* old = ::getenv("PATH"); old != nullptr) {
            old_ = old;
        }
        ::setenv("PATH", value.c_str(), 1);
    }
    ~PathGuard() { ::setenv("PATH", old_.c_str(), 1); }
    PathGuard(const PathGuard&) = delete;
    PathGuard& operator=(const PathGuard&) = delete;

  private:
    std::string old_;
};

void script(const std::filesystem::path& path, const std::string& body) {
    testing::write(path, "#!/bin/sh\n" + body);
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
}

TEST(ProbeNvcc, RunsTheFirstOnPath) {
    ScratchDir dir;
    script(dir.path() / "a" / "nvcc", std::string("cat <<'EOF'\n") + kNvcc121 + "EOF\n");
    script(dir.path() / "b" / "nvcc", "echo 'Cuda compilation tools, release 11.8, V11.8.89'\n");
    const PathGuard path((dir.path() / "a").string() + ":" + (dir.path() / "b").string() +
                         ":/usr/bin:/bin");
    const auto facts = probe_nvcc(std::chrono::milliseconds(10000));
    ASSERT_TRUE(facts);
    EXPECT_EQ(facts->path, dir.path() / "a" / "nvcc");
    EXPECT_EQ(facts->release, (solver::CudaRelease{12, 1}));
    EXPECT_TRUE(facts->failure.empty());
}

TEST(ProbeNvcc, NoneOnPath) {
    ScratchDir dir;
    const PathGuard path(dir.path().string());
    EXPECT_FALSE(probe_nvcc(std::chrono::milliseconds(1000)));
}

TEST(ProbeNvcc, AHangingOrBrokenNvccIsAFailure) {
    ScratchDir dir;
    script(dir.path() / "nvcc", "sleep 30\n");
    const PathGuard path(dir.path().string() + ":/usr/bin:/bin");
    const auto hung = probe_nvcc(std::chrono::milliseconds(300));
    ASSERT_TRUE(hung);
    EXPECT_FALSE(hung->release);
    EXPECT_NE(hung->failure.find("timed out"), std::string::npos) << hung->failure;

    script(dir.path() / "nvcc", "echo garbage; exit 0\n");
    const auto garbage = probe_nvcc(std::chrono::milliseconds(10000));
    ASSERT_TRUE(garbage);
    EXPECT_NE(garbage->failure.find("no \"release X.Y\" line"), std::string::npos);

    script(dir.path() / "nvcc", "exit 3\n");
    const auto failed = probe_nvcc(std::chrono::milliseconds(10000));
    ASSERT_TRUE(failed);
    EXPECT_NE(failed->failure.find("exited with status 3"), std::string::npos) << failed->failure;
}

}  // namespace
}  // namespace cenv::doctor

#include "specs/platform.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

namespace cenv::specs {
namespace {

TEST(Platform, KnownSubdirsAreCondasList) {
    // conda/base/constants.py: KNOWN_SUBDIRS = ("noarch", *PLATFORMS).
    const std::set<std::string_view> conda{"noarch",        "emscripten-wasm32",
                                           "wasi-wasm32",   "freebsd-64",
                                           "linux-32",      "linux-64",
                                           "linux-aarch64", "linux-armv6l",
                                           "linux-armv7l",  "linux-ppc64",
                                           "linux-ppc64le", "linux-riscv64",
                                           "linux-s390x",   "osx-64",
                                           "osx-arm64",     "win-32",
                                           "win-64",        "win-arm64",
                                           "zos-z"};
    const std::set<std::string_view> ours(known_subdirs.begin(), known_subdirs.end());
    EXPECT_EQ(ours, conda);
    EXPECT_EQ(ours.size(), known_subdirs.size()) << "no duplicates";
    EXPECT_EQ(known_subdirs.front(), "noarch");
}

TEST(Platform, IsKnownSubdir) {
    for (const std::string_view subdir : known_subdirs) {
        EXPECT_TRUE(is_known_subdir(subdir)) << subdir;
    }
    EXPECT_FALSE(is_known_subdir(""));
    EXPECT_FALSE(is_known_subdir("linux"));
    EXPECT_FALSE(is_known_subdir("Linux-64"));
    EXPECT_FALSE(is_known_subdir("linux-64 "));
    EXPECT_FALSE(is_known_subdir("linux-fake"));
    EXPECT_FALSE(is_known_subdir("label"));
}

TEST(Platform, BuildSubdirIsKnownAndFitsTheCompiler) {
    const std::string_view subdir = build_subdir();
    ASSERT_FALSE(subdir.empty()) << "cenv is built for a platform conda does not know";
    EXPECT_TRUE(is_known_subdir(subdir));
    EXPECT_NE(subdir, "noarch");
#if defined(__linux__) && defined(__x86_64__)
    EXPECT_EQ(subdir, "linux-64");
#elif defined(__linux__) && defined(__aarch64__)
    EXPECT_EQ(subdir, "linux-aarch64");
#elif defined(__APPLE__) && defined(__aarch64__)
    EXPECT_EQ(subdir, "osx-arm64");
#endif
}

}  // namespace
}  // namespace cenv::specs

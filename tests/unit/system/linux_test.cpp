#include "system/linux.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include "util/file.hpp"
#include "util/strings.hpp"

namespace cenv::system {
namespace {

TEST(LinuxVersionFromRelease, KeepsTheNumericPrefix) {
    EXPECT_EQ(linux_version_from_release("6.1.0-18-amd64"), "6.1.0");
    EXPECT_EQ(linux_version_from_release("5.15.133.1-microsoft-standard-WSL2"), "5.15.133.1");
    EXPECT_EQ(linux_version_from_release("4.18.0-513.el8.x86_64"), "4.18.0");
    EXPECT_EQ(linux_version_from_release("6.8"), "6.8");
    EXPECT_EQ(linux_version_from_release("6.9.0-rc3"), "6.9.0");
    EXPECT_EQ(linux_version_from_release("1.2.3.4.5"), "1.2.3.4");
    EXPECT_EQ(linux_version_from_release("6.18.44-fc-v595"), "6.18.44");
}

TEST(LinuxVersionFromRelease, RejectsReleasesWithoutMajorMinor) {
    EXPECT_EQ(linux_version_from_release(""), std::nullopt);
    EXPECT_EQ(linux_version_from_release("6"), std::nullopt);
    EXPECT_EQ(linux_version_from_release("6-generic"), std::nullopt);
    EXPECT_EQ(linux_version_from_release("v6.1"), std::nullopt);
    EXPECT_EQ(linux_version_from_release("6."), std::nullopt);
}

TEST(KernelRelease, MatchesProc) {
    const std::string proc(util::trim(util::read_file("/proc/sys/kernel/osrelease")));
    EXPECT_EQ(kernel_release(), proc);
}

TEST(MachineName, MatchesTheBuild) {
#if defined(__x86_64__)
    EXPECT_EQ(machine_name(), "x86_64");
#elif defined(__aarch64__)
    EXPECT_EQ(machine_name(), "aarch64");
#else
    EXPECT_FALSE(machine_name().empty());
#endif
}

TEST(GlibcVersion, MatchesConfstr) {
    char buffer[64] = {};
    const std::size_t n = ::confstr(_CS_GNU_LIBC_VERSION, buffer, sizeof buffer);
    ASSERT_GT(n, 0U) << "not a glibc system";
    const std::string text(buffer);  // "glibc 2.36"
    ASSERT_TRUE(text.starts_with("glibc ")) << text;
    // glibc's own versions have two components; a longer one would be cut to major.minor.
    std::string expected = text.substr(6);
    if (const auto second = expected.find('.', expected.find('.') + 1);
        second != std::string::npos) {
        expected.resize(second);
    }
    EXPECT_EQ(glibc_version(), expected);
}

}  // namespace
}  // namespace cenv::system

#include "system/virtual_package.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "system/error.hpp"
#include "test_support.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

namespace cenv::system {
namespace {

using namespace std::chrono_literals;
using testing::ScratchDir;
using testing::since;
using testing::stub_dir;

DetectOptions options_for(const std::string& scenario,
                          std::map<std::string, std::string> env = {}) {
    DetectOptions o;
    o.library_dirs = {stub_dir(scenario)};
    o.nvidia_smi = "/nonexistent/cenv/nvidia-smi";
    o.timeout = 300ms;
    o.env = std::move(env);
    return o;
}

/// The package named `name`, or nullptr.
const VirtualPackage* find(const std::vector<VirtualPackage>& packages, const std::string& name) {
    const auto it = std::find_if(packages.begin(), packages.end(),
                                 [&](const VirtualPackage& p) { return p.name == name; });
    return it == packages.end() ? nullptr : &*it;
}

std::vector<std::string> names(const std::vector<VirtualPackage>& packages) {
    std::vector<std::string> out;
    for (const auto& p : packages) {
        out.push_back(p.name);
    }
    return out;
}

TEST(VirtualPackage, StrIsCondasForm) {
    EXPECT_EQ((VirtualPackage{"__cuda", "12.2", "0", "x"}).str(), "__cuda=12.2=0");
    EXPECT_EQ((VirtualPackage{"__archspec", "1", "x86_64_v3", "x"}).str(),
              "__archspec=1=x86_64_v3");
}

TEST(DetectVirtualPackages, WithADriver) {
    const auto packages = detect_virtual_packages(options_for("nvml_ok"));
    EXPECT_EQ(names(packages),
              (std::vector<std::string>{"__archspec", "__cuda", "__glibc", "__linux", "__unix"}));
    const VirtualPackage* cuda = find(packages, "__cuda");
    ASSERT_NE(cuda, nullptr);
    EXPECT_EQ(cuda->str(), "__cuda=12.2=0");
    EXPECT_TRUE(cuda->source.starts_with("NVML (")) << cuda->source;
}

TEST(DetectVirtualPackages, WithoutADriverThereIsNoCuda) {
    const auto packages = detect_virtual_packages(options_for("cuda_init_error"));
    EXPECT_EQ(find(packages, "__cuda"), nullptr);
    EXPECT_EQ(names(packages),
              (std::vector<std::string>{"__archspec", "__glibc", "__linux", "__unix"}));
}

TEST(DetectVirtualPackages, TheCacheIsNamedInTheSource) {
    ScratchDir cache;
    DetectOptions o = options_for("nvml_ok");
    o.cache_file = cache / "cuda";
    (void)detect_virtual_packages(o);
    const auto packages = detect_virtual_packages(o);
    const VirtualPackage* cuda = find(packages, "__cuda");
    ASSERT_NE(cuda, nullptr);
    EXPECT_NE(cuda->source.find("cached in " + o.cache_file.string()), std::string::npos)
        << cuda->source;
}

TEST(DetectVirtualPackages, RealFactsOfThisMachine) {
    const auto packages = detect_virtual_packages(options_for("cuda_init_error"));

    // The release's leading "N.N[.N[.N]]", read independently of uname(2).
    const std::string release(util::trim(util::read_file("/proc/sys/kernel/osrelease")));
    std::string expected;
    int components = 0;
    for (std::size_t i = 0; i < release.size() && components < 4;) {
        std::size_t j = i;
        while (j < release.size() && std::isdigit(static_cast<unsigned char>(release[j])) != 0) {
            ++j;
        }
        if (j == i) {
            break;
        }
        expected += (components > 0 ? "." : "") + release.substr(i, j - i);
        ++components;
        if (j >= release.size() || release[j] != '.') {
            break;
        }
        i = j + 1;
    }
    ASSERT_GE(components, 2) << release;
    const VirtualPackage* linux_pkg = find(packages, "__linux");
    ASSERT_NE(linux_pkg, nullptr);
    EXPECT_EQ(linux_pkg->version, expected);
    EXPECT_EQ(linux_pkg->build, "0");
    EXPECT_EQ(linux_pkg->source, "uname");

    char libc[64] = {};
    ASSERT_GT(::confstr(_CS_GNU_LIBC_VERSION, libc, sizeof libc), 0U);
    const std::string libc_text(libc);  // "glibc 2.36"
    const VirtualPackage* glibc = find(packages, "__glibc");
    ASSERT_NE(glibc, nullptr);
    EXPECT_EQ("glibc " + glibc->version, libc_text);
    EXPECT_EQ(glibc->build, "0");

    const VirtualPackage* unix_pkg = find(packages, "__unix");
    ASSERT_NE(unix_pkg, nullptr);
    EXPECT_EQ(unix_pkg->str(), "__unix=0=0");

    const VirtualPackage* archspec = find(packages, "__archspec");
    ASSERT_NE(archspec, nullptr);
    EXPECT_EQ(archspec->version, "1");
    EXPECT_FALSE(archspec->build.empty());
    EXPECT_EQ(archspec->source, "/proc/cpuinfo");
}

TEST(CudaOverride, ReplacesDetectionEntirely) {
    // The stub would hang for 5 s: an override must not even try it.
    DetectOptions o = options_for("cuda_hang", {{"CONDA_OVERRIDE_CUDA", "11.8"}});
    o.timeout = 5000ms;
    const auto start = std::chrono::steady_clock::now();
    const auto packages = detect_virtual_packages(o);
    EXPECT_LT(since(start), 1000ms);
    const VirtualPackage* cuda = find(packages, "__cuda");
    ASSERT_NE(cuda, nullptr);
    EXPECT_EQ(cuda->str(), "__cuda=11.8=0");
    EXPECT_EQ(cuda->source, "override CONDA_OVERRIDE_CUDA");
}

TEST(CudaOverride, CenvWinsOverConda) {
    const auto packages = detect_virtual_packages(options_for(
        "nvml_ok", {{"CONDA_OVERRIDE_CUDA", "11.8"}, {"CENV_OVERRIDE_CUDA", " 12.1 "}}));
    const VirtualPackage* cuda = find(packages, "__cuda");
    ASSERT_NE(cuda, nullptr);
    EXPECT_EQ(cuda->version, "12.1");
    EXPECT_EQ(cuda->source, "override CENV_OVERRIDE_CUDA");
}

TEST(CudaOverride, AnEmptyValueRemovesCuda) {
    EXPECT_EQ(find(detect_virtual_packages(options_for("nvml_ok", {{"CONDA_OVERRIDE_CUDA", ""}})),
                   "__cuda"),
              nullptr);
    EXPECT_EQ(find(detect_virtual_packages(options_for(
                       "nvml_ok", {{"CENV_OVERRIDE_CUDA", "  "}, {"CONDA_OVERRIDE_CUDA", "12.2"}})),
                   "__cuda"),
              nullptr);
}

TEST(CudaOverride, ANonVersionIsAnError) {
    try {
        (void)detect_virtual_packages(options_for("nvml_ok", {{"CONDA_OVERRIDE_CUDA", "12,2"}}));
        FAIL() << "expected SystemError";
    } catch (const SystemError& e) {
        EXPECT_EQ(std::string(e.what()), "CONDA_OVERRIDE_CUDA='12,2' is not a version");
        EXPECT_NE(e.hint().find("12.2"), std::string::npos);
    }
}

TEST(GlibcOverride, SetsOrRemovesIt) {
    auto packages =
        detect_virtual_packages(options_for("cuda_init_error", {{"CONDA_OVERRIDE_GLIBC", "2.17"}}));
    ASSERT_NE(find(packages, "__glibc"), nullptr);
    EXPECT_EQ(find(packages, "__glibc")->str(), "__glibc=2.17=0");
    EXPECT_EQ(find(packages, "__glibc")->source, "override CONDA_OVERRIDE_GLIBC");
    packages =
        detect_virtual_packages(options_for("cuda_init_error", {{"CENV_OVERRIDE_GLIBC", ""}}));
    EXPECT_EQ(find(packages, "__glibc"), nullptr);
    EXPECT_THROW((void)detect_virtual_packages(
                     options_for("cuda_init_error", {{"CONDA_OVERRIDE_GLIBC", "*"}})),
                 SystemError);
}

TEST(ArchspecOverride, SetsTheBuildOrRemovesIt) {
    auto packages = detect_virtual_packages(
        options_for("cuda_init_error", {{"CONDA_OVERRIDE_ARCHSPEC", "haswell"}}));
    ASSERT_NE(find(packages, "__archspec"), nullptr);
    EXPECT_EQ(find(packages, "__archspec")->str(), "__archspec=1=haswell");
    packages =
        detect_virtual_packages(options_for("cuda_init_error", {{"CONDA_OVERRIDE_ARCHSPEC", ""}}));
    EXPECT_EQ(find(packages, "__archspec"), nullptr);
}

TEST(LinuxOverride, KeepsTheNumericPartOrFallsToZero) {
    const auto version = [](const std::string& value) {
        const auto packages = detect_virtual_packages(
            options_for("cuda_init_error", {{"CONDA_OVERRIDE_LINUX", value}}));
        return find(packages, "__linux")->version;
    };
    EXPECT_EQ(version("5.10.0-26-cloud-amd64"), "5.10.0");
    EXPECT_EQ(version("4.18"), "4.18");
    EXPECT_EQ(version(""), "0");
    EXPECT_EQ(version("abc"), "0");
}

TEST(Overrides, TheProcessEnvironmentByDefault) {
    ::setenv("CENV_OVERRIDE_CUDA", "10.2", 1);
    DetectOptions o = options_for("nvml_ok");
    o.env.reset();
    const auto packages = detect_virtual_packages(o);
    ::unsetenv("CENV_OVERRIDE_CUDA");
    ASSERT_NE(find(packages, "__cuda"), nullptr);
    EXPECT_EQ(find(packages, "__cuda")->version, "10.2");
}

}  // namespace
}  // namespace cenv::system

// Linking the real zlib package (both formats) into a prefix: hard links, the repaired soft
// links of these repacked archives, the text placeholder, the record's paths; copies when
// hard links are off; binary placeholders too short for the prefix.

#include "install/link_package.hpp"

#include <dlfcn.h>
#include <sys/stat.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "install/error.hpp"
#include "install/package_cache.hpp"
#include "test_support.hpp"

namespace cenv::install {
namespace {

namespace fs = std::filesystem;
using test::ScratchDir;
using test::slurp;
using test::spit;

const fs::path kRepo = test::fixtures() / "conda-format-repo/linux-64";

specs::PackageRecord zlib(const std::string& fn) {
    const auto repodata = nlohmann::json::parse(slurp(kRepo / "repodata.json"));
    const auto& j = repodata.at(fn.ends_with(".conda") ? "packages.conda" : "packages").at(fn);
    specs::PackageRecord r;
    r.name = "zlib";
    r.version = j.at("version");
    r.build = j.at("build");
    r.md5 = j.at("md5");
    r.sha256 = j.value("sha256", "");
    r.size = j.at("size");
    r.subdir = "linux-64";
    r.fn = fn;
    r.url = "file://" + (kRepo / fn).string();
    return r;
}

// The parent folders of every planned path, as the transaction makes them.
void make_parents(const PackageLink& link, const fs::path& prefix) {
    for (const auto& planned : link.paths) {
        fs::create_directories((prefix / planned.target).parent_path());
    }
}

class LinkZlib : public ::testing::TestWithParam<const char*> {};

TEST_P(LinkZlib, IntoAPrefix) {
    ScratchDir scratch;
    PackageCache cache({scratch.path() / "pkgs"});
    const auto record = zlib(GetParam());
    const fs::path tree = cache.ensure_extracted(record, kRepo / record.fn);
    const PackageLink link = plan_package_link(record, tree, std::nullopt);
    const fs::path prefix = scratch.path() / "env";
    make_parents(link, prefix);
    std::atomic<bool> hard_links{true};
    const LinkedPackage linked = link_package(link, {prefix, std::nullopt, &hard_links, nullptr});

    EXPECT_EQ(linked.link_type, specs::LinkType::hardlink);
    EXPECT_EQ(linked.files.size(), 7U);
    // The links these repacked archives lost are made again to the file they name.
    EXPECT_EQ(fs::read_symlink(prefix / "lib/libz.so"), "libz.so.1.2.11");
    EXPECT_EQ(fs::read_symlink(prefix / "lib/libz.so.1"), "libz.so.1.2.11");
    void* handle = ::dlopen((prefix / "lib/libz.so").c_str(), RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle, nullptr) << ::dlerror();
    using Version = const char* (*)();
    const auto version = reinterpret_cast<Version>(::dlsym(handle, "zlibVersion"));
    ASSERT_NE(version, nullptr);
    EXPECT_STREQ(version(), "1.2.11");
    ::dlclose(handle);

    EXPECT_TRUE(
        slurp(prefix / "lib/pkgconfig/zlib.pc").starts_with("prefix=" + prefix.string() + "\n"));
    struct stat in_cache {};
    struct stat in_prefix {};
    ::stat((tree / "include/zlib.h").c_str(), &in_cache);
    ::stat((prefix / "include/zlib.h").c_str(), &in_prefix);
    EXPECT_EQ(in_cache.st_ino, in_prefix.st_ino);  // hard-linked

    for (const auto& entry : linked.paths_data.paths) {
        if (entry.path == "lib/pkgconfig/zlib.pc") {
            EXPECT_EQ(entry.file_mode, specs::FileMode::text);
            EXPECT_FALSE(entry.sha256_in_prefix.empty());
            EXPECT_NE(entry.sha256_in_prefix, entry.sha256);
        } else if (entry.type == specs::PathType::hardlink) {
            EXPECT_EQ(entry.sha256_in_prefix, entry.sha256) << entry.path;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(BothFormats, LinkZlib,
                         ::testing::Values("zlib-1.2.11-h7b6447c_3.conda",
                                           "zlib-1.2.11-h7b6447c_3.tar.bz2"));

// A package tree written by hand: info files and payload.
fs::path make_tree(const fs::path& dir, const std::string& paths_json,
                   const std::map<std::string, std::string>& files) {
    fs::create_directories(dir / "info");
    spit(dir / "info/index.json", R"({"name": "p", "version": "1", "build": "0"})");
    spit(dir / "info/paths.json", paths_json);
    for (const auto& [path, content] : files) {
        fs::create_directories((dir / path).parent_path());
        spit(dir / path, content);
    }
    return dir;
}

specs::PackageRecord plain_record() {
    specs::PackageRecord r;
    r.name = "p";
    r.version = "1";
    r.build = "0";
    return r;
}

TEST(LinkPackage, CopiesWhenHardLinksAreOffAndKeepsModes) {
    ScratchDir scratch;
    const fs::path tree = make_tree(scratch.path() / "tree",
                                    R"({"paths": [{"_path": "bin/run", "path_type": "hardlink"},
                      {"_path": "share/data", "path_type": "hardlink", "no_link": true}]})",
                                    {{"bin/run", "#!/bin/sh\necho hi\n"}, {"share/data", "data"}});
    fs::permissions(tree / "bin/run", fs::perms(0755));
    const PackageLink link = plan_package_link(plain_record(), tree, std::nullopt);
    const fs::path prefix = scratch.path() / "env";
    make_parents(link, prefix);
    std::atomic<bool> hard_links{false};
    const auto linked = link_package(link, {prefix, std::nullopt, &hard_links, nullptr});
    EXPECT_EQ(linked.link_type, specs::LinkType::copy);
    struct stat st {};
    ::stat((prefix / "bin/run").c_str(), &st);
    EXPECT_EQ(st.st_nlink, 1U);
    EXPECT_EQ(st.st_mode & 0777, 0755U);
    EXPECT_EQ(slurp(prefix / "share/data"), "data");
}

TEST(LinkPackage, ABinaryPlaceholderShorterThanThePrefixIsRefused) {
    ScratchDir scratch;
    const fs::path tree = make_tree(
        scratch.path() / "tree",
        R"({"paths": [{"_path": "lib/libp.so", "path_type": "hardlink", "file_mode": "binary",
                       "prefix_placeholder": "/opt/p"}]})",
        {{"lib/libp.so", std::string("\x7f"
                                     "ELF/opt/p/lib\0",
                                     15)}});
    const PackageLink link = plan_package_link(plain_record(), tree, std::nullopt);
    const fs::path prefix = scratch.path() / "env";
    make_parents(link, prefix);
    std::atomic<bool> hard_links{true};
    try {
        (void)link_package(link, {prefix, std::nullopt, &hard_links, nullptr});
        FAIL() << "expected InstallError";
    } catch (const InstallError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("p-1-0"), std::string::npos);
        EXPECT_NE(what.find("lib/libp.so"), std::string::npos);
        EXPECT_NE(e.hint().find("at most 6 characters"), std::string::npos) << e.hint();
    }
}

TEST(LinkPackage, NoarchPythonIsPlacedWithEntryPointsAndPycs) {
    ScratchDir scratch;
    const fs::path tree = make_tree(
        scratch.path() / "tree",
        R"({"paths": [{"_path": "site-packages/hello/__init__.py", "path_type": "hardlink"},
                      {"_path": "python-scripts/hello-where", "path_type": "hardlink"},
                      {"_path": "share/doc/hello.txt", "path_type": "hardlink"}]})",
        {{"site-packages/hello/__init__.py", "def main(): print('hi')\n"},
         {"python-scripts/hello-where", "#!/bin/sh\n"},
         {"share/doc/hello.txt", "doc"}});
    spit(tree / "info/link.json",
         R"({"noarch": {"type": "python", "entry_points": ["hello = hello:main"]}})");
    specs::PackageRecord python;
    python.name = "python";
    python.version = "3.12.1";
    const auto layout = python_layout(std::vector{python});
    EXPECT_THROW((void)plan_package_link(plain_record(), tree, std::nullopt), InstallError);
    const PackageLink link = plan_package_link(plain_record(), tree, layout);
    std::vector<std::string> targets;
    for (const auto& planned : link.paths) {
        targets.push_back(planned.target);
    }
    EXPECT_EQ(targets,
              (std::vector<std::string>{"lib/python3.12/site-packages/hello/__init__.py",
                                        "bin/hello-where", "share/doc/hello.txt", "bin/hello",
                                        "lib/python3.12/site-packages/hello/__pycache__/"
                                        "__init__.cpython-312.pyc"}));
    const fs::path prefix = scratch.path() / "env";
    make_parents(link, prefix);
    std::atomic<bool> hard_links{true};
    const auto linked = link_package(link, {prefix, layout, &hard_links, nullptr});
    // The pyc is left to the compiler; the entry point is written and recorded.
    EXPECT_EQ(linked.files.size(), 4U);
    EXPECT_EQ(linked.paths_data.paths.back().type, specs::PathType::unix_python_entry_point);
    EXPECT_TRUE(slurp(prefix / "bin/hello")
                    .starts_with("#!" + (prefix / "bin/python3.12").string() + "\n"));
    struct stat st {};
    ::stat((prefix / "bin/hello").c_str(), &st);
    EXPECT_EQ(st.st_mode & 0111, 0111U);
}

TEST(LinkPackage, PathsOutsideThePrefixAreRefused) {
    ScratchDir scratch;
    for (const char* path : {"../outside", "/etc/passwd", "a/../../b"}) {
        const fs::path tree = make_tree(
            scratch.path() / "tree",
            std::string(R"({"paths": [{"_path": ")") + path + R"(", "path_type": "hardlink"}]})",
            {});
        EXPECT_THROW((void)plan_package_link(plain_record(), tree, std::nullopt), InstallError)
            << path;
        fs::remove_all(scratch.path() / "tree");
    }
}

}  // namespace
}  // namespace cenv::install

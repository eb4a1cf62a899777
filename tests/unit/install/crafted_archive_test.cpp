// Archives crafted at test time (libarchive's writer) for the attacks the fixtures lack:
// hard links out of the package, device files, writes through an inner symlink, a symlink
// made to escape by a later one, and a .conda whose inner tarball is malicious.

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <gtest/gtest.h>

#include "install/error.hpp"
#include "install/extract.hpp"
#include "test_support.hpp"

namespace cenv::install {
namespace {

namespace fs = std::filesystem;
using test::names_in;
using test::ScratchDir;

struct Entry {
    std::string path;
    mode_t type = AE_IFREG;
    std::string data;      // file content
    std::string link;      // symlink target
    std::string hardlink;  // hard link target
    mode_t perm = 0644;
};

Entry file(std::string path, std::string data, mode_t perm = 0644) {
    Entry e;
    e.path = std::move(path);
    e.data = std::move(data);
    e.perm = perm;
    return e;
}

Entry symlink(std::string path, std::string target) {
    Entry e;
    e.path = std::move(path);
    e.type = AE_IFLNK;
    e.link = std::move(target);
    return e;
}

Entry hardlink(std::string path, std::string target) {
    Entry e;
    e.path = std::move(path);
    e.hardlink = std::move(target);
    return e;
}

Entry special(std::string path, mode_t type) {
    Entry e;
    e.path = std::move(path);
    e.type = type;
    return e;
}

// Writes `entries` as a tar (zstd-compressed when `zstd`) at `out`.
void write_tar(const fs::path& out, const std::vector<Entry>& entries, bool zstd = false) {
    archive* a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    if (zstd) {
        archive_write_add_filter_zstd(a);
    }
    ASSERT_EQ(archive_write_open_filename(a, out.c_str()), ARCHIVE_OK);
    for (const auto& e : entries) {
        archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, e.path.c_str());
        archive_entry_set_filetype(entry, e.type);
        archive_entry_set_perm(entry, e.perm);
        if (!e.link.empty()) {
            archive_entry_set_symlink(entry, e.link.c_str());
        }
        if (!e.hardlink.empty()) {
            archive_entry_set_hardlink(entry, e.hardlink.c_str());
        }
        if (e.type == AE_IFCHR) {
            archive_entry_set_rdev(entry, makedev(1, 3));
        }
        archive_entry_set_size(entry, e.type == AE_IFREG && e.hardlink.empty()
                                          ? static_cast<la_int64_t>(e.data.size())
                                          : 0);
        ASSERT_EQ(archive_write_header(a, entry), ARCHIVE_OK) << archive_error_string(a);
        if (!e.data.empty()) {
            archive_write_data(a, e.data.data(), e.data.size());
        }
        archive_entry_free(entry);
    }
    archive_write_close(a);
    archive_write_free(a);
}

// A .conda (stored zip) holding the given inner tarballs.
void write_conda(const fs::path& out,
                 const std::vector<std::pair<std::string, fs::path>>& members) {
    archive* a = archive_write_new();
    archive_write_set_format_zip(a);
    archive_write_set_options(a, "zip:compression=store");
    ASSERT_EQ(archive_write_open_filename(a, out.c_str()), ARCHIVE_OK);
    for (const auto& [name, file] : members) {
        const std::string data = test::slurp(file);
        archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, name.c_str());
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_perm(entry, 0644);
        archive_entry_set_size(entry, static_cast<la_int64_t>(data.size()));
        ASSERT_EQ(archive_write_header(a, entry), ARCHIVE_OK);
        archive_write_data(a, data.data(), data.size());
        archive_entry_free(entry);
    }
    archive_write_close(a);
    archive_write_free(a);
}

std::string refusal(const fs::path& archive, const fs::path& target) {
    try {
        extract_package(archive, target);
    } catch (const InstallError& e) {
        return e.what();
    }
    return "<extracted>";
}

const Entry kInfo = file("info/index.json", R"({"name":"x"})");

TEST(CraftedArchive, RefusedEntriesAreNamed) {
    struct Case {
        const char* what;
        std::vector<Entry> entries;
        const char* entry;
    };
    const std::vector<Case> cases = {
        {"hard link out", {kInfo, hardlink("bin/x", "../../etc/passwd")}, "bin/x"},
        {"hard link absolute", {kInfo, hardlink("bin/x", "/etc/passwd")}, "bin/x"},
        {"hard link to nothing", {kInfo, hardlink("bin/x", "bin/y")}, "bin/x"},
        {"char device", {kInfo, special("dev/null", AE_IFCHR)}, "dev/null"},
        {"fifo", {kInfo, special("p", AE_IFIFO)}, "p"},
        {"through inner symlink",
         {kInfo, symlink("lib/alib", "alibrary"), file("lib/alib/x.so", "x")},
         "lib/alib/x.so"},
        {"later symlink makes earlier escape",
         {kInfo, symlink("a", "d/b/../.."), symlink("d/b", ".")},
         "a"},
    };
    for (const auto& c : cases) {
        ScratchDir scratch;
        const fs::path tar = scratch.path() / "evil-1-0.tar.bz2";
        write_tar(tar, c.entries);
        fs::create_directories(scratch.path() / "pkgs");
        const std::string error = refusal(tar, scratch.path() / "pkgs/evil-1-0");
        EXPECT_NE(error.find(std::string("entry '") + c.entry + "'"), std::string::npos)
            << c.what << ": " << error;
        EXPECT_TRUE(names_in(scratch.path() / "pkgs").empty()) << c.what;
    }
}

TEST(CraftedArchive, HardLinksWithinThePackageAreKept) {
    ScratchDir scratch;
    const fs::path tar = scratch.path() / "ok-1-0.tar.bz2";
    write_tar(tar,
              {kInfo, file("bin/tool", "#!/bin/sh\n", 0755), hardlink("bin/tool2", "bin/tool")});
    const fs::path out = scratch.path() / "ok";
    extract_package(tar, out);
    struct stat a {};
    struct stat b {};
    ASSERT_EQ(::stat((out / "bin/tool").c_str(), &a), 0);
    ASSERT_EQ(::stat((out / "bin/tool2").c_str(), &b), 0);
    EXPECT_EQ(a.st_ino, b.st_ino);
    EXPECT_EQ(a.st_mode & 0777, 0755u);
    EXPECT_EQ(test::slurp(out / "bin/tool2"), "#!/bin/sh\n");
}

TEST(CraftedArchive, MaliciousInnerTarballOfAConda) {
    ScratchDir scratch;
    write_tar(scratch.path() / "info.tar.zst", {kInfo}, true);
    write_tar(scratch.path() / "pkg.tar.zst", {file("../../escape", "x")}, true);
    const fs::path conda = scratch.path() / "evil-1-0.conda";
    write_conda(conda, {{"metadata.json", scratch.path() / "info.tar.zst"},
                        {"info-evil-1-0.tar.zst", scratch.path() / "info.tar.zst"},
                        {"pkg-evil-1-0.tar.zst", scratch.path() / "pkg.tar.zst"}});
    fs::create_directories(scratch.path() / "pkgs");
    const std::string error = refusal(conda, scratch.path() / "pkgs/evil-1-0");
    EXPECT_NE(error.find("entry '../../escape'"), std::string::npos) << error;
    EXPECT_NE(error.find(conda.string()), std::string::npos) << error;
    EXPECT_TRUE(names_in(scratch.path() / "pkgs").empty());
    EXPECT_FALSE(fs::exists(scratch.path() / "escape"));

    // The same .conda with a clean payload extracts (stored zip members, zstd inner tarballs).
    write_tar(scratch.path() / "pkg.tar.zst", {file("share/ok.txt", "fine")}, true);
    write_conda(conda, {{"info-evil-1-0.tar.zst", scratch.path() / "info.tar.zst"},
                        {"pkg-evil-1-0.tar.zst", scratch.path() / "pkg.tar.zst"}});
    extract_package(conda, scratch.path() / "pkgs/evil-1-0");
    EXPECT_EQ(test::slurp(scratch.path() / "pkgs/evil-1-0/share/ok.txt"), "fine");
}

}  // namespace
}  // namespace cenv::install

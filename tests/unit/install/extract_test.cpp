#include "install/extract.hpp"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "install/error.hpp"
#include "test_support.hpp"

namespace cenv::install {
namespace {

namespace fs = std::filesystem;

using test::fixtures;
using test::names_in;
using test::ScratchDir;
using test::snapshot;

const fs::path kZlibConda = fixtures() / "conda-format-repo/linux-64/zlib-1.2.11-h7b6447c_3.conda";
const fs::path kZlibTarBz2 =
    fixtures() / "conda-format-repo/linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2";
const fs::path kCph = fixtures() / "mamba-cph-test-data/cph_test_data-0.0.1-0.tar.bz2";

// The error message of extracting `archive` into `target`, empty if it succeeded.
std::string extract_error(const fs::path& archive, const fs::path& target) {
    try {
        extract_package(archive, target);
    } catch (const InstallError& e) {
        EXPECT_FALSE(e.hint().empty());
        return e.what();
    }
    return {};
}

TEST(Extract, ArchiveStemAndFormat) {
    EXPECT_EQ(archive_stem("/x/zlib-1.2.11-h7b6447c_3.conda"), "zlib-1.2.11-h7b6447c_3");
    EXPECT_EQ(archive_stem("zlib-1.2.11-h7b6447c_3.tar.bz2"), "zlib-1.2.11-h7b6447c_3");
    EXPECT_EQ(archive_format("a-1-0.conda"), ArchiveFormat::conda);
    EXPECT_EQ(archive_format("a-1-0.tar.bz2"), ArchiveFormat::tarball);
}

TEST(Extract, CondaAndTarBz2GiveTheSameTree) {
    ScratchDir scratch;
    extract_package(kZlibConda, scratch.path() / "from-conda");
    extract_package(kZlibTarBz2, scratch.path() / "from-tar");
    auto conda = snapshot(scratch.path() / "from-conda");
    auto tar = snapshot(scratch.path() / "from-tar");
    // The fixture's oddity (see PROVENANCE.md): lib/libz.so and lib/libz.so.1 are symlinks
    // with an empty target in the .conda (left out) and empty files in the .tar.bz2.
    EXPECT_FALSE(conda.contains("lib/libz.so"));
    EXPECT_EQ(tar.at("lib/libz.so"), "file 666 ");  // as packed (repacked with 0666)
    tar.erase("lib/libz.so");
    tar.erase("lib/libz.so.1");
    EXPECT_EQ(conda, tar);
    EXPECT_TRUE(conda.contains("info/index.json"));
    EXPECT_TRUE(conda.contains("info/paths.json"));
    EXPECT_TRUE(conda.contains("include/zlib.h"));
    EXPECT_EQ(conda.at("lib/libz.so.1.2.11").substr(0, 13),
              "file 666 \x7f"
              "ELF");
    // Only the finished tree is left: no temporary sibling.
    EXPECT_EQ(names_in(scratch.path()), (std::vector<std::string>{"from-conda", "from-tar"}));
}

TEST(Extract, KeepsModesAndSymlinks) {
    ScratchDir scratch;
    const fs::path out = scratch.path() / "cph";
    extract_package(kCph, out);
    const auto snap = snapshot(out);
    const auto tree = [&snap](const std::string& path) {
        const auto it = snap.find(path);
        return it == snap.end() ? std::string("<missing>") : it->second;
    };
    EXPECT_EQ(tree("bin/hello-1.0").substr(0, 9), "file 775 ");
    EXPECT_EQ(tree("lib/alibrary/alib.lib"), "file 664 ");
    EXPECT_EQ(tree("info/index.json").substr(0, 9), "file 640 ");
    EXPECT_EQ(tree("bin/hello"), "link -> hello-1.0");
    EXPECT_EQ(tree("libexec/greetings"), "link -> ../bin/hello");
    EXPECT_EQ(tree("lib/alib"), "link -> alibrary");
    EXPECT_EQ(tree("lib/terminfo"), "link -> ../share/terminfo");
    EXPECT_EQ(tree("lib/libdangle.lib"), "link -> libdangle.lib.1");  // dangling, inside
    EXPECT_EQ(test::slurp(out / "libexec/greetings"), test::slurp(out / "bin/hello-1.0"));
    // Modification times as packed (tar tv: 2022-03-31 14:50 for bin/hello-1.0).
    struct stat st {};
    ASSERT_EQ(::stat((out / "bin/hello-1.0").c_str(), &st), 0);
    EXPECT_GE(st.st_mtime, 1648684800);  // 2022-03-31 00:00 UTC
    EXPECT_LT(st.st_mtime, 1648771200);  // 2022-04-01 00:00 UTC
}

TEST(Extract, ReplacesAnExistingTreeOnlyOnSuccess) {
    ScratchDir scratch;
    const fs::path out = scratch.path() / "pkg";
    fs::create_directories(out / "stale");
    extract_package(kCph, out);
    EXPECT_FALSE(fs::exists(out / "stale"));
    EXPECT_TRUE(fs::exists(out / "bin/hello-1.0"));
    EXPECT_EQ(names_in(scratch.path()), std::vector<std::string>{"pkg"});
}

TEST(Extract, ZipWithDataDescriptorsUnderAFolder) {
    // Re-zipped by a desktop tool: members under a folder, sizes after the data.
    ScratchDir scratch;
    const fs::path out = scratch.path() / "ca";
    extract_package(
        fixtures() / "rattler-package-streaming/ca-certificates-2024.7.4-hbcca054_0.conda", out);
    EXPECT_TRUE(fs::is_regular_file(out / "info/index.json"));
    EXPECT_GT(fs::file_size(out / "ssl/cacert.pem"), 100000u);
}

struct Malicious {
    const char* file;
    const char* entry;  // the entry the error must name
};

class RefusesMalicious : public ::testing::TestWithParam<Malicious> {};

TEST_P(RefusesMalicious, NamesTheEntryAndLeavesNothing) {
    ScratchDir scratch;
    const fs::path archive = fixtures() / "conda-tar-traversal" / GetParam().file;
    const fs::path target = scratch.path() / "pkgs" / "evil";
    const std::string error = extract_error(archive, target);
    EXPECT_NE(error.find("refusing to extract '" + archive.string() + "'"), std::string::npos)
        << error;
    EXPECT_NE(error.find(std::string("entry '") + GetParam().entry + "'"), std::string::npos)
        << error;
    EXPECT_TRUE(names_in(scratch.path() / "pkgs").empty());
    EXPECT_FALSE(fs::exists(scratch.path() / "moo"));
}

INSTANTIATE_TEST_SUITE_P(
    TarTraversal, RefusesMalicious,
    ::testing::Values(Malicious{"absolute1.tar", "/tmp/moo"},
                      Malicious{"absolute2.tar", "//tmp/moo"}, Malicious{"relative0.tar", "../moo"},
                      Malicious{"relative2.tar", "tmp/../../moo"}, Malicious{"symlink.tar", "moo"},
                      Malicious{"dirsymlink.tar", "tmp"}, Malicious{"dirsymlink2a.tar", "par"},
                      Malicious{"dirsymlink2b.tar", "cur/par"}));

// A truncated copy of a real archive made at test time.
fs::path truncated_copy(const fs::path& archive, const fs::path& dir, double fraction) {
    const std::string content = test::slurp(archive);
    const fs::path out = dir / archive.filename();
    test::spit(out, content.substr(0, static_cast<std::size_t>(content.size() * fraction)));
    return out;
}

TEST(Extract, TruncatedArchivesFailCleanly) {
    for (const auto& archive : {kZlibConda, kZlibTarBz2}) {
        for (const double fraction : {0.0, 0.1, 0.5, 0.9, 0.99}) {
            ScratchDir scratch;
            const fs::path copy = truncated_copy(archive, scratch.path(), fraction);
            fs::create_directories(scratch.path() / "pkgs");
            const std::string error = extract_error(copy, scratch.path() / "pkgs/zlib");
            EXPECT_NE(error.find(copy.string()), std::string::npos) << fraction << ": " << error;
            EXPECT_TRUE(names_in(scratch.path() / "pkgs").empty()) << fraction;
        }
    }
}

TEST(Extract, CorruptBytesFailCleanly) {
    ScratchDir scratch;
    std::string content = test::slurp(kZlibTarBz2);
    for (std::size_t i = content.size() / 2; i < content.size() / 2 + 64; ++i) {
        content[i] = static_cast<char>(content[i] ^ 0x5a);
    }
    const fs::path copy = scratch.path() / kZlibTarBz2.filename();
    test::spit(copy, content);
    fs::create_directories(scratch.path() / "pkgs");
    const std::string error = extract_error(copy, scratch.path() / "pkgs/zlib");
    EXPECT_NE(error.find(copy.string()), std::string::npos) << error;
    EXPECT_TRUE(names_in(scratch.path() / "pkgs").empty());
}

TEST(Extract, AZipWithoutPackageMembersIsNotAPackage) {
    ScratchDir scratch;
    // The outer zip of a .conda passed off as a tarball, and a tarball passed off as .conda.
    const fs::path fake = scratch.path() / "fake-1-0.conda";
    fs::copy_file(kZlibTarBz2, fake);
    const std::string error = extract_error(fake, scratch.path() / "fake");
    EXPECT_NE(error.find(fake.string()), std::string::npos) << error;
    EXPECT_FALSE(fs::exists(scratch.path() / "fake"));
}

TEST(Extract, MissingArchive) {
    ScratchDir scratch;
    const std::string error = extract_error(scratch.path() / "nope.conda", scratch.path() / "x");
    EXPECT_NE(error.find("nope.conda"), std::string::npos);
}

}  // namespace
}  // namespace cenv::install

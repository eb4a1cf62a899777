// Explicit files' records, completed from the packages themselves (a real zlib .conda from
// ../shared/fixtures/packages).

#include "install/explicit_records.hpp"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "install/error.hpp"
#include "install/fetch.hpp"
#include "specs/spec_file.hpp"
#include "test_support.hpp"
#include "util/hash.hpp"

namespace cenv::install {
namespace {

using test::fixtures;
using test::ScratchDir;
namespace fs = std::filesystem;

const fs::path kZlib = fixtures() / "conda-format-repo/linux-64/zlib-1.2.11-h7b6447c_3.conda";

std::vector<specs::ExplicitPackage> explicit_file(const std::string& fragment) {
    return specs::parse_spec_file("@EXPLICIT\nfile://" + kZlib.string() + fragment + "\n",
                                  "explicit.txt")
        .packages;
}

PrepareOptions local() {
    PrepareOptions options;
    options.fetch = fetch_by_scheme();
    return options;
}

TEST(ExplicitRecords, CompletedFromIndexJsonAndVerified) {
    ScratchDir dir;
    PackageCache cache({dir.path() / "pkgs"});
    const util::FileDigests digests = util::file_digests(kZlib);
    const auto records = explicit_records(cache, explicit_file("#" + digests.md5), local());
    ASSERT_EQ(records.size(), 1U);
    const specs::PackageRecord& zlib = records[0];
    EXPECT_EQ(zlib.dist_str(), "zlib-1.2.11-h7b6447c_3");
    EXPECT_EQ(zlib.depends, std::vector<std::string>{"libgcc-ng >=7.3.0"});
    EXPECT_EQ(zlib.build_number, 3U);
    EXPECT_EQ(zlib.license, "zlib");
    EXPECT_EQ(zlib.subdir, "linux-64");
    EXPECT_EQ(zlib.url, "file://" + kZlib.string());
    EXPECT_EQ(zlib.fn, "zlib-1.2.11-h7b6447c_3.conda");
    EXPECT_EQ(zlib.md5, digests.md5);
    EXPECT_EQ(zlib.sha256, digests.sha256);
    EXPECT_EQ(zlib.size, digests.size);
    EXPECT_TRUE(cache.find_tree(zlib).has_value());  // the transaction reuses the tree
}

TEST(ExplicitRecords, Sha256FragmentAndNoFragment) {
    ScratchDir dir;
    PackageCache cache({dir.path() / "pkgs"});
    const std::string sha = util::file_digests(kZlib).sha256;
    EXPECT_EQ(explicit_records(cache, explicit_file("#sha256:" + sha), local())[0].sha256, sha);
    ScratchDir other;
    PackageCache fresh({other.path() / "pkgs"});
    EXPECT_EQ(explicit_records(fresh, explicit_file(""), local())[0].sha256, sha);
}

TEST(ExplicitRecords, WrongChecksumNamesThePackageAndLinksNothing) {
    ScratchDir dir;
    PackageCache cache({dir.path() / "pkgs"});
    try {
        (void)explicit_records(cache, explicit_file("#" + std::string(32, '0')), local());
        FAIL() << "expected InstallError";
    } catch (const InstallError& e) {
        EXPECT_NE(std::string(e.what()).find("zlib-1.2.11-h7b6447c_3"), std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace cenv::install

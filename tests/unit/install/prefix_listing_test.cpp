// cenv list's rows: conda records, and Python distributions that no record owns.

#include "install/prefix_listing.hpp"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "listing_prefix.hpp"
#include "test_support.hpp"

namespace cenv::install {
namespace {

using test::kSp;
using test::make_prefix;
using test::ScratchDir;

std::vector<std::string> rows(const PrefixListing& listing) {
    std::vector<std::string> out;
    for (const auto& p : listing.packages) {
        out.push_back(p.name + " " + p.version + " " + p.build + " " + p.channel);
    }
    return out;
}

TEST(PrefixListing, CondaPackagesAndWhatPipInstalledOnce) {
    ScratchDir dir;
    make_prefix(dir.path());
    const PrefixListing listing = list_prefix(dir.path());
    EXPECT_EQ(rows(listing), (std::vector<std::string>{
                                 "pip 23.2.1 pyh_0 conda-forge",
                                 "python 3.11.7 h_0 conda-forge",
                                 "six 1.16.0 pypi_0 pypi",
                                 "torch 2.1.0+cu121 pypi_0 pypi",
                                 "zlib 1.2.13 h_1 defaults",
                             }));
    ASSERT_EQ(listing.problems.size(), 1U);
    EXPECT_EQ(listing.problems[0].path, std::string(kSp) + "/broken-1.dist-info");
}

TEST(PrefixListing, RowFields) {
    ScratchDir dir;
    make_prefix(dir.path());
    const PrefixListing listing = list_prefix(dir.path());
    const ListedPackage& python = listing.packages[1];
    EXPECT_EQ(python.base_url, "https://conda.anaconda.org/conda-forge");
    EXPECT_EQ(python.platform, "linux-64");
    EXPECT_EQ(python.md5, "0123456789abcdef0123456789abcdef");
    EXPECT_FALSE(python.pypi);
    const ListedPackage& torch = listing.packages[3];
    EXPECT_TRUE(torch.pypi);
    EXPECT_TRUE(torch.requested);
    EXPECT_EQ(torch.installer, "pip");
    EXPECT_EQ(torch.base_url, "https://pypi.org/");
    EXPECT_EQ(torch.platform, "pypi");
    EXPECT_EQ(listing.packages[4].base_url, "https://repo.anaconda.com/pkgs/main");
}

TEST(PrefixListing, OwnershipIsByAnchor) {
    PythonDistribution dist;
    dist.anchor = "lib/python3.11/site-packages/pip-23.2.1.dist-info/RECORD";
    EXPECT_TRUE(owned_by_conda(dist, {dist.anchor, "bin/pip"}));
    EXPECT_FALSE(owned_by_conda(dist, {"lib/python3.11/site-packages/pip/__init__.py"}));
}

}  // namespace
}  // namespace cenv::install

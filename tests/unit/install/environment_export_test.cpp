// cenv env export: environment.yml from what a prefix holds or from its history.

#include "install/environment_export.hpp"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "listing_prefix.hpp"
#include "test_support.hpp"

namespace cenv::install {
namespace {

using test::make_prefix;
using test::put;
using test::ScratchDir;

TEST(EnvironmentExport, EveryPackageWithBuildsAndThePipSection) {
    ScratchDir dir;
    make_prefix(dir.path());
    ExportOptions options;
    options.name = "t";
    const specs::EnvironmentFile env = export_environment(dir.path(), options);
    EXPECT_EQ(env.name, "t");
    EXPECT_EQ(env.prefix, dir.path().string());
    EXPECT_EQ(env.channels, (std::vector<std::string>{"conda-forge", "defaults"}));
    EXPECT_EQ(env.dependencies, (std::vector<std::string>{"pip=23.2.1=pyh_0", "python=3.11.7=h_0",
                                                          "zlib=1.2.13=h_1"}));
    EXPECT_EQ(env.pip, (std::vector<std::string>{"six==1.16.0", "torch==2.1.0+cu121"}));

    options.no_builds = true;
    EXPECT_EQ(export_environment(dir.path(), options).dependencies,
              (std::vector<std::string>{"pip=23.2.1", "python=3.11.7", "zlib=1.2.13"}));
}

TEST(EnvironmentExport, FromHistoryKeepsWhatWasAskedFor) {
    ScratchDir dir;
    make_prefix(dir.path());
    put(dir.path(), "conda-meta/history",
        "==> 2024-01-01 00:00:00 <==\n# cmd: cenv create -n t python=3.11 pip\n"
        "# update specs: ['python=3.11', 'pip']\n"
        "==> 2024-01-02 00:00:00 <==\n# update specs: [\"zlib\"]\n");
    ExportOptions options;
    options.from_history = true;
    const specs::EnvironmentFile env = export_environment(dir.path(), options);
    EXPECT_EQ(env.dependencies, (std::vector<std::string>{"python=3.11", "pip", "zlib"}));
    EXPECT_EQ(env.pip, std::vector<std::string>{"torch==2.1.0+cu121"});  // six: not REQUESTED
    EXPECT_EQ(env.name, "");
}

TEST(EnvironmentExport, PlatformIsTheMostCommonSubdir) {
    std::vector<specs::PackageRecord> records(4);
    records[0].subdir = "noarch";
    records[1].subdir = "linux-aarch64";
    records[2].subdir = "noarch";
    records[3].subdir = "linux-aarch64";
    EXPECT_EQ(prefix_platform(records), "linux-aarch64");
    EXPECT_FALSE(prefix_platform({}).empty());  // this machine's
}

}  // namespace
}  // namespace cenv::install

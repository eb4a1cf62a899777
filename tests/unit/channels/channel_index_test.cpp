#include "channels/channel_index.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "channels/error.hpp"

namespace cenv::channels {
namespace {

const std::string kFixtures = CENV_FIXTURES_DIR;

TEST(LoadChannel, ReadsEachExistingSubdirInOrder) {
    const auto location = ChannelLocation::parse(kFixtures + "/channels/conda-conda-test");
    const std::vector<std::string> subdirs{"linux-64", "noarch"};
    const auto index = load_channel(location, subdirs);
    ASSERT_EQ(index.subdirs.size(), 2U);
    EXPECT_EQ(index.subdirs[0].subdir, "linux-64");
    EXPECT_EQ(index.subdirs[1].subdir, "noarch");
    // PROVENANCE.md: noarch holds 10 records; linux-64 holds fly and spiffy-test-app 1.0/2.0.
    EXPECT_EQ(index.subdirs[1].repodata.records.size(), 10U);
    EXPECT_EQ(index.subdirs[0].repodata.records.size(), 3U);
    for (const auto& record : index.subdirs[1].repodata.records) {
        EXPECT_EQ(record.channel, location.url);
        EXPECT_EQ(record.url, location.url + "/noarch/" + record.fn);
    }
}

TEST(LoadChannel, MissingSubdirIsSkipped) {
    const auto location = ChannelLocation::parse(kFixtures + "/channels/conda-conda-test");
    const std::vector<std::string> subdirs{"osx-arm64", "noarch"};
    const auto index = load_channel(location, subdirs);
    ASSERT_EQ(index.subdirs.size(), 1U);
    EXPECT_EQ(index.subdirs[0].subdir, "noarch");
}

TEST(LoadChannel, NoSubdirAtAllIsAnErrorNamingTheChannel) {
    const auto location = ChannelLocation::parse(kFixtures + "/channels/conda-conda-test");
    const std::vector<std::string> subdirs{"osx-arm64"};
    try {
        (void)load_channel(location, subdirs);
        FAIL();
    } catch (const ChannelError& e) {
        EXPECT_NE(std::string(e.what()).find("conda-conda-test"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("osx-arm64"), std::string::npos);
    }
}

TEST(LoadChannel, MissingFolderIsAnError) {
    const std::vector<std::string> subdirs{"noarch"};
    EXPECT_THROW((void)load_channel(ChannelLocation::parse("/nonexistent/chan"), subdirs),
                 ChannelError);
}

}  // namespace
}  // namespace cenv::channels

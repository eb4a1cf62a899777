#include "channels/channel_location.hpp"

#include <gtest/gtest.h>

#include "channels/error.hpp"

namespace cenv::channels {
namespace {

TEST(ChannelLocation, AbsolutePathBecomesFileUrl) {
    const auto location = ChannelLocation::parse("/srv/chan/");
    EXPECT_EQ(location.directory, "/srv/chan");
    EXPECT_EQ(location.url, "file:///srv/chan");
    EXPECT_EQ(location.subdir_url("linux-64"), "file:///srv/chan/linux-64");
}

TEST(ChannelLocation, RelativePathIsMadeAbsolute) {
    const auto location = ChannelLocation::parse("./chan");
    EXPECT_TRUE(location.directory.is_absolute());
    EXPECT_EQ(location.directory.filename(), "chan");
}

TEST(ChannelLocation, FileUrlIsPercentDecoded) {
    const auto location = ChannelLocation::parse("file:///home/%E5%BC%A0%E4%B8%89/my%20chan");
    EXPECT_EQ(location.directory, "/home/\xE5\xBC\xA0\xE4\xB8\x89/my chan");
    EXPECT_EQ(location.url, "file:///home/%E5%BC%A0%E4%B8%89/my%20chan");
}

TEST(ChannelLocation, FileUrlRoundTrips) {
    const std::filesystem::path path = "/tmp/a b/\xE4\xB8\xAD%#?";
    EXPECT_EQ(file_url_to_path(path_to_file_url(path)), path);
}

TEST(ChannelLocation, LocalhostFileUrl) {
    EXPECT_EQ(ChannelLocation::parse("file://localhost/srv/chan").directory, "/srv/chan");
}

TEST(ChannelLocation, RemoteAndNamedChannelsAreRefusedWithAHint) {
    for (const char* arg :
         {"https://conda.anaconda.org/conda-forge", "conda-forge", "file://otherhost/srv/chan"}) {
        try {
            (void)ChannelLocation::parse(arg);
            FAIL() << arg;
        } catch (const ChannelError& e) {
            EXPECT_FALSE(e.hint().empty()) << arg;
        }
    }
}

TEST(ChannelLocation, StrayPercentIsKeptLiterally) {
    EXPECT_EQ(ChannelLocation::parse("file:///srv/%zz").directory, "/srv/%zz");
    EXPECT_EQ(ChannelLocation::parse("file:///srv/%4").directory, "/srv/%4");
}

TEST(ChannelLocation, EmptyArgumentIsAnError) {
    EXPECT_THROW((void)ChannelLocation::parse("   "), ChannelError);
}

}  // namespace
}  // namespace cenv::channels

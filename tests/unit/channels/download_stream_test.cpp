#include "channels/download_stream.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "util/file.hpp"

namespace cenv::channels {
namespace {

using testing::bytes_of;
using testing::leftovers;
using testing::md5_of;
using testing::ScratchDir;
using testing::sha256_of;
using testing::slurp;
using testing::zstd_compress;

// Feeds `data` in pieces of `piece` bytes, as a transfer would.
bool feed(DownloadStream& stream, const std::string& data, std::size_t piece = 1000) {
    for (std::size_t i = 0; i < data.size(); i += piece) {
        if (!stream.write(data.data() + i, std::min(piece, data.size() - i))) {
            return false;
        }
    }
    return true;
}

TEST(DownloadStream, ChecksumAndSizeMatchThenCommit) {
    ScratchDir dir;
    const auto data = bytes_of(100000, 1);
    const auto dest = dir.path() / "a.conda";
    DownloadStream stream(dest, {data.size(), sha256_of(data), {}}, false);
    EXPECT_TRUE(stream.temporary().filename().string().starts_with(".cenv-dl-a.conda-"));
    ASSERT_TRUE(feed(stream, data));
    EXPECT_FALSE(std::filesystem::exists(dest));  // nothing under the real name yet
    ASSERT_EQ(stream.finish(), StreamFault::none) << stream.detail();
    EXPECT_EQ(stream.sha256(), sha256_of(data));
    stream.commit();
    EXPECT_EQ(slurp(dest), data);
    EXPECT_TRUE(leftovers(dir.path()).empty());
}

TEST(DownloadStream, UpperCaseExpectedDigestMatches) {
    ScratchDir dir;
    const auto data = bytes_of(10, 2);
    std::string upper = sha256_of(data);
    for (auto& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    DownloadStream stream(dir.path() / "f", {std::nullopt, upper, {}}, false);
    ASSERT_TRUE(feed(stream, data));
    EXPECT_EQ(stream.finish(), StreamFault::none) << stream.detail();
}

TEST(DownloadStream, WrongBytesAreRefusedAndLeaveNothing) {
    ScratchDir dir;
    const auto data = bytes_of(5000, 3);
    auto wrong = data;
    wrong[2500] ^= 1;
    const auto dest = dir.path() / "b.tar.bz2";
    {
        DownloadStream stream(dest, {data.size(), sha256_of(data), {}}, false);
        ASSERT_TRUE(feed(stream, wrong));
        EXPECT_EQ(stream.finish(), StreamFault::checksum);
        EXPECT_NE(stream.detail().find(sha256_of(data)), std::string::npos) << stream.detail();
    }
    EXPECT_FALSE(std::filesystem::exists(dest));
    EXPECT_TRUE(leftovers(dir.path()).empty());
}

TEST(DownloadStream, Md5IsUsedWhenThereIsNoSha256) {
    ScratchDir dir;
    const auto data = bytes_of(3000, 4);
    DownloadStream good(dir.path() / "g", {std::nullopt, {}, md5_of(data)}, false);
    ASSERT_TRUE(feed(good, data));
    EXPECT_EQ(good.finish(), StreamFault::none);
    DownloadStream bad(dir.path() / "h", {std::nullopt, {}, md5_of(data + "x")}, false);
    ASSERT_TRUE(feed(bad, data));
    EXPECT_EQ(bad.finish(), StreamFault::checksum);
    EXPECT_NE(bad.detail().find("md5"), std::string::npos);
}

TEST(DownloadStream, MoreBytesThanExpectedStopAtOnce) {
    ScratchDir dir;
    const auto data = bytes_of(2000, 5);
    DownloadStream stream(dir.path() / "f", {1500, {}, {}}, false);
    EXPECT_FALSE(feed(stream, data));
    EXPECT_EQ(stream.fault(), StreamFault::too_large);
    EXPECT_LE(stream.received(), 1500U);
}

TEST(DownloadStream, FewerBytesThanExpectedAreTruncated) {
    ScratchDir dir;
    const auto data = bytes_of(2000, 6);
    DownloadStream stream(dir.path() / "f", {4000, sha256_of(data), {}}, false);
    ASSERT_TRUE(feed(stream, data));
    EXPECT_EQ(stream.finish(), StreamFault::truncated);
}

TEST(DownloadStream, ResumableOnlyWhenAChecksumWillJudgeTheResult) {
    ScratchDir dir;
    DownloadStream checked(dir.path() / "a", {std::nullopt, sha256_of("x"), {}}, false);
    checked.write("abc", 3);
    EXPECT_TRUE(checked.resumable());
    EXPECT_EQ(checked.received(), 3U);
    DownloadStream unchecked(dir.path() / "b", {}, false);
    unchecked.write("abc", 3);
    EXPECT_FALSE(unchecked.resumable());
}

TEST(DownloadStream, RestartForgetsWhatWasReceived) {
    ScratchDir dir;
    const auto data = bytes_of(4000, 7);
    const auto dest = dir.path() / "f";
    DownloadStream stream(dest, {data.size(), sha256_of(data), {}}, false);
    ASSERT_TRUE(feed(stream, bytes_of(3000, 8)));
    stream.restart();
    EXPECT_EQ(stream.received(), 0U);
    ASSERT_TRUE(feed(stream, data));
    ASSERT_EQ(stream.finish(), StreamFault::none) << stream.detail();
    stream.commit();
    EXPECT_EQ(slurp(dest), data);
}

TEST(DownloadStream, ZstdIsDecompressedWhileItStreams) {
    ScratchDir dir;
    std::string json = "{\"packages\": {}, \"info\": {\"subdir\": \"noarch\"}, \"pad\": \"";
    json += std::string(300000, 'x') + "\"}";
    const auto packed = zstd_compress(json);
    const auto dest = dir.path() / "repodata.json";
    DownloadStream stream(dest, {}, true);
    ASSERT_TRUE(feed(stream, packed, 777));
    ASSERT_EQ(stream.finish(), StreamFault::none) << stream.detail();
    EXPECT_EQ(stream.received(), packed.size());
    EXPECT_EQ(stream.written(), json.size());
    stream.commit();
    EXPECT_EQ(slurp(dest), json);
}

TEST(DownloadStream, TruncatedOrGarbledZstdIsCorrupt) {
    ScratchDir dir;
    const auto packed = zstd_compress(std::string(100000, 'y') + bytes_of(50000, 9));
    DownloadStream cut(dir.path() / "a", {}, true);
    ASSERT_TRUE(feed(cut, packed.substr(0, packed.size() - 10)));
    EXPECT_EQ(cut.finish(), StreamFault::corrupt);
    EXPECT_NE(cut.detail().find("ends early"), std::string::npos);

    DownloadStream garbage(dir.path() / "b", {}, true);
    EXPECT_FALSE(feed(garbage, "{\"this is\": \"not zstd\"}"));
    EXPECT_EQ(garbage.fault(), StreamFault::corrupt);

    DownloadStream empty(dir.path() / "c", {}, true);
    EXPECT_EQ(empty.finish(), StreamFault::corrupt);
}

TEST(DownloadStream, AFolderThatCannotHoldFilesIsAnIoError) {
    ScratchDir dir;
    testing::write_file(dir.path() / "plain-file", "x");
    EXPECT_THROW(DownloadStream(dir.path() / "plain-file" / "dest", {}, false), util::IoError);
}

}  // namespace
}  // namespace cenv::channels

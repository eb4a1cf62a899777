// The repodata cache against a real HTTP server on 127.0.0.1: one entry per canonical
// subdir whichever source served it, 404 everywhere as a missing subdir (remembered for
// offline runs), a stale copy when no source answers, and nothing written for wrong bytes.

#include "channels/repodata_cache.hpp"

#include <gtest/gtest.h>

#include "channels/repodata_state.hpp"
#include "test_support.hpp"
#include "util/file.hpp"

namespace cenv::channels {
namespace {

using testing::refused_port;
using testing::ScratchDir;
using testing::slurp;
using testing::TestServer;
using testing::write_file;
namespace fs = std::filesystem;

const std::string kLinux = R"({"info": {"subdir": "linux-64"}, "packages": {}})";
const std::string kNoarch = R"({"info": {"subdir": "noarch"}, "packages": {}})";

config::RemoteSettings settings() {
    config::RemoteSettings s;
    s.backoff_factor = 0;
    s.max_retries = 1;
    return s;
}

class RepodataCacheTest : public ::testing::Test {
  protected:
    void SetUp() override {
        served_ = dir_.path() / "served";
        cache_dir_ = dir_.path() / "cache";
        write_file(served_ / "chan/linux-64/repodata.json", kLinux);
        write_file(served_ / "chan/noarch/repodata.json", kNoarch);
    }

    // A channel whose canonical URL nothing answers on, with `mirrors` in front of it.
    ResolvedChannel channel(std::vector<std::string> mirrors) const {
        ResolvedChannel c;
        c.name = "chan";
        c.canonical = "http://127.0.0.1:" + std::to_string(dead_) + "/chan";
        c.mirrors = std::move(mirrors);
        return c;
    }

    std::vector<SubdirFetch> refresh(const ResolvedChannel& c, config::RemoteSettings s,
                                     std::vector<std::string> subdirs = {"linux-64", "noarch"}) {
        Downloader downloader(s);
        RepodataCache cache(cache_dir_, s, downloader);
        std::vector<SubdirRequest> requests;
        for (auto& subdir : subdirs) {
            requests.push_back({&c, subdir});
        }
        return cache.refresh(requests);
    }

    ScratchDir dir_;
    fs::path served_;
    fs::path cache_dir_;
    int dead_ = refused_port();
};

TEST_F(RepodataCacheTest, EveryMirrorFillsTheEntryOfTheCanonicalUrl) {
    TestServer m1(served_, dir_.path(), "m1");
    TestServer m2(served_, dir_.path(), "m2");
    const auto via_m1 = refresh(channel({m1.url("/chan")}), settings());
    ASSERT_EQ(via_m1.size(), 2U);
    EXPECT_EQ(via_m1[0].origin, SubdirOrigin::downloaded);
    ASSERT_TRUE(via_m1[0].file.has_value());
    const fs::path entry = via_m1[0].file->repodata;
    EXPECT_EQ(entry.parent_path(), cache_dir_);
    EXPECT_EQ(slurp(entry), kLinux);
    // The records keep the channel's identity, not the mirror's.
    EXPECT_EQ(via_m1[0].file->source.channel, channel({}).canonical);
    EXPECT_EQ(via_m1[0].file->source.subdir_url, channel({}).canonical + "/linux-64");

    auto ask = settings();
    ask.local_repodata_ttl = 0;
    const auto via_m2 = refresh(channel({m2.url("/chan")}), ask);
    EXPECT_EQ(via_m2[0].file->repodata, entry);
    EXPECT_EQ(via_m2[0].origin, SubdirOrigin::downloaded);  // another URL: no validators
    EXPECT_EQ(via_m2[0].url, m2.url("/chan/linux-64/repodata.json"));
    std::size_t json_files = 0;
    for (const auto& f : fs::directory_iterator(cache_dir_)) {
        json_files += f.path().extension() == ".json" &&
                              !f.path().filename().string().ends_with(".state.json")
                          ? 1
                          : 0;
    }
    EXPECT_EQ(json_files, 2U);  // linux-64 and noarch, once each
}

TEST_F(RepodataCacheTest, ASubdirEverySourceLacksIsMissingAndOfflineKnowsIt) {
    fs::remove_all(served_ / "chan/linux-64");
    TestServer m1(served_, dir_.path(), "m1");
    auto s = settings();
    const auto c = channel({m1.url("/chan")});
    // The canonical URL is refused, so 404 on the mirror alone is not proof: an error.
    EXPECT_THROW(refresh(c, s), DownloadError);
    // With the mirror alone as the source, 404 is final.
    s.mirror_only = true;
    const auto online = refresh(c, s);
    EXPECT_EQ(online[0].origin, SubdirOrigin::missing);
    EXPECT_FALSE(online[0].file.has_value());
    EXPECT_EQ(online[1].origin, SubdirOrigin::not_modified);  // noarch came the first time
    s.offline = true;
    const auto offline = refresh(c, s);
    EXPECT_EQ(offline[0].origin, SubdirOrigin::missing);
    EXPECT_EQ(offline[1].origin, SubdirOrigin::offline);
    EXPECT_NE(offline[1].warning.find("offline"), std::string::npos);
}

TEST_F(RepodataCacheTest, NoAnswerFallsBackToTheCachedCopyWithAWarning) {
    auto s = settings();
    s.local_repodata_ttl = 0;
    {
        TestServer m1(served_, dir_.path(), "m1");
        const auto first = refresh(channel({m1.url("/chan")}), s, {"noarch"});
        ASSERT_EQ(first[0].origin, SubdirOrigin::downloaded);
    }
    // The same mirror URL, nobody listening any more.
    const auto later = refresh(
        channel({"http://127.0.0.1:" + std::to_string(refused_port()) + "/chan"}), s, {"noarch"});
    EXPECT_EQ(later[0].origin, SubdirOrigin::stale);
    EXPECT_NE(later[0].warning.find("using the cached index from"), std::string::npos);
    ASSERT_TRUE(later[0].file.has_value());
    EXPECT_EQ(slurp(later[0].file->repodata), kNoarch);
    EXPECT_FALSE(later[0].failures.empty());
}

TEST_F(RepodataCacheTest, TruncatedRepodataIsNeverCached) {
    write_file(served_ / "chan/noarch/repodata.json", R"({"info": {"subdir": "noarch"}, "pack)");
    TestServer m1(served_, dir_.path(), "m1");
    auto s = settings();
    s.mirror_only = true;
    EXPECT_THROW(refresh(channel({m1.url("/chan")}), s, {"noarch"}), DownloadError);
    for (const auto& f : fs::directory_iterator(cache_dir_)) {
        EXPECT_EQ(f.path().extension(), ".lock") << f.path();
    }
}

}  // namespace
}  // namespace cenv::channels

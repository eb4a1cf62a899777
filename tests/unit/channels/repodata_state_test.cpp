#include "channels/repodata_state.hpp"

#include <gtest/gtest.h>

namespace cenv::channels {
namespace {

RepodataState sample() {
    RepodataState s;
    s.url = "https://mirror/anaconda/cloud/conda-forge/linux-64/repodata.json.zst";
    s.etag = "\"abc-123\"";
    s.last_modified = "Tue, 01 Oct 2024 10:00:00 GMT";
    s.cache_control = "public, max-age=60";
    s.size = 123456;
    s.mtime_ns = 1727776800123456789;
    s.compression = "zst";
    s.refreshed = 1727776800;
    s.no_zst["https://repo.anaconda.com/pkgs/main/linux-64"] = 1727000000;
    return s;
}

TEST(RepodataState, RoundTripsThroughItsFile) {
    const auto s = sample();
    const auto back = state_from_json(state_to_json(s));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->url, s.url);
    EXPECT_EQ(back->etag, s.etag);
    EXPECT_EQ(back->last_modified, s.last_modified);
    EXPECT_EQ(back->cache_control, s.cache_control);
    EXPECT_EQ(back->size, s.size);
    EXPECT_EQ(back->mtime_ns, s.mtime_ns);
    EXPECT_EQ(back->compression, "zst");
    EXPECT_EQ(back->refreshed, s.refreshed);
    EXPECT_FALSE(back->missing);
    EXPECT_EQ(back->no_zst, s.no_zst);
}

TEST(RepodataState, AnythingElseIsNoState) {
    const std::string good = state_to_json(sample());
    EXPECT_FALSE(state_from_json(good.substr(0, good.size() / 2)));  // truncated
    EXPECT_FALSE(state_from_json(""));
    EXPECT_FALSE(state_from_json("[]"));
    EXPECT_FALSE(state_from_json(R"({"format": 99})"));
    std::string wrong_type = good;
    wrong_type.replace(wrong_type.find("123456,"), 7, "\"big\",");
    EXPECT_FALSE(state_from_json(wrong_type));
}

TEST(RepodataState, MaxAgeFromCacheControl) {
    EXPECT_EQ(cache_max_age("public, max-age=30"), 30);
    EXPECT_EQ(cache_max_age("Max-Age=600"), 600);
    EXPECT_EQ(cache_max_age("no-cache"), 0);
    EXPECT_EQ(cache_max_age("max-age=60, no-store"), 0);
    EXPECT_EQ(cache_max_age("public"), std::nullopt);
    EXPECT_EQ(cache_max_age("max-age=soon"), std::nullopt);
    EXPECT_EQ(cache_max_age(""), std::nullopt);
}

TEST(RepodataState, FreshnessFollowsLocalRepodataTtl) {
    auto s = sample();  // refreshed at T, max-age 60
    const std::int64_t t = s.refreshed;
    EXPECT_FALSE(is_fresh(s, 0, t + 1));  // 0: always ask
    EXPECT_TRUE(is_fresh(s, 1, t + 59));  // 1: the server's max-age
    EXPECT_FALSE(is_fresh(s, 1, t + 60));
    EXPECT_TRUE(is_fresh(s, 3600, t + 3599));  // N: N seconds
    EXPECT_FALSE(is_fresh(s, 3600, t + 3600));
    EXPECT_FALSE(is_fresh(s, 3600, t - 10));  // the clock went back: ask
    s.cache_control.clear();
    EXPECT_FALSE(is_fresh(s, 1, t + 1));  // no max-age: ask
}

TEST(RepodataState, MissingZstIsRememberedForAWhile) {
    const auto s = sample();
    const std::string source = "https://repo.anaconda.com/pkgs/main/linux-64";
    EXPECT_TRUE(lacks_zst(s, source, 1727000000 + 3600));
    EXPECT_FALSE(lacks_zst(s, source, 1727000000 + kNoZstRecheckSecs));
    EXPECT_FALSE(lacks_zst(s, "https://other/linux-64", 1727000000));
}

TEST(RepodataState, OnlyAWholeObjectLooksLikeRepodata) {
    EXPECT_TRUE(looks_like_json_object("{\"info\": {", "}}\n"));
    EXPECT_TRUE(looks_like_json_object("  \n{", "}  "));
    EXPECT_TRUE(looks_like_json_object("\xEF\xBB\xBF{", "}"));
    EXPECT_FALSE(looks_like_json_object("{\"packages\": {\"a", "\"depends\": [\"pyth"));
    EXPECT_FALSE(looks_like_json_object("<html>", "</html>"));
    EXPECT_FALSE(looks_like_json_object("", ""));
}

}  // namespace
}  // namespace cenv::channels

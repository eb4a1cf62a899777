#include "channels/download_policy.hpp"

#include <gtest/gtest.h>

namespace cenv::channels {
namespace {

TEST(DownloadPolicy, HostIsSchemeAndAuthorityWithoutCredentials) {
    EXPECT_EQ(url_host("https://Mirrors.TUNA.tsinghua.edu.cn/anaconda/pkgs/main/noarch/x"),
              "https://mirrors.tuna.tsinghua.edu.cn");
    EXPECT_EQ(url_host("http://user:secret@127.0.0.1:8080/t/tok/c"), "http://127.0.0.1:8080");
    EXPECT_EQ(url_host("http://127.0.0.1:9?q=1"), "http://127.0.0.1:9");
    EXPECT_NE(url_host("http://127.0.0.1:1/a"), url_host("http://127.0.0.1:2/a"));
}

TEST(DownloadPolicy, WhatFailuresSayAboutTheHost) {
    EXPECT_FALSE(blames_host(FailureKind::not_found));  // mirrors lack channels: no blame
    EXPECT_FALSE(blames_host(FailureKind::local));
    EXPECT_TRUE(blames_host(FailureKind::server));
    EXPECT_TRUE(blames_host(FailureKind::timeout));
    EXPECT_TRUE(blames_host(FailureKind::checksum));  // a stale mirror
    EXPECT_TRUE(is_transient(FailureKind::truncated));
    EXPECT_FALSE(is_transient(FailureKind::checksum));  // the same bytes would come again
    EXPECT_FALSE(is_transient(FailureKind::not_found));
    EXPECT_EQ(to_string(FailureKind::not_found), "not_found");
}

TEST(DownloadPolicy, AvoidedHostsComeLastAndGivenUpHostsNever) {
    HostHealth health(1);
    const std::vector<std::string> urls{"http://m1/x", "http://m2/x", "http://origin/x"};
    std::vector<bool> tried(3, false);
    EXPECT_EQ(next_candidate(urls, tried, health), 0U);
    health.failed("http://m1", "refused");
    EXPECT_TRUE(health.avoided("http://m1"));
    EXPECT_FALSE(health.given_up("http://m1"));
    EXPECT_EQ(next_candidate(urls, tried, health), 1U);
    tried[1] = tried[2] = true;
    EXPECT_EQ(next_candidate(urls, tried, health), 0U);  // the last resort
    health.failed("http://m1", "refused again");
    EXPECT_TRUE(health.given_up("http://m1"));
    EXPECT_EQ(health.reason("http://m1"), "refused again");
    EXPECT_EQ(next_candidate(urls, tried, health), std::nullopt);
    health.succeeded("http://m1");  // it answered again: tried, but still after the others
    EXPECT_TRUE(health.avoided("http://m1"));
    EXPECT_FALSE(health.given_up("http://m1"));
    EXPECT_EQ(next_candidate(urls, tried, health), 0U);
    tried = {false, false, false};
    EXPECT_EQ(next_candidate(urls, tried, health), 1U);
}

TEST(DownloadPolicy, BackoffDoublesScaledByJitterAndIsCapped) {
    EXPECT_DOUBLE_EQ(backoff_seconds(1.0, 1, 1.0), 1.0);
    EXPECT_DOUBLE_EQ(backoff_seconds(1.0, 3, 1.0), 4.0);
    EXPECT_DOUBLE_EQ(backoff_seconds(0.5, 2, 1.5), 1.5);
    EXPECT_DOUBLE_EQ(backoff_seconds(0, 5, 1.0), 0.0);
    EXPECT_DOUBLE_EQ(backoff_seconds(1.0, 40, 1.0), 60.0);
}

TEST(DownloadPolicy, ProxyFromSettingsMostSpecificFirstThenVariables) {
    const std::map<std::string, std::string> servers{
        {"http", "http://p-http:1"},
        {"https://conda.anaconda.org", "http://p-host:2"},
        {"all", "http://p-all:3"}};
    const auto none = [](const char*) -> const char* { return nullptr; };
    EXPECT_EQ(proxy_for("https://conda.anaconda.org/c/x", servers, none), "http://p-host:2");
    EXPECT_EQ(proxy_for("http://mirrors.aliyun.com/x", servers, none), "http://p-http:1");
    EXPECT_EQ(proxy_for("https://repo.anaconda.com/x", servers, none), "http://p-all:3");
    EXPECT_EQ(proxy_for("file:///srv/c", servers, none), "");
    const auto env = [](const char* name) -> const char* {
        return std::string_view(name) == "HTTPS_PROXY" ? "http://env:4" : nullptr;
    };
    EXPECT_EQ(proxy_for("https://repo.anaconda.com/x", {}, env), "http://env:4");
    EXPECT_EQ(proxy_for("http://repo.anaconda.com/x", {}, env), "");
}

TEST(DownloadPolicy, UserAgentNamesCenv) {
    EXPECT_TRUE(user_agent().starts_with("cenv/")) << user_agent();
    EXPECT_NE(user_agent().find("libcurl/"), std::string::npos);
}

}  // namespace
}  // namespace cenv::channels

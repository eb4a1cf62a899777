#include "channels/channel_resolve.hpp"

#include <gtest/gtest.h>

#include "channels/error.hpp"
#include "config/rc_file.hpp"
#include "config/settings.hpp"

namespace cenv::channels {
namespace {

// The .condarc TUNA publishes on its help page (mirrors.md), unchanged.
constexpr const char* kTunaCondarc = R"(channels:
  - defaults
show_channel_urls: true
default_channels:
  - https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main
  - https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/r
  - https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/msys2
custom_channels:
  conda-forge: https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud
  pytorch: https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud
)";

// The widely copied Aliyun snippet (http endpoint).
constexpr const char* kAliyunCondarc = R"(channels:
  - defaults
show_channel_urls: true
default_channels:
  - http://mirrors.aliyun.com/anaconda/pkgs/main
  - http://mirrors.aliyun.com/anaconda/pkgs/r
  - http://mirrors.aliyun.com/anaconda/pkgs/msys2
custom_channels:
  conda-forge: http://mirrors.aliyun.com/anaconda/cloud
  msys2: http://mirrors.aliyun.com/anaconda/cloud
  bioconda: http://mirrors.aliyun.com/anaconda/cloud
  menpo: http://mirrors.aliyun.com/anaconda/cloud
  pytorch: http://mirrors.aliyun.com/anaconda/cloud
  simpleitk: http://mirrors.aliyun.com/anaconda/cloud
)";

config::ChannelSettings settings_from(const char* condarc) {
    config::Settings settings;
    settings.apply(config::parse_rc(condarc, "condarc"));
    return settings.channel_settings();
}

config::ChannelSettings defaults() {
    return config::Settings().channel_settings();
}

TEST(ChannelResolve, NameUnderTheAlias) {
    const auto c = resolve_channel("conda-forge", defaults());
    ASSERT_EQ(c.size(), 1U);
    EXPECT_EQ(c[0].canonical, "https://conda.anaconda.org/conda-forge");
    EXPECT_TRUE(c[0].mirrors.empty());
    const auto s = c[0].subdir_sources("linux-64", false);
    EXPECT_EQ(s.canonical, "https://conda.anaconda.org/conda-forge/linux-64");
    EXPECT_EQ(s.urls, std::vector<std::string>{"https://conda.anaconda.org/conda-forge/linux-64"});
}

TEST(ChannelResolve, LabelAndSubdir) {
    auto c = resolve_channel("conda-forge/label/dev", defaults());
    EXPECT_EQ(c[0].canonical, "https://conda.anaconda.org/conda-forge/label/dev");
    c = resolve_channel("conda-forge/noarch", defaults());
    EXPECT_EQ(c[0].canonical, "https://conda.anaconda.org/conda-forge");
    EXPECT_EQ(c[0].platform, "noarch");
}

TEST(ChannelResolve, CustomAlias) {
    auto s = defaults();
    s.channel_alias = "https://my.mirror/conda/";
    EXPECT_EQ(resolve_channel("bioconda", s)[0].canonical, "https://my.mirror/conda/bioconda");
}

TEST(ChannelResolve, DefaultsExpandToThreeChannels) {
    const auto c = resolve_channel("defaults", defaults());
    ASSERT_EQ(c.size(), 3U);
    EXPECT_EQ(c[0].canonical, "https://repo.anaconda.com/pkgs/main");
    EXPECT_EQ(c[2].canonical, "https://repo.anaconda.com/pkgs/msys2");
    EXPECT_EQ(c[1].name, "defaults");
    EXPECT_EQ(resolve_channel("pkgs/r", defaults())[0].canonical,
              "https://repo.anaconda.com/pkgs/r");
}

TEST(ChannelResolve, TunaCondarcKeepsIdentityAndUsesTheMirror) {
    const auto s = settings_from(kTunaCondarc);
    const auto d = resolve_channels({"defaults"}, s);
    ASSERT_EQ(d.size(), 3U);
    EXPECT_EQ(d[0].canonical, "https://repo.anaconda.com/pkgs/main");
    EXPECT_EQ(d[0].mirrors,
              std::vector<std::string>{"https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main"});
    EXPECT_EQ(d[0].subdir_sources("linux-64", false).urls,
              (std::vector<std::string>{
                  "https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main/linux-64",
                  "https://repo.anaconda.com/pkgs/main/linux-64"}));
    const auto forge = resolve_channel("conda-forge", s);
    EXPECT_EQ(forge[0].canonical, "https://conda.anaconda.org/conda-forge");
    EXPECT_EQ(forge[0].subdir_sources("noarch", true).urls,
              std::vector<std::string>{
                  "https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud/conda-forge/noarch"});
    // TUNA has no nvidia: its condarc does not name it, so it goes to anaconda.org directly.
    const auto nvidia = resolve_channel("nvidia", s);
    EXPECT_EQ(nvidia[0].canonical, "https://conda.anaconda.org/nvidia");
    EXPECT_TRUE(nvidia[0].mirrors.empty());
    EXPECT_EQ(resolve_channel("pkgs/main", s)[0].mirrors, d[0].mirrors);
    // TUNA has no labels: a label goes to anaconda.org, not to a mirror URL that 404s.
    const auto dev = resolve_channel("conda-forge/label/dev", s);
    EXPECT_EQ(dev[0].canonical, "https://conda.anaconda.org/conda-forge/label/dev");
    EXPECT_TRUE(dev[0].mirrors.empty());
}

TEST(ChannelResolve, AliyunCondarc) {
    const auto s = settings_from(kAliyunCondarc);
    const auto bio = resolve_channel("bioconda", s);
    EXPECT_EQ(bio[0].canonical, "https://conda.anaconda.org/bioconda");
    EXPECT_EQ(bio[0].mirrors,
              std::vector<std::string>{"http://mirrors.aliyun.com/anaconda/cloud/bioconda"});
    const auto d = resolve_channel("defaults", s);
    ASSERT_EQ(d.size(), 3U);
    EXPECT_EQ(d[1].canonical, "https://repo.anaconda.com/pkgs/r");
    EXPECT_EQ(d[1].subdir_sources("linux-64", false).urls.front(),
              "http://mirrors.aliyun.com/anaconda/pkgs/r/linux-64");
}

TEST(ChannelResolve, CustomChannelNotAMirrorIsItsOwnChannel) {
    auto s = defaults();
    s.custom_channels.emplace_back("internal", "https://conda.corp.example/");
    const auto c = resolve_channel("internal/label/test", s);
    EXPECT_EQ(c[0].canonical, "https://conda.corp.example/internal/label/test");
}

TEST(ChannelResolve, MirrorsSettingExactAndPrefix) {
    auto s = defaults();
    s.mirrors.push_back({"https://conda.anaconda.org/conda-forge",
                         {"https://m1/cloud/conda-forge", "https://m2/cloud/conda-forge/"}});
    s.mirrors.push_back({"https://conda.anaconda.org/", {"https://all/cloud"}});
    const auto forge = resolve_channel("conda-forge", s);
    EXPECT_EQ(forge[0].mirrors, (std::vector<std::string>{"https://m1/cloud/conda-forge",
                                                          "https://m2/cloud/conda-forge"}));
    // An exact key does not cover labels; a key ending in '/' covers everything under it.
    const auto dev = resolve_channel("conda-forge/label/dev", s);
    EXPECT_EQ(dev[0].mirrors, std::vector<std::string>{"https://all/cloud/conda-forge/label/dev"});
    s.mirrors.pop_back();
    EXPECT_TRUE(resolve_channel("conda-forge/label/dev", s)[0].mirrors.empty());
    s.mirror_only = true;
    EXPECT_EQ(forge[0].subdir_sources("linux-64", s.mirror_only).urls.size(), 2U);
}

TEST(ChannelResolve, TokenKeptForFetchingRedactedForDisplay) {
    const auto c =
        resolve_channel("https://conda.anaconda.org/t/tk-secret-1/private/linux-64", defaults());
    EXPECT_EQ(c[0].canonical, "https://conda.anaconda.org/private");
    EXPECT_EQ(c[0].platform, "linux-64");
    EXPECT_EQ(c[0].fetch_url(), "https://conda.anaconda.org/t/tk-secret-1/private");
    EXPECT_EQ(c[0].display(), "https://conda.anaconda.org/t/<TOKEN>/private");
    EXPECT_EQ(c[0].subdir_sources("noarch", false).urls.back(),
              "https://conda.anaconda.org/t/tk-secret-1/private/noarch");
}

TEST(ChannelResolve, MultichannelsAndLoops) {
    auto s = defaults();
    s.custom_multichannels.push_back({"ai", {"pytorch", "nvidia", "conda-forge"}});
    const auto c = resolve_channel("ai", s);
    ASSERT_EQ(c.size(), 3U);
    EXPECT_EQ(c[1].canonical, "https://conda.anaconda.org/nvidia");
    s.custom_multichannels.push_back({"loop", {"loop"}});
    EXPECT_THROW((void)resolve_channel("loop", s), ChannelError);
}

TEST(ChannelResolve, LocalChannels) {
    const auto c = resolve_channel("file:///srv/chan/", defaults());
    ASSERT_TRUE(c[0].local.has_value());
    EXPECT_EQ(c[0].canonical, "file:///srv/chan");
    EXPECT_EQ(resolve_channel("/srv/other", defaults())[0].canonical, "file:///srv/other");
}

TEST(ChannelResolve, DuplicatesAreDropped) {
    const auto c =
        resolve_channels({"conda-forge", "https://conda.anaconda.org/conda-forge/"}, defaults());
    EXPECT_EQ(c.size(), 1U);
    EXPECT_THROW((void)resolve_channel("  ", defaults()), ChannelError);
}

}  // namespace
}  // namespace cenv::channels

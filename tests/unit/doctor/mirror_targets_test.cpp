#include "doctor/mirror_targets.hpp"

#include <gtest/gtest.h>

namespace cenv::doctor {
namespace {

TEST(MirrorTargets, NoneWithoutMirrors) {
    EXPECT_TRUE(mirror_targets(config::ChannelSettings{}).empty());
}

TEST(MirrorTargets, OnePerHostInTheOrderConfigured) {
    config::ChannelSettings settings;
    settings.mirrors = {{"https://conda.anaconda.org/conda-forge",
                         {"https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud/conda-forge/",
                          "https://mirrors.ustc.edu.cn/anaconda/cloud/conda-forge"}},
                        {"https://repo.anaconda.com/pkgs/main",
                         {"https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main"}}};
    const auto targets = mirror_targets(settings);
    ASSERT_EQ(targets.size(), 2U);
    EXPECT_EQ(targets[0].name, "mirrors.tuna.tsinghua.edu.cn");
    EXPECT_EQ(
        targets[0].url,
        "https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud/conda-forge/noarch/repodata.json");
    EXPECT_EQ(targets[1].name, "mirrors.ustc.edu.cn");
}

TEST(MirrorTargets, CondarcStyleCustomChannelsOnAMirror) {
    config::ChannelSettings settings;
    settings.custom_channels = {
        {"conda-forge", "https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud"},
        {"private", "https://example.com/conda"}};
    settings.default_channels = {"https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main"};
    const auto targets = mirror_targets(settings);
    ASSERT_EQ(targets.size(), 1U);  // example.com is no mirror; TUNA is asked once
    EXPECT_EQ(
        targets[0].url,
        "https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud/conda-forge/noarch/repodata.json");
}

TEST(MirrorTargets, AtMostAFewHosts) {
    config::ChannelSettings settings;
    std::vector<std::string> mirrors;
    for (int i = 0; i < 10; ++i) {
        mirrors.push_back("https://m" + std::to_string(i) + ".example/conda-forge");
    }
    settings.mirrors = {{"https://conda.anaconda.org/conda-forge", mirrors}};
    EXPECT_EQ(mirror_targets(settings).size(), kMaxMirrorHosts);
}

}  // namespace
}  // namespace cenv::doctor

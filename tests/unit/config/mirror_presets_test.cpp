#include "config/mirror_presets.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "config/error.hpp"

namespace cenv::config {
namespace {

bool carries(const MirrorPreset& preset, const std::string& canonical) {
    const auto mirrors = preset.channel_mirrors();
    return std::any_of(mirrors.begin(), mirrors.end(),
                       [&](const auto& m) { return m.first == canonical; });
}

TEST(MirrorPresets, BuiltinDataParsesWithTheRequiredPresets) {
    const auto& presets = mirror_presets();
    for (const char* name : {"tuna", "aliyun", "ustc", "bfsu", "sjtug", "nju", "sustech"}) {
        EXPECT_NO_THROW((void)find_mirror_preset(name)) << name;
    }
    EXPECT_GE(presets.size(), 7U);
}

TEST(MirrorPresets, TunaCarriesWhatItMirrorsAndNotNvidia) {
    const auto& tuna = find_mirror_preset("TUNA");
    EXPECT_TRUE(carries(tuna, "https://repo.anaconda.com/pkgs/main"));
    EXPECT_TRUE(carries(tuna, "https://conda.anaconda.org/conda-forge"));
    EXPECT_TRUE(carries(tuna, "https://conda.anaconda.org/pytorch"));
    EXPECT_FALSE(carries(tuna, "https://conda.anaconda.org/nvidia"));
    EXPECT_EQ(tuna.pypi, "https://pypi.tuna.tsinghua.edu.cn/simple");
    EXPECT_EQ(tuna.pypi_host(), "pypi.tuna.tsinghua.edu.cn");
    const auto mirrors = tuna.channel_mirrors();
    EXPECT_EQ(mirrors.front().second, "https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main");
}

TEST(MirrorPresets, UstcHasNoAnacondaChannelsAndSustechOnlyNvidia) {
    EXPECT_FALSE(carries(find_mirror_preset("ustc"), "https://repo.anaconda.com/pkgs/main"));
    const auto nvidia = find_mirror_preset("sustech").channel_mirrors();
    ASSERT_EQ(nvidia.size(), 1U);
    EXPECT_EQ(nvidia[0].first, "https://conda.anaconda.org/nvidia");
    EXPECT_EQ(nvidia[0].second, "https://mirrors.sustech.edu.cn/anaconda-extra/cloud/nvidia");
}

TEST(MirrorPresets, CombinedPresetsKeepTheirOrder) {
    const MirrorPreset* chosen[] = {&find_mirror_preset("tuna"), &find_mirror_preset("sustech"),
                                    &find_mirror_preset("bfsu")};
    const Value value = mirrors_value(chosen);
    const auto forge = std::find_if(value.map.begin(), value.map.end(), [](const auto& e) {
        return e.first == "https://conda.anaconda.org/conda-forge";
    });
    ASSERT_NE(forge, value.map.end());
    EXPECT_EQ(forge->second, (std::vector<std::string>{
                                 "https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud/conda-forge",
                                 "https://mirrors.bfsu.edu.cn/anaconda/cloud/conda-forge"}));
}

TEST(MirrorPresets, MirrorUrlsAreRecognised) {
    EXPECT_EQ(canonical_for_mirror_url("https://mirrors.aliyun.com/anaconda/cloud/conda-forge/"),
              "https://conda.anaconda.org/conda-forge");
    EXPECT_EQ(canonical_for_mirror_url("http://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/r"),
              "https://repo.anaconda.com/pkgs/r");
    EXPECT_EQ(canonical_for_mirror_url("https://example.com/anaconda/cloud/conda-forge"), "");
}

TEST(MirrorPresets, UnknownPresetListsTheKnownOnes) {
    try {
        (void)find_mirror_preset("nowhere");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(e.hint().find("tuna"), std::string::npos);
    }
}

TEST(MirrorPresets, MalformedDataNamesLine) {
    EXPECT_THROW((void)parse_mirror_presets("presets:\n  - name: x\n"), ConfigError);
    EXPECT_THROW((void)parse_mirror_presets("presets: [\n"), ConfigError);
}

}  // namespace
}  // namespace cenv::config

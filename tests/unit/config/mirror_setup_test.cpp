#include "config/mirror_setup.hpp"

#include <gtest/gtest.h>

#include "config/error.hpp"
#include "config/rc_file.hpp"

namespace cenv::config {
namespace {

TEST(MirrorSetup, UseThenOffRestoresTheFile) {
    const std::string original = "# mine\nchannels:\n  - conda-forge\nssl_verify: false\n";
    const MirrorPreset* presets[] = {&find_mirror_preset("ustc")};
    const std::string used = use_mirror_presets(original, "rc", presets, true);
    EXPECT_TRUE(used.starts_with(original)) << used;
    const Layer layer = parse_rc(used, "rc");
    Value mirrors;
    for (const auto& [key, setting] : layer.settings) {
        if (key == "mirrors") {
            mirrors = setting.value;
        }
    }
    ASSERT_EQ(mirrors.map.size(), 2U);  // USTC: conda-forge and bioconda only
    EXPECT_EQ(presets_in_use(mirrors), std::vector<const MirrorPreset*>{presets[0]});
    EXPECT_NE(used.find("pip_index_url: https://mirrors.ustc.edu.cn/pypi/simple"),
              std::string::npos);
    EXPECT_EQ(mirrors_off(used, "rc", true), original);
}

TEST(MirrorSetup, PipNeedsAPresetWithPypi) {
    const MirrorPreset* presets[] = {&find_mirror_preset("sustech")};
    EXPECT_THROW((void)use_mirror_presets("", "rc", presets, true), ConfigError);
    EXPECT_NO_THROW((void)use_mirror_presets("", "rc", presets, false));
}

TEST(MirrorSetup, EveryPresetMirrorUrlIsRecognised) {
    for (const auto& preset : mirror_presets()) {
        for (const auto& [canonical, mirror] : preset.channel_mirrors()) {
            EXPECT_EQ(canonical_for_mirror_url(mirror), canonical) << mirror;
        }
    }
}

}  // namespace
}  // namespace cenv::config

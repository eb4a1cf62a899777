#pragma once
// What channel name resolution needs from the configuration, as plain values (filled by
// `Settings::channel_settings()`, read by `channels::resolve_channel`).

#include <string>
#include <utility>
#include <vector>

namespace cenv::config {

struct ChannelSettings {
    std::string channel_alias = "https://conda.anaconda.org";
    std::vector<std::string> default_channels;  ///< what `defaults` stands for
    /// name -> base URL (`conda-forge: https://mirror/anaconda/cloud`)
    std::vector<std::pair<std::string, std::string>> custom_channels;
    /// name -> channels (names or URLs) it stands for
    std::vector<std::pair<std::string, std::vector<std::string>>> custom_multichannels;
    /// channel URL (or URL prefix) -> mirror URLs, tried in order
    std::vector<std::pair<std::string, std::vector<std::string>>> mirrors;
    bool mirror_only = false;
};

}  // namespace cenv::config

#pragma once
// The domestic mirror presets (TUNA, BFSU, USTC, SJTUG, NJU, Aliyun, SUSTech): which
// channels each really mirrors and its PyPI index. The facts live in mirror_presets.yaml,
// compiled into the binary; see that file for their source.

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/setting.hpp"

namespace cenv::config {

/// Where Anaconda's own channels live (`defaults`): https://repo.anaconda.com/pkgs/NAME.
inline constexpr std::string_view anaconda_pkgs_base = "https://repo.anaconda.com/pkgs";

struct MirrorPreset {
    std::string name;                ///< tuna
    std::string title;               ///< TUNA (Tsinghua University)
    std::string endpoint;            ///< https://mirrors.tuna.tsinghua.edu.cn/anaconda
    std::vector<std::string> pkgs;   ///< main, r, ...: {endpoint}/pkgs/NAME
    std::vector<std::string> cloud;  ///< conda-forge, ...: {endpoint}/cloud/NAME
    std::string pypi;                ///< PyPI simple index; empty when none
    std::string note;

    /// (canonical channel URL, mirror URL) for every channel it carries, pkgs first.
    [[nodiscard]] std::vector<std::pair<std::string, std::string>> channel_mirrors() const;

    /// The host of `pypi` (for pip's trusted-host); empty when there is no PyPI mirror.
    [[nodiscard]] std::string pypi_host() const;
};

/// Parses preset data. Throws ConfigError naming line and column when it is malformed.
std::vector<MirrorPreset> parse_mirror_presets(std::string_view yaml);

/// The data compiled into the binary.
std::string_view builtin_mirror_presets_yaml() noexcept;

/// The built-in presets, parsed once.
const std::vector<MirrorPreset>& mirror_presets();

/// The preset named `name` (case-insensitive). Throws ConfigError listing the names.
const MirrorPreset& find_mirror_preset(std::string_view name);

/// The `mirrors:` value that sends each channel to these presets in order: a channel that
/// several presets carry gets all of them, in the order given.
Value mirrors_value(std::span<const MirrorPreset* const> presets);

/// If `url` is where a built-in preset mirrors a channel (the scheme and a trailing `/` do
/// not matter), that channel's canonical URL; empty otherwise. This is how a .condarc that
/// points custom_channels or default_channels at a mirror keeps the channel's identity.
std::string canonical_for_mirror_url(std::string_view url);

}  // namespace cenv::config

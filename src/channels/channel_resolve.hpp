#pragma once
// Channel names to URLs, as conda resolves them, plus the mirrors to try for each:
//
//   conda-forge               <channel_alias>/conda-forge (https://conda.anaconda.org/...)
//   conda-forge/label/dev     <channel_alias>/conda-forge/label/dev
//   conda-forge/linux-64      the same channel, restricted to one subdir
//   defaults                  each of default_channels
//   pkgs/main                 the default channel of that name
//   NAME in custom_channels   <custom_channels[NAME]>/NAME (longest matching prefix of NAME)
//   NAME in custom_multichannels   each channel it lists
//   https://host/t/TOKEN/c    the URL; the token is kept for fetching, redacted for display
//   file:///srv/c, ./c, /srv/c  a local channel (ChannelLocation)
//
// A channel's identity is its canonical URL. When a URL is where a built-in mirror preset
// mirrors a channel (a .condarc from TUNA points custom_channels at
// https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud), the canonical URL is the mirrored
// channel's own and the written URL becomes its first mirror, so that the same package is
// the same package whichever way the channel was named. Pure functions: nothing is fetched.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "channels/channel_location.hpp"
#include "config/channel_settings.hpp"
#include "config/remote_settings.hpp"

namespace cenv::channels {

struct ResolvedChannel {
    std::string name;                  ///< as written (one item of `defaults` is named `defaults`)
    std::string canonical;             ///< identity URL: no token, no trailing `/`, no subdir
    std::string token;                 ///< anaconda.org token, empty when none
    std::vector<std::string> mirrors;  ///< mirror base URLs, in the order to try
    std::string platform;              ///< a subdir the name was restricted to, else empty
    std::optional<ChannelLocation> local;  ///< set for local channels

    /// `canonical` with the token put back (`https://host/t/TOKEN/path`): what to fetch.
    [[nodiscard]] std::string fetch_url() const;

    /// For messages: the canonical URL with the token written `<TOKEN>`.
    [[nodiscard]] std::string display() const;

    /// The URLs of one subdir, mirrors first, then the channel's own URL unless
    /// `mirror_only` (when there are mirrors).
    [[nodiscard]] config::SubdirSources subdir_sources(std::string_view subdir,
                                                       bool mirror_only) const;
};

/// Resolves one channel as written by a user (-c, `channels:`). Throws ChannelError naming
/// it when it is empty, a custom multichannel refers to itself, or it is a local path that
/// does not parse.
std::vector<ResolvedChannel> resolve_channel(std::string_view text,
                                             const config::ChannelSettings& settings);

/// Resolves a list of channels in order, dropping a channel seen before (same canonical URL).
std::vector<ResolvedChannel> resolve_channels(const std::vector<std::string>& texts,
                                              const config::ChannelSettings& settings);

}  // namespace cenv::channels

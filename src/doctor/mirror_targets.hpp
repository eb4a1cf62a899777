#pragma once
// Which servers the mirror check asks: one small file per configured mirror host (the noarch
// repodata.json of a channel it mirrors, fetched capped), so that the check stays within a
// few seconds however many channels a .condarc sends to the same mirror.

#include <vector>

#include "channels/mirror_probe.hpp"
#include "config/channel_settings.hpp"

namespace cenv::doctor {

/// At most this many hosts are asked.
inline constexpr std::size_t kMaxMirrorHosts = 4;

/// The targets for the mirrors in `settings`: the `mirrors:` entries, and the channel_alias,
/// custom_channels and default_channels that point at a known mirror preset's URLs (the
/// .condarc that mirror sites publish). One per host, in the order configured, each named by
/// its host.
std::vector<channels::ProbeTarget> mirror_targets(const config::ChannelSettings& settings);

}  // namespace cenv::doctor

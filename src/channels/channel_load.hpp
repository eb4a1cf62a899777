#pragma once
// Loading a resolved channel's records. Local channels are read from disk; remote channels
// need the downloader (branch `download`), which replaces the remote branch of this function:
// until then they are a clear error naming the channel and the first URL it would try.

#include <span>
#include <string>

#include "channels/channel_index.hpp"
#include "channels/channel_resolve.hpp"
#include "config/remote_settings.hpp"

namespace cenv::channels {

/// The repodata.json files of `subdirs` of `channel` (only its own platform when it was
/// written with one, plus noarch), not read. Throws ChannelError for a remote channel in this
/// build.
std::vector<SubdirFile> locate_resolved_channel(const ResolvedChannel& channel,
                                                std::span<const std::string> subdirs,
                                                const config::RemoteSettings& remote);

/// The repodata of `subdirs` of `channel` (only its own platform when it was written with
/// one, plus noarch). Throws ChannelError for a remote channel in this build.
ChannelIndex load_resolved_channel(const ResolvedChannel& channel,
                                   std::span<const std::string> subdirs,
                                   const config::RemoteSettings& remote);

}  // namespace cenv::channels

#pragma once
// The channels a command uses: those given with -c, then the configured `channels` (unless
// --override-channels), or `defaults` when there are none at all (micromamba's rule: `-c`
// comes first and configured channels follow).

#include <string>
#include <vector>

#include "channels/channel_index.hpp"
#include "channels/channel_resolve.hpp"
#include "config/settings.hpp"

namespace cenv::cli {

/// The channel texts in priority order.
std::vector<std::string> channel_texts(const std::vector<std::string>& given,
                                       bool override_channels, const config::Settings& settings);

/// A resolved channel's repodata files, not yet read.
struct LocatedChannel {
    std::string url;  ///< the channel's identity (canonical URL)
    std::vector<channels::SubdirFile> files;
};

/// Resolves `texts` and finds the repodata.json of `subdirs` of each (a channel written with a
/// subdir keeps only that subdir and noarch), in priority order. Throws channels::ChannelError
/// for remote channels in this build.
std::vector<LocatedChannel> locate_channels(const std::vector<std::string>& texts,
                                            const std::vector<std::string>& subdirs,
                                            const config::Settings& settings);

/// Resolves `texts` and loads `subdirs` of each (a channel written with a subdir keeps only
/// that subdir and noarch). Throws channels::ChannelError for remote channels in this build.
std::vector<channels::ChannelIndex> load_channels(const std::vector<std::string>& texts,
                                                  const std::vector<std::string>& subdirs,
                                                  const config::Settings& settings);

}  // namespace cenv::cli

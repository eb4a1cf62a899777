#pragma once
// Finding and loading the repodata of resolved channels: local channels are read from disk,
// remote ones (http://, https://) come through the repodata cache, every remote subdir of
// every channel in one parallel fetch. Either way the result is a repodata.json file per
// subdir, which the solver maps (and caches as `.solv`) the same way.

#include <span>
#include <string>
#include <vector>

#include "channels/channel_index.hpp"
#include "channels/channel_resolve.hpp"
#include "channels/repodata_cache.hpp"
#include "specs/error.hpp"

namespace cenv::channels {

/// A channel's repodata files, found but not read.
struct LocatedChannel {
    std::string url;                   ///< the channel's identity (canonical URL)
    std::vector<SubdirFile> files;     ///< the subdirs it has, in the order asked
    std::vector<SubdirFetch> fetches;  ///< how each remote subdir was obtained (-v, --json)
};

/// The subdirs of `subdirs` that `channel` is searched for: all of them, or only its own
/// platform and noarch when it was written with one (`conda-forge/linux-64`).
std::vector<std::string> channel_subdirs(const ResolvedChannel& channel,
                                         std::span<const std::string> subdirs);

/// The repodata.json files of `subdirs` of each channel, in the channels' order; remote
/// subdirs are brought up to date through `cache` all at once. Throws ChannelError for a
/// channel that has none of the subdirs, and what RepodataCache::refresh throws.
std::vector<LocatedChannel> locate_resolved_channels(std::span<const ResolvedChannel> channels,
                                                     std::span<const std::string> subdirs,
                                                     RepodataCache& cache);

/// The records of a located channel's files. A cached remote index that does not parse is
/// dropped from the cache (see reject_cached_index) before the ParseError goes on.
ChannelIndex load_located_channel(const LocatedChannel& channel);

/// For a ParseError `error` met reading `file` of `channel`: when the file is a cached
/// remote index, its cache entry is dropped, so that the next run downloads it anew, and the
/// error is thrown again with a hint that says so; a local file's error is thrown as it is.
[[noreturn]] void reject_cached_index(const LocatedChannel& channel, const SubdirFile& file,
                                      const specs::ParseError& error);

}  // namespace cenv::channels

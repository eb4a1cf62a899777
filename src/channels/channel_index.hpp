#pragma once
// The records a channel offers for a set of subdirs, read from its repodata.json files.

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "channels/channel_location.hpp"
#include "specs/repodata.hpp"

namespace cenv::channels {

struct SubdirIndex {
    std::string subdir;
    specs::Repodata repodata;
};

struct ChannelIndex {
    ChannelLocation location;
    std::vector<SubdirIndex> subdirs;  ///< those that exist, in the order asked for
};

/// One subdir's repodata.json on disk, and where its records come from.
struct SubdirFile {
    std::string subdir;
    std::filesystem::path repodata;
    specs::RepodataSource source;
};

/// The `<channel>/<subdir>/repodata.json` files of a local channel that exist, in the order
/// of `subdirs`, without reading them. Throws ChannelError as load_channel() does.
std::vector<SubdirFile> local_subdir_files(const ChannelLocation& location,
                                           std::span<const std::string> subdirs);

/// Loads `<channel>/<subdir>/repodata.json` for each subdir. A missing subdir is skipped
/// (channels often lack one); a channel with none of them is a ChannelError naming the
/// folder. Malformed repodata throws specs::ParseError naming the file and the record.
ChannelIndex load_channel(const ChannelLocation& location, std::span<const std::string> subdirs);

}  // namespace cenv::channels

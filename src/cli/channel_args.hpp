#pragma once
// The channels a command uses: those given with -c, then the configured `channels` (unless
// --override-channels), or `defaults` when there are none at all (micromamba's rule: `-c`
// comes first and configured channels follow). Remote channels are brought up to date in
// `<root>/pkgs/cache` with progress and warnings on stderr; what each subdir came from is
// printed with -v and put into --json.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "channels/channel_index.hpp"
#include "channels/channel_load.hpp"
#include "config/settings.hpp"

namespace cenv::cli {

/// The channel texts in priority order.
std::vector<std::string> channel_texts(const std::vector<std::string>& given,
                                       bool override_channels, const config::Settings& settings);

/// How a command fetches channel indexes.
struct FetchOptions {
    std::filesystem::path root;  ///< root prefix (its pkgs/cache holds the index cache)
    bool verbose = false;        ///< -v: which URL served each subdir, fail-overs
};

/// Resolves `texts` and finds the repodata.json of `subdirs` of each (a channel written with a
/// subdir keeps only that subdir and noarch), in priority order, fetching remote ones.
std::vector<channels::LocatedChannel> locate_channels(const std::vector<std::string>& texts,
                                                      const std::vector<std::string>& subdirs,
                                                      const config::Settings& settings,
                                                      const FetchOptions& options);

/// The records of each located channel.
std::vector<channels::ChannelIndex> load_channels(
    const std::vector<channels::LocatedChannel>& located);

/// `[{channel, subdir, origin, url, bytes, refreshed, failures: [...]}]` for --json: where each
/// remote subdir's index came from.
nlohmann::json fetch_report_json(const std::vector<channels::LocatedChannel>& located);

}  // namespace cenv::cli

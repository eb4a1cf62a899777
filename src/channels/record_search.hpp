#pragma once
// Finding the records that match specs across loaded channels, as `cenv search` lists them.

#include <span>
#include <vector>

#include "channels/channel_index.hpp"
#include "specs/match_spec.hpp"

namespace cenv::channels {

/// Every record of `channels` that matches at least one of `specs`, each once, in
/// `specs::sort_newest_first` order (records of the same name, version and build from
/// several channels keep channel order). Pointers stay valid while `channels` lives.
std::vector<const specs::PackageRecord*> find_records(std::span<const ChannelIndex> channels,
                                                      std::span<const specs::MatchSpec> specs);

}  // namespace cenv::channels

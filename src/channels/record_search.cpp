#include "channels/record_search.hpp"

#include <algorithm>

#include "specs/record_order.hpp"

namespace cenv::channels {

std::vector<const specs::PackageRecord*> find_records(std::span<const ChannelIndex> channels,
                                                      std::span<const specs::MatchSpec> specs) {
    std::vector<const specs::PackageRecord*> found;
    for (const ChannelIndex& channel : channels) {
        for (const SubdirIndex& subdir : channel.subdirs) {
            for (const specs::PackageRecord& record : subdir.repodata.records) {
                const bool matches = std::any_of(
                    specs.begin(), specs.end(),
                    [&record](const specs::MatchSpec& s) { return s.contains(record); });
                if (matches) {
                    found.push_back(&record);
                }
            }
        }
    }
    specs::sort_newest_first(found);
    return found;
}

}  // namespace cenv::channels

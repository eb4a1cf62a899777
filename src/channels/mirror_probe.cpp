#include "channels/mirror_probe.hpp"

#include <algorithm>

namespace cenv::channels {

std::vector<ProbeTarget> probe_targets(std::span<const config::MirrorPreset* const> presets) {
    std::vector<ProbeTarget> targets;
    for (const auto* preset : presets) {
        const auto mirrors = preset->channel_mirrors();
        if (mirrors.empty()) {
            continue;
        }
        ProbeTarget target;
        target.name = preset->name;
        target.url = mirrors.front().second + "/noarch/repodata.json";
        targets.push_back(std::move(target));
    }
    return targets;
}

void order_results(std::vector<ProbeResult>& results) {
    std::stable_sort(results.begin(), results.end(),
                     [](const ProbeResult& a, const ProbeResult& b) {
                         if (a.ok != b.ok) {
                             return a.ok;
                         }
                         if (!a.ok) {
                             return false;
                         }
                         const double lo = std::min(a.first_byte_secs, b.first_byte_secs);
                         const double hi = std::max(a.first_byte_secs, b.first_byte_secs);
                         if (hi - lo > 0.1 * hi) {
                             return a.first_byte_secs < b.first_byte_secs;
                         }
                         return a.bytes_per_second() > b.bytes_per_second();
                     });
}

std::vector<ProbeResult> probe_mirrors(const std::vector<ProbeTarget>& targets,
                                       const ProbeFetch& fetch, double timeout_secs) {
    std::vector<ProbeResult> results;
    results.reserve(targets.size());
    for (const auto& target : targets) {
        ProbeResult result = fetch(target, timeout_secs);
        result.name = target.name;
        result.url = target.url;
        results.push_back(std::move(result));
    }
    order_results(results);
    return results;
}

}  // namespace cenv::channels

#pragma once
// What `cenv mirror test` measures, without the network part: which file to fetch from each
// mirror preset (a capped prefix of a noarch repodata.json the mirror really carries), running
// a caller-given fetch on each with a timeout, and ordering the mirrors by the result (those
// that answered first, by time to first byte, then by throughput). The fetch itself is the
// downloader's (branch `download`): it fills a ProbeResult for one target.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "config/mirror_presets.hpp"

namespace cenv::channels {

struct ProbeTarget {
    std::string name;                         ///< the preset (or the URL when given directly)
    std::string url;                          ///< the file to fetch
    std::uint64_t max_bytes = 256ULL * 1024;  ///< stop (or ask with Range) after this many bytes
};

struct ProbeResult {
    std::string name;
    std::string url;
    bool ok = false;
    double first_byte_secs = 0;  ///< latency: request sent to first body byte
    double total_secs = 0;
    std::uint64_t bytes = 0;
    std::string error;  ///< why it failed (redacted), empty when ok

    /// Bytes per second over the whole transfer; 0 when nothing was measured.
    [[nodiscard]] double bytes_per_second() const noexcept {
        return total_secs > 0 ? static_cast<double>(bytes) / total_secs : 0;
    }
};

/// Fetches one target within `timeout_secs` and reports what happened; never throws for a
/// network failure (that is a result with ok = false).
using ProbeFetch = std::function<ProbeResult(const ProbeTarget&, double timeout_secs)>;

/// One target per preset: the noarch repodata.json of the first channel it mirrors
/// (pkgs/main where it has Anaconda's channels, else its first cloud channel).
std::vector<ProbeTarget> probe_targets(std::span<const config::MirrorPreset* const> presets);

/// Runs `fetch` on every target and returns the results ordered by `order_results`.
std::vector<ProbeResult> probe_mirrors(const std::vector<ProbeTarget>& targets,
                                       const ProbeFetch& fetch, double timeout_secs);

/// Orders results best first: answered before failed; among answered, lower time to first
/// byte first (ties, within 10 %, broken by higher throughput); failed ones keep their order.
void order_results(std::vector<ProbeResult>& results);

}  // namespace cenv::channels

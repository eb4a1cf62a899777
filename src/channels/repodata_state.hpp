#pragma once
// What the repodata cache remembers about one cached channel subdir, next to the cached
// repodata.json (`<key>.state.json`): where it came from, the validators to revalidate it
// with, the cached file's size and mtime (a file that no longer matches them was changed
// behind cenv's back and is fetched again), and which sources lack `repodata.json.zst`. Pure
// values and functions; the cache (repodata_cache.hpp) does the I/O.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cenv::channels {

struct RepodataState {
    std::string url;  ///< the URL that served it, redacted
    std::string etag;
    std::string last_modified;
    std::string cache_control;
    std::uint64_t size = 0;      ///< of the cached repodata.json
    std::int64_t mtime_ns = 0;   ///< of the cached repodata.json
    std::string compression;     ///< what was fetched: "zst" or "none"
    std::int64_t refreshed = 0;  ///< unix time of the last answer (200 or 304)
    bool missing = false;        ///< every source answered 404: the channel lacks this subdir
    /// Source URL (`<base>/<subdir>`, redacted) -> unix time it answered 404 to
    /// repodata.json.zst; such a source is asked for repodata.json only, for a while.
    std::map<std::string, std::int64_t> no_zst;
};

/// How long a source that lacks repodata.json.zst is not asked for it again (conda checks
/// again after 14 days too).
inline constexpr std::int64_t kNoZstRecheckSecs = 14 * 24 * 3600;

/// The state file's text (JSON).
std::string state_to_json(const RepodataState& state);

/// The state in `text`; nullopt when it is not a state file (corrupt, truncated, another
/// format): the cache then fetches the subdir again.
std::optional<RepodataState> state_from_json(std::string_view text);

/// `max-age` of a Cache-Control value, in seconds; nullopt when absent (or `no-cache`,
/// `no-store`: 0).
std::optional<std::int64_t> cache_max_age(std::string_view cache_control);

/// Whether the cached copy may be used without asking a server, under `local_repodata_ttl`
/// (`ttl`): 0 = never, 1 = while the server's max-age lasts, N > 1 = for N seconds.
bool is_fresh(const RepodataState& state, std::int64_t ttl, std::int64_t now);

/// Whether `source` (`<base>/<subdir>`) is known to lack repodata.json.zst at `now`.
bool lacks_zst(const RepodataState& state, const std::string& source, std::int64_t now);

/// Whether `head` and `tail` (the first and last bytes of a file) can be the edges of a
/// repodata.json: a JSON object, so that a truncated file is never taken for one.
bool looks_like_json_object(std::string_view head, std::string_view tail);

}  // namespace cenv::channels

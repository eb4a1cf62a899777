#pragma once
// The cache of remote channel subdirs' repodata under `<root>/pkgs/cache/`, beside the
// solver's `.solv` files: per subdir `<key>.json` (the repodata.json, decompressed),
// `<key>.state.json` (RepodataState) and `<key>.lock`, where `<key>` is 16 hex digits of the
// sha256 of the subdir's canonical URL, so that every mirror fills the same entry.
//
// refresh() brings many subdirs up to date in one parallel fetch:
// - a cached copy that is fresh under `local_repodata_ttl` is used without a request;
// - otherwise each source (mirrors, then the channel) is asked for `repodata.json.zst`, then
//   `repodata.json` (a source known to lack the .zst is asked for the .json only), and the
//   source that served the cached copy gets a conditional request (If-None-Match /
//   If-Modified-Since): a 304 costs no download;
// - offline (`offline: true` / --offline), or when every source fails, the cached copy is
//   used with a warning; without one it is an error. A subdir every source answers 404 for
//   does not exist (remembered, so offline runs know it too).
// A cached file whose size or mtime differ from its state, or that is not a JSON object
// from `{` to `}`, is never used: it is fetched again without validators. Writes are atomic
// (temporary file + rename), and each subdir is refreshed under its lock file, so two cenv
// processes refreshing the same cache wait for each other instead of corrupting it.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "channels/channel_index.hpp"
#include "channels/channel_resolve.hpp"
#include "channels/downloader.hpp"
#include "config/remote_settings.hpp"

namespace cenv::channels {

/// One subdir of a remote channel to bring up to date.
struct SubdirRequest {
    const ResolvedChannel* channel = nullptr;
    std::string subdir;
};

/// How a subdir's repodata was obtained.
enum class SubdirOrigin : std::uint8_t {
    fresh,         ///< the cached copy, fresh enough to use without asking
    not_modified,  ///< the cached copy, confirmed by a 304
    downloaded,    ///< fetched now
    offline,       ///< the cached copy, because cenv is offline
    stale,         ///< the cached copy, because no source answered
    missing,       ///< the channel has no such subdir (every source said 404)
};

/// For --json: "fresh", "not_modified", ...
std::string_view to_string(SubdirOrigin origin) noexcept;

/// What refresh() did for one subdir; the URLs are redacted.
struct SubdirFetch {
    std::string channel;  ///< canonical channel URL (redacted)
    std::string subdir;
    SubdirOrigin origin = SubdirOrigin::fresh;
    std::string url;             ///< the URL that served or confirmed it; empty when none asked
    std::uint64_t bytes = 0;     ///< downloaded now
    std::int64_t refreshed = 0;  ///< unix time the cached copy was last confirmed
    std::vector<UrlFailure> failures;  ///< sources that failed on the way
    std::string warning;               ///< for offline and stale copies
    std::optional<SubdirFile> file;    ///< the repodata to load; none when missing
};

/// Makes the next refresh download the subdir cached as `cached_json` again, without
/// validators: its state file is removed. For an index that turned out malformed when read.
void forget_cached_index(const std::filesystem::path& cached_json);

class RepodataCache {
  public:
    /// The cache in `dir` (created when needed), fetching with `downloader`.
    RepodataCache(std::filesystem::path dir, const config::RemoteSettings& remote,
                  Downloader& downloader);

    /// Brings every requested subdir up to date, all in one parallel fetch, and reports
    /// each in the order asked. Throws DownloadError for a subdir that no source served and
    /// that is not cached (naming it and each URL's failure), ChannelError when offline
    /// without a cached copy, util::IoError when the cache folder cannot be used.
    std::vector<SubdirFetch> refresh(std::span<const SubdirRequest> requests);

    /// `<dir>/<key>.json` of a subdir's canonical URL (`https://host/channel/linux-64`).
    [[nodiscard]] std::filesystem::path repodata_path(const std::string& subdir_url) const;
    /// `<dir>/<key>.state.json`.
    [[nodiscard]] std::filesystem::path state_path(const std::string& subdir_url) const;

  private:
    std::filesystem::path dir_;
    config::RemoteSettings remote_;
    Downloader& downloader_;
};

}  // namespace cenv::channels

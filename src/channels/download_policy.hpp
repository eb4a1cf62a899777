#pragma once
// The downloader's decisions, as pure functions and one small class, so that they are tested
// without a network: what a failure says (about the file, the URL or the host), which URL of
// a target to try next, how long to wait before a retry, which proxy a URL goes through.
//
// The rules (README.md, "Downloads"):
// - A target's URLs are tried in order (mirrors first, the channel's own URL last). A 404
//   moves on at once and says nothing about the host (mirrors lack channels and files).
// - A connection error, timeout, TLS failure, 5xx, truncated body or wrong bytes moves on at
//   once and marks the host as failing: for the rest of the run its URLs come after every
//   other URL of a target, and after more than `remote_max_retries` failures in a row it is
//   not tried at all.
// - Only when no untried URL is left is a URL retried, after an exponential backoff with
//   jitter, up to `remote_max_retries` times per target, and only for transient failures.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cenv::channels {

enum class FailureKind : std::uint8_t {
    not_found,   ///< HTTP 404 or 410: this source does not have the file
    http,        ///< another HTTP 4xx (401, 403, 416, ...): this URL will not serve it
    server,      ///< HTTP 5xx or 429: the server is in trouble
    connection,  ///< name resolution, refused or reset connection, proxy failure
    timeout,     ///< no connection in time, or no data for the read timeout
    tls,         ///< certificate not trusted, handshake failed
    truncated,   ///< the body ended before its announced or expected size
    checksum,    ///< size or checksum differ from the record's: stale or broken source
    corrupt,     ///< the bytes do not decode (zstd) or do not pass the target's check
    local,       ///< the file could not be written here (disk full, permissions)
    skipped,     ///< not tried: its host failed too often earlier in this run
    cancelled,   ///< the caller stopped the downloads
};

/// A short name for --json: "not_found", "timeout", ...
std::string_view to_string(FailureKind kind) noexcept;

/// Whether the failure is the host's fault: the host is then avoided for the rest of the run.
bool blames_host(FailureKind kind) noexcept;

/// Whether the same URL may succeed if asked again later.
bool is_transient(FailureKind kind) noexcept;

/// `scheme://authority` of `url` (lower-case scheme and host, userinfo dropped): the unit a
/// failure is remembered for. A URL without `://` is its own host.
std::string url_host(std::string_view url);

/// Hosts that failed in this run. A host is *avoided* for the rest of the run after one
/// failure that blames it (a success later does not change that), and *given up* after more
/// than `max_retries` such failures with no success in between.
class HostHealth {
  public:
    explicit HostHealth(int max_retries) : max_retries_(max_retries) {}
    void failed(const std::string& host, const std::string& reason);
    void succeeded(const std::string& host);
    [[nodiscard]] bool avoided(const std::string& host) const;
    [[nodiscard]] bool given_up(const std::string& host) const;
    /// The last failure of `host` (empty when none).
    [[nodiscard]] std::string reason(const std::string& host) const;

  private:
    struct State {
        int failures = 0;  ///< in a row
        std::string reason;
    };
    int max_retries_;
    std::map<std::string, State> hosts_;
};

/// The index of the URL to try next: the first untried one whose host is not avoided, else
/// the first untried one on an avoided host that was not given up; nullopt when none is left.
std::optional<std::size_t> next_candidate(const std::vector<std::string>& urls,
                                          const std::vector<bool>& tried, const HostHealth& health);

/// Seconds to wait before retry number `retry` (1 for the first): `factor * 2^(retry-1)`
/// scaled by `jitter` (a number in [0.5, 1.5) drawn by the caller), at most 60.
double backoff_seconds(double factor, int retry, double jitter) noexcept;

/// The proxy for `url`: from `proxy_servers` (keys as conda has them, most specific first:
/// `scheme://host`, `scheme`, `all://host`, `all`), else from the variables
/// `<scheme>_proxy`, `<SCHEME>_PROXY`, `all_proxy`, `ALL_PROXY` read through `getenv`.
/// Empty: connect directly. (`no_proxy` is applied by libcurl.)
std::string proxy_for(std::string_view url, const std::map<std::string, std::string>& proxy_servers,
                      const std::function<const char*(const char*)>& getenv);

/// The User-Agent every request carries: `cenv/<version> libcurl/<version>` (TUNA refuses
/// requests without one).
std::string user_agent();

}  // namespace cenv::channels

#pragma once
// Parallel, verified downloads over libcurl's multi interface, with mirror fail-over.
//
// Each target has an ordered list of URLs (mirrors first, the channel's own URL last; see
// ResolvedChannel::subdir_sources). Transfers run on a thread of their own, at most
// `download_threads` at a time, over HTTP/2 where a server offers it and reused
// connections; each file streams through a DownloadStream (size and sha256 or md5 checked as
// the bytes arrive, written to a temporary file renamed into place only when they match).
// Failures are handled as download_policy.hpp describes: fail over at once, avoid a host
// that failed for the rest of the run (the Downloader's lifetime), retry with backoff and
// jitter only when no other URL is left, resume an interrupted transfer with `Range` when
// its checksum will tell whether the joined file is right.
//
// Every request carries a User-Agent naming cenv; TLS is verified unless `ssl_verify` is
// false (a warning then) or names a CA bundle to use; proxies come from `proxy_servers`, else
// from https_proxy/http_proxy/all_proxy, with no_proxy honoured. URLs in results, messages
// and errors are redacted (util::redact_url): tokens and passwords never leave it.
//
//   Downloader downloader(settings.remote());
//   downloader.fetch(targets, [&](std::size_t i, const DownloadResult& r) { extract(i); });

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "channels/download_policy.hpp"
#include "channels/download_progress.hpp"
#include "channels/error.hpp"
#include "channels/mirror_probe.hpp"
#include "config/remote_settings.hpp"

namespace cenv::channels {

/// A conditional request: when the attempt's URL is `url`, ask only for a newer file; a 304
/// answer is a success with DownloadResult::not_modified and nothing written.
struct Revalidation {
    std::string url;
    std::string etag;
    std::string last_modified;
};

struct DownloadTarget {
    std::vector<std::string> urls;           ///< tried in order
    std::filesystem::path destination;       ///< final path, written via temp + rename
    std::optional<std::uint64_t> size;       ///< expected, when known
    std::string sha256, md5;                 ///< expected (hex), may be empty
    std::string label;                       ///< for progress and messages; default: file name
    std::optional<Revalidation> revalidate;  ///< make the request conditional
    /// Called on the transfer thread with the complete temporary file before it is renamed
    /// into place; a non-empty answer refuses the bytes (like a checksum mismatch: the next
    /// URL is tried). Used to refuse truncated repodata.
    std::function<std::string(const std::filesystem::path&)> validate;
};

/// One URL that did not serve a target, and why (redacted).
struct UrlFailure {
    std::string url;
    FailureKind kind = FailureKind::connection;
    std::string reason;
    long http_status = 0;
};

struct DownloadResult {
    std::string url;            ///< the URL that served, redacted (for messages and --json)
    std::size_t url_index = 0;  ///< its index in DownloadTarget::urls
    std::uint64_t bytes = 0;    ///< bytes received for the file (0 when not modified)
    bool not_modified = false;  ///< a conditional request answered 304
    bool resumed = false;       ///< continued a partial transfer with Range
    long http_status = 0;
    double seconds = 0;                              ///< from the first attempt to the end
    std::string etag, last_modified, cache_control;  ///< response headers, when sent
    std::vector<UrlFailure> failed;                  ///< URLs that failed before this one served
};

/// What happened to one target: a result, or the failure of every URL.
struct DownloadOutcome {
    std::optional<DownloadResult> result;
    std::vector<UrlFailure> failures;  ///< every URL's failure (the tried ones, in order)
    [[nodiscard]] bool ok() const noexcept { return result.has_value(); }
};

/// A target failed on every URL. The message names the file and each URL's failure.
class DownloadError : public ChannelError {
  public:
    DownloadError(const std::string& message, std::string hint, std::vector<UrlFailure> failures)
        : ChannelError(message, std::move(hint)), failures_(std::move(failures)) {}
    [[nodiscard]] const std::vector<UrlFailure>& failures() const noexcept { return failures_; }

  private:
    std::vector<UrlFailure> failures_;
};

/// The error for `label` having failed on every URL: message, and a hint chosen by the kinds
/// of failure (network, TLS, missing everywhere, checksum).
DownloadError make_download_error(const std::string& label,
                                  const std::vector<UrlFailure>& failures);

class Downloader {
  public:
    explicit Downloader(const config::RemoteSettings& settings);
    ~Downloader();
    Downloader(const Downloader&) = delete;
    Downloader& operator=(const Downloader&) = delete;

    /// Where progress and messages go (not owned; null: nowhere). Called from the transfer
    /// thread.
    void set_progress(ProgressSink* sink);

    /// Runs the transfers in parallel; `on_done(index, result)` is called on the calling
    /// thread as each one finishes (so the caller can extract while others download).
    /// Throws DownloadError naming the file and each URL's failure when a target fails on
    /// every URL (after the others have finished). An exception from `on_done` cancels the
    /// transfers still running (their temporary files are removed) and is rethrown.
    void fetch(std::span<const DownloadTarget> targets,
               const std::function<void(std::size_t, const DownloadResult&)>& on_done);

    /// fetch() without the throw: `on_done` gets every target's outcome, failed or not.
    void fetch_each(std::span<const DownloadTarget> targets,
                    const std::function<void(std::size_t, const DownloadOutcome&)>& on_done);

    /// `cenv mirror test`'s measurement (a ProbeFetch): fetches at most `target.max_bytes`
    /// of `target.url` within `timeout_secs`; a failure is a result with ok = false.
    ProbeResult probe(const ProbeTarget& target, double timeout_secs);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cenv::channels

#include "channels/downloader.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <exception>
#include <mutex>
#include <random>
#include <thread>

#include <curl/curl.h>
#include <fmt/format.h>

#include "channels/download_stream.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace cenv::channels {

namespace {

using Clock = std::chrono::steady_clock;

// queue_next(): no URL to retry.
constexpr std::size_t kNoRetry = static_cast<std::size_t>(-1);

// How often the progress sink hears from a fetch.
constexpr auto kProgressInterval = std::chrono::milliseconds(150);
// The overall speed is measured over this window.
constexpr auto kSpeedWindow = std::chrono::seconds(3);

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string_view without_query(std::string_view url) {
    return url.substr(0, url.find_first_of("?#"));
}

bool is_zstd_url(std::string_view url) {
    return without_query(url).ends_with(".zst");
}

std::string lower_header_name(std::string_view line, std::string_view* value) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
        return {};
    }
    *value = util::trim(line.substr(colon + 1));
    return util::to_lower(util::trim(line.substr(0, colon)));
}

// The failure a finished transfer reports when libcurl itself failed.
FailureKind classify_curl(CURLcode code) {
    switch (code) {
        case CURLE_OPERATION_TIMEDOUT:
            return FailureKind::timeout;
        case CURLE_PARTIAL_FILE:
            return FailureKind::truncated;
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
        case CURLE_SSL_CRL_BADFILE:
            return FailureKind::tls;
        case CURLE_FILE_COULDNT_READ_FILE:
        case CURLE_REMOTE_FILE_NOT_FOUND:
            return FailureKind::not_found;
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_URL_MALFORMAT:
        case CURLE_TOO_MANY_REDIRECTS:
        case CURLE_LOGIN_DENIED:
        case CURLE_REMOTE_ACCESS_DENIED:
            return FailureKind::http;
        default:
            return FailureKind::connection;
    }
}

FailureKind classify_stream(StreamFault fault) {
    switch (fault) {
        case StreamFault::truncated:
            return FailureKind::truncated;
        case StreamFault::too_large:
        case StreamFault::checksum:
            return FailureKind::checksum;
        case StreamFault::corrupt:
            return FailureKind::corrupt;
        case StreamFault::io:
        case StreamFault::none:
            break;
    }
    return FailureKind::local;
}

FailureKind classify_status(long status) {
    if (status == 404 || status == 410) {
        return FailureKind::not_found;
    }
    if (status >= 500 || status == 429 || status == 408) {
        return FailureKind::server;
    }
    return FailureKind::http;
}

std::string status_reason(long status) {
    switch (status) {
        case 401:
            return "HTTP 401 (credentials needed or refused)";
        case 403:
            return "HTTP 403 (forbidden)";
        case 404:
            return "HTTP 404 (not found)";
        case 410:
            return "HTTP 410 (gone)";
        case 429:
            return "HTTP 429 (too many requests)";
        case 500:
            return "HTTP 500 (server error)";
        case 502:
            return "HTTP 502 (bad gateway)";
        case 503:
            return "HTTP 503 (service unavailable)";
        case 504:
            return "HTTP 504 (gateway timeout)";
        default:
            return fmt::format("HTTP {}", status);
    }
}

// One target's state across its attempts.
struct Job {
    std::size_t index = 0;
    const DownloadTarget* target = nullptr;
    std::string label;
    std::vector<bool> tried;
    std::vector<UrlFailure> failures;
    int retries = 0;
    std::unique_ptr<DownloadStream> stream;  // kept between attempts, for a resume
    Clock::time_point started;
    std::optional<std::uint64_t> total;  // expected size, or the announced one
    bool finished = false;
};

// One transfer in flight.
struct Attempt {
    Job* job = nullptr;
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    std::size_t url_index = 0;
    std::string url;
    std::uint64_t resume_from = 0;
    bool conditional = false;
    bool status_checked = false;
    bool discard = false;    // an error page or a 304: not the file
    bool bad_range = false;  // 206 for another range than asked
    bool stalled = false;    // no data for the read timeout
    Clock::time_point last_data;
    Clock::duration read_timeout{};
    std::string etag, last_modified, cache_control, content_range;
    Clock::time_point started;
    char error[CURL_ERROR_SIZE] = {};
};

// A retry waiting for its time.
struct Pending {
    Job* job;
    std::size_t url_index;
    Clock::time_point not_before;
};

struct Completion {
    std::size_t index;
    DownloadOutcome outcome;
};

// What lives as long as the Downloader: settings, libcurl handles (connections are reused
// from one fetch to the next), and the hosts that failed.
struct Session {
    config::RemoteSettings settings;
    std::string user_agent;
    std::string ca_description;  // for TLS errors: which CA bundle was used
    ProgressSink* sink = nullptr;
    HostHealth health;
    CURLM* multi = nullptr;
    CURLSH* share = nullptr;
    std::mt19937 random{std::random_device{}()};
    bool warned_insecure = false;

    explicit Session(const config::RemoteSettings& s) : settings(s), health(s.max_retries) {
        global_init();
        user_agent = channels::user_agent();
        multi = curl_multi_init();
        share = curl_share_init();
        if (multi == nullptr || share == nullptr) {
            throw ChannelError("cannot start libcurl", "this is a bug or an out-of-memory case");
        }
        curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
        curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                          static_cast<long>(std::max(1, settings.download_threads)));
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
        ca_description = describe_ca();
    }

    ~Session() {
        curl_multi_cleanup(multi);
        curl_share_cleanup(share);
    }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    std::string describe_ca() const {
        if (!settings.ssl_verify.ca_bundle.empty()) {
            return fmt::format("CA bundle {} (ssl_verify)", settings.ssl_verify.ca_bundle);
        }
#if LIBCURL_VERSION_NUM >= 0x075400
        CURL* easy = curl_easy_init();
        char* path = nullptr;
        std::string out = "the system's default CA store";
        if (easy != nullptr && curl_easy_getinfo(easy, CURLINFO_CAINFO, &path) == CURLE_OK &&
            path != nullptr) {
            out = fmt::format("CA bundle {} (the system default)", path);
        }
        curl_easy_cleanup(easy);
        return out;
#else
        return "the system's default CA store";
#endif
    }

    void message(MessageLevel level, const std::string& text) const {
        if (sink != nullptr) {
            sink->message(level, util::redact_url(text));
        }
    }

    // Options every request has: identity, TLS, proxy, timeouts.
    void common_options(CURL* easy, const std::string& url) const {
        curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
        curl_easy_setopt(easy, CURLOPT_USERAGENT, user_agent.c_str());
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 10L);
#if LIBCURL_VERSION_NUM >= 0x075500
        curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https,file");
        curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
        curl_easy_setopt(easy, CURLOPT_PROTOCOLS,
                         static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FILE));
        curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS,
                         static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
        curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
        curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(std::max(1.0, settings.connect_timeout_secs * 1000)));
        if (!settings.ssl_verify.enabled) {
            curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
            curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
        } else if (!settings.ssl_verify.ca_bundle.empty()) {
            curl_easy_setopt(easy, CURLOPT_CAINFO, settings.ssl_verify.ca_bundle.c_str());
        }
        const std::string proxy = proxy_for(url, settings.proxy_servers, std::getenv);
        if (!proxy.empty()) {
            curl_easy_setopt(easy, CURLOPT_PROXY, proxy.c_str());
        }
        for (const char* name : {"no_proxy", "NO_PROXY"}) {
            if (const char* value = std::getenv(name); value != nullptr) {
                curl_easy_setopt(easy, CURLOPT_NOPROXY, value);
                break;
            }
        }
    }

    // The reason text of a libcurl failure, with the host and CA bundle for TLS errors.
    std::string curl_reason(CURLcode code, const char* error, const std::string& url) const {
        std::string detail =
            (error != nullptr && *error != '\0') ? std::string(error) : curl_easy_strerror(code);
        switch (classify_curl(code)) {
            case FailureKind::tls:
                return fmt::format("TLS failure with {} using {}: {}", url_host(url),
                                   ca_description, detail);
            default:
                return detail;
        }
    }
};

// Receives the status line and headers of each response (a redirect starts a new one).
size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto& a = *static_cast<Attempt*>(user);
    a.last_data = Clock::now();
    const std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
        a.etag.clear();
        a.last_modified.clear();
        a.cache_control.clear();
        a.content_range.clear();
        return size * count;
    }
    std::string_view value;
    const std::string name = lower_header_name(line, &value);
    if (name == "etag") {
        a.etag = value;
    } else if (name == "last-modified") {
        a.last_modified = value;
    } else if (name == "cache-control") {
        a.cache_control = value;
    } else if (name == "content-range") {
        a.content_range = value;
    }
    return size * count;
}

// The first byte of `bytes A-B/N`.
std::optional<std::uint64_t> range_start(std::string_view content_range) {
    if (!content_range.starts_with("bytes ")) {
        return std::nullopt;
    }
    content_range.remove_prefix(6);
    std::uint64_t value = 0;
    std::size_t digits = 0;
    for (char c : content_range) {
        if (c < '0' || c > '9') {
            break;
        }
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
        ++digits;
    }
    return digits == 0 ? std::nullopt : std::optional<std::uint64_t>(value);
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto& a = *static_cast<Attempt*>(user);
    a.last_data = Clock::now();
    const size_t n = size * count;
    DownloadStream& stream = *a.job->stream;
    if (!a.status_checked) {
        a.status_checked = true;
        long status = 0;
        curl_easy_getinfo(a.easy, CURLINFO_RESPONSE_CODE, &status);
        if (status == 206) {
            if (a.resume_from == 0 || range_start(a.content_range) != a.resume_from) {
                a.bad_range = true;
                return 0;
            }
        } else if (status == 200 || status == 0) {
            if (stream.received() > 0) {
                stream.restart();  // the server sent the whole file
            }
        } else {
            a.discard = true;
        }
        if (!a.discard) {
            curl_off_t length = -1;
            curl_easy_getinfo(a.easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
            if (!a.job->target->size && length >= 0) {
                a.job->total = stream.received() + static_cast<std::uint64_t>(length);
            }
        }
    }
    if (a.discard) {
        return n;
    }
    return stream.write(data, n) ? n : 0;
}

// Stops a transfer that received nothing for the read timeout (libcurl's own low-speed check
// averages over several seconds, so a burst before a stall would hide it that long).
int on_xferinfo(void* user, curl_off_t /*dltotal*/, curl_off_t /*dlnow*/, curl_off_t /*ultotal*/,
                curl_off_t /*ulnow*/) {
    auto& a = *static_cast<Attempt*>(user);
    if (Clock::now() - a.last_data > a.read_timeout) {
        a.stalled = true;
        return 1;
    }
    return 0;
}

struct ProbeState {
    std::uint64_t bytes = 0;
    std::uint64_t max = 0;
};

size_t on_probe_body(char* /*data*/, size_t size, size_t count, void* user) {
    auto& s = *static_cast<ProbeState*>(user);
    s.bytes += size * count;
    return s.bytes > s.max ? 0 : size * count;
}

// One fetch(): the jobs, the transfer loop on its own thread, and the queue of finished
// targets that the calling thread empties.
class Run {
  public:
    Run(Session& impl, std::span<const DownloadTarget> targets) : impl_(impl) {
        jobs_.resize(targets.size());
        const auto now = Clock::now();
        for (std::size_t i = 0; i < targets.size(); ++i) {
            Job& job = jobs_[i];
            job.index = i;
            job.target = &targets[i];
            job.label = targets[i].label.empty() ? targets[i].destination.filename().string()
                                                 : targets[i].label;
            job.tried.assign(targets[i].urls.size(), false);
            job.total = targets[i].size;
            job.started = now;
        }
    }

    void loop() noexcept {
        try {
            run_loop();
        } catch (const std::exception&) {
            error_ = std::current_exception();
        }
        abandon_all();
        const std::lock_guard lock(mutex_);
        ended_ = true;
        ready_.notify_all();
    }

    // The next finished target; nullopt once every target finished (or the loop stopped).
    std::optional<Completion> pop() {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !done_.empty() || ended_; });
        if (done_.empty()) {
            return std::nullopt;
        }
        Completion c = std::move(done_.front());
        done_.pop_front();
        return c;
    }

    void cancel() {
        cancelled_ = true;
        curl_multi_wakeup(impl_.multi);
    }

    [[nodiscard]] std::exception_ptr error() const { return error_; }

  private:
    void run_loop() {
        start_ = Clock::now();
        const auto threads = static_cast<std::size_t>(std::max(1, impl_.settings.download_threads));
        for (auto& job : jobs_) {
            queue_next(job, kNoRetry);
        }
        auto last_progress = Clock::now() - kProgressInterval;
        while (!cancelled_ && (!waiting_.empty() || !active_.empty())) {
            start_due(threads);
            int running = 0;
            curl_multi_perform(impl_.multi, &running);
            collect();
            if (impl_.sink != nullptr && Clock::now() - last_progress >= kProgressInterval) {
                last_progress = Clock::now();
                impl_.sink->update(snapshot(false));
            }
            if (waiting_.empty() && active_.empty()) {
                break;
            }
            int timeout_ms = static_cast<int>(kProgressInterval.count());
            if (active_.size() < threads) {
                for (const auto& p : waiting_) {
                    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
                                          p.not_before - Clock::now())
                                          .count();
                    timeout_ms = std::clamp(static_cast<int>(wait), 0, timeout_ms);
                }
            }
            if (timeout_ms > 0) {
                curl_multi_poll(impl_.multi, nullptr, 0, timeout_ms, nullptr);
            }
        }
        if (impl_.sink != nullptr && !cancelled_) {
            impl_.sink->update(snapshot(true));
        }
    }

    // Starts the waiting attempts whose time has come, up to `threads` at once.
    void start_due(std::size_t threads) {
        const auto now = Clock::now();
        for (auto it = waiting_.begin(); it != waiting_.end() && active_.size() < threads;) {
            if (it->not_before > now) {
                ++it;
                continue;
            }
            const Pending p = *it;
            it = waiting_.erase(it);
            start(*p.job, p.url_index);
        }
    }

    void start(Job& job, std::size_t url_index) {
        const DownloadTarget& target = *job.target;
        const std::string& url = target.urls[url_index];
        job.tried[url_index] = true;
        try {
            if (!job.stream || job.stream->decompresses() != is_zstd_url(url)) {
                job.stream.reset();
                job.stream = std::make_unique<DownloadStream>(
                    target.destination, StreamExpectation{target.size, target.sha256, target.md5},
                    is_zstd_url(url));
            }
        } catch (const util::Error& e) {
            fail_job_now(job, {util::redact_url(url), FailureKind::local, e.what(), 0});
            return;
        }
        if (!impl_.settings.ssl_verify.enabled && !impl_.warned_insecure &&
            url.starts_with("https://")) {
            impl_.warned_insecure = true;
            impl_.message(MessageLevel::warning,
                          "TLS certificates are not verified (ssl_verify: false): a "
                          "network attacker could change what is downloaded");
        }
        auto attempt = std::make_unique<Attempt>();
        Attempt& a = *attempt;
        a.job = &job;
        a.url_index = url_index;
        a.url = url;
        a.started = Clock::now();
        a.easy = curl_easy_init();
        if (a.easy == nullptr) {
            throw ChannelError("cannot start a libcurl transfer", "out of memory?");
        }
        impl_.common_options(a.easy, url);
        curl_easy_setopt(a.easy, CURLOPT_SHARE, impl_.share);
        curl_easy_setopt(a.easy, CURLOPT_ERRORBUFFER, a.error);
        curl_easy_setopt(a.easy, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(a.easy, CURLOPT_WRITEDATA, &a);
        curl_easy_setopt(a.easy, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(a.easy, CURLOPT_HEADERDATA, &a);
        // The read timeout counts from when the connection could have been made.
        a.last_data =
            a.started + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(impl_.settings.connect_timeout_secs));
        a.read_timeout = std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(impl_.settings.read_timeout_secs));
        curl_easy_setopt(a.easy, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(a.easy, CURLOPT_XFERINFOFUNCTION, on_xferinfo);
        curl_easy_setopt(a.easy, CURLOPT_XFERINFODATA, &a);
        curl_easy_setopt(a.easy, CURLOPT_BUFFERSIZE, 256L * 1024L);
        const bool checked = target.size || !target.sha256.empty() || !target.md5.empty();
        if (!checked && !is_zstd_url(url)) {
            // Repodata: let the server compress it on the way (gzip, ...).
            curl_easy_setopt(a.easy, CURLOPT_ACCEPT_ENCODING, "");
        }
        DownloadStream& stream = *job.stream;
        if (stream.received() > 0) {
            if (stream.resumable()) {
                a.resume_from = stream.received();
                const std::string range = fmt::format("{}-", a.resume_from);
                curl_easy_setopt(a.easy, CURLOPT_RANGE, range.c_str());
            } else {
                stream.restart();
            }
        }
        if (target.revalidate && target.revalidate->url == url) {
            a.conditional = true;
            if (!target.revalidate->etag.empty()) {
                a.headers = curl_slist_append(
                    a.headers, fmt::format("If-None-Match: {}", target.revalidate->etag).c_str());
            }
            if (!target.revalidate->last_modified.empty()) {
                a.headers = curl_slist_append(
                    a.headers,
                    fmt::format("If-Modified-Since: {}", target.revalidate->last_modified).c_str());
            }
            curl_easy_setopt(a.easy, CURLOPT_HTTPHEADER, a.headers);
        }
        curl_easy_setopt(a.easy, CURLOPT_PRIVATE, &a);
        curl_multi_add_handle(impl_.multi, a.easy);
        active_.push_back(std::move(attempt));
    }

    // Handles every transfer libcurl says is done.
    void collect() {
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(impl_.multi, &left)) {
            if (msg->msg != CURLMSG_DONE) {
                continue;
            }
            Attempt* raw = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &raw);
            const CURLcode code = msg->data.result;
            const auto it = std::find_if(active_.begin(), active_.end(),
                                         [&](const auto& a) { return a.get() == raw; });
            std::unique_ptr<Attempt> attempt = std::move(*it);
            active_.erase(it);
            finish(*attempt, code);
            release(*attempt);
        }
    }

    void release(Attempt& a) {
        curl_multi_remove_handle(impl_.multi, a.easy);
        curl_easy_cleanup(a.easy);
        curl_slist_free_all(a.headers);
        a.easy = nullptr;
        a.headers = nullptr;
    }

    void finish(Attempt& a, CURLcode code) {
        Job& job = *a.job;
        long status = 0;
        curl_easy_getinfo(a.easy, CURLINFO_RESPONSE_CODE, &status);
        const std::string shown = util::redact_url(a.url);
        if (code == CURLE_OK && a.conditional && status == 304) {
            succeed(a, status, true);
            return;
        }
        if (code == CURLE_OK && (status == 200 || status == 206 || status == 0) && !a.discard) {
            DownloadStream& stream = *job.stream;
            const StreamFault fault = stream.finish();
            if (fault != StreamFault::none) {
                failed(a, {shown, classify_stream(fault), stream.detail(), status});
                return;
            }
            if (job.target->validate) {
                if (std::string why = job.target->validate(stream.temporary()); !why.empty()) {
                    failed(a, {shown, FailureKind::corrupt, std::move(why), status});
                    return;
                }
            }
            try {
                stream.commit();
            } catch (const util::Error& e) {
                failed(a, {shown, FailureKind::local, e.what(), status});
                return;
            }
            succeed(a, status, false);
            return;
        }
        if (code == CURLE_OK || a.discard) {
            failed(a, {shown, classify_status(status), status_reason(status), status});
            return;
        }
        if (code == CURLE_ABORTED_BY_CALLBACK && a.stalled) {
            failed(a, {shown, FailureKind::timeout,
                       fmt::format("no data for {:g} s (remote_read_timeout_secs)",
                                   impl_.settings.read_timeout_secs),
                       status});
            return;
        }
        if (code == CURLE_WRITE_ERROR) {
            if (a.bad_range) {
                job.stream->restart();
                failed(a,
                       {shown, FailureKind::truncated,
                        "the server answered a different range than asked; starting over", status});
                return;
            }
            if (job.stream->fault() != StreamFault::none) {
                failed(a,
                       {shown, classify_stream(job.stream->fault()), job.stream->detail(), status});
                return;
            }
        }
        failed(a, {shown, classify_curl(code),
                   util::redact_url(impl_.curl_reason(code, a.error, a.url)), status});
    }

    void succeed(Attempt& a, long status, bool not_modified) {
        Job& job = *a.job;
        impl_.health.succeeded(url_host(a.url));
        DownloadResult result;
        result.url = util::redact_url(a.url);
        result.url_index = a.url_index;
        result.bytes = not_modified ? 0 : job.stream->received();
        result.not_modified = not_modified;
        result.resumed = a.resume_from > 0 && status == 206;
        result.http_status = status;
        result.seconds = seconds_since(job.started);
        result.etag = a.etag;
        result.last_modified = a.last_modified;
        result.cache_control = a.cache_control;
        result.failed = std::move(job.failures);
        impl_.message(MessageLevel::info,
                      not_modified ? fmt::format("{}: not modified at {}", job.label, a.url)
                                   : fmt::format("{}: {} bytes from {}{}", job.label, result.bytes,
                                                 a.url, result.resumed ? " (resumed)" : ""));
        done_bytes_ += result.bytes;
        job.stream.reset();  // nothing left to remove: the file was renamed
        complete(job, DownloadOutcome{std::move(result), {}});
    }

    void failed(Attempt& a, UrlFailure failure) {
        Job& job = *a.job;
        const std::string host = url_host(a.url);
        const FailureKind kind = failure.kind;
        if (blames_host(kind)) {
            if (!impl_.health.avoided(host)) {
                impl_.message(MessageLevel::warning,
                              fmt::format("{} failed: {}; other sources go first for the "
                                          "rest of this run",
                                          host, failure.reason));
            }
            impl_.health.failed(host, failure.reason);
        }
        impl_.message(MessageLevel::info,
                      fmt::format("{}: {} failed: {}", job.label, a.url, failure.reason));
        job.failures.push_back(std::move(failure));
        if (kind == FailureKind::local) {
            finish_failed(job);
            return;
        }
        if (job.stream && !(is_transient(kind) && job.stream->resumable())) {
            job.stream->restart();
        }
        const bool may_retry = is_transient(kind) && job.retries < impl_.settings.max_retries &&
                               !impl_.health.given_up(host);
        queue_next(job, may_retry ? a.url_index : kNoRetry);
    }

    // Queues the next URL of `job`, or the URL `retry` after a backoff when none is left (and
    // `retry` is not kNoRetry), or ends the job.
    void queue_next(Job& job, std::size_t retry) {
        if (const auto next = next_candidate(job.target->urls, job.tried, impl_.health)) {
            waiting_.push_back({&job, *next, Clock::now()});
            return;
        }
        if (retry != kNoRetry) {
            ++job.retries;
            std::uniform_real_distribution<double> jitter(0.5, 1.5);
            const double wait =
                backoff_seconds(impl_.settings.backoff_factor, job.retries, jitter(impl_.random));
            impl_.message(MessageLevel::info,
                          fmt::format("{}: retry {} of {} in {:.1f} s", job.label, job.retries,
                                      impl_.settings.max_retries, wait));
            waiting_.push_back({&job, retry,
                                Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                   std::chrono::duration<double>(wait))});
            return;
        }
        finish_failed(job);
    }

    void finish_failed(Job& job) {
        for (std::size_t i = 0; i < job.tried.size(); ++i) {
            const std::string host = url_host(job.target->urls[i]);
            if (!job.tried[i] && impl_.health.given_up(host)) {
                job.failures.push_back(
                    {util::redact_url(job.target->urls[i]), FailureKind::skipped,
                     util::redact_url(fmt::format("not tried: {} failed earlier in this run ({})",
                                                  host, impl_.health.reason(host))),
                     0});
            }
        }
        if (job.target->urls.empty()) {
            job.failures.push_back({"", FailureKind::not_found, "no URL to fetch it from", 0});
        }
        job.stream.reset();
        complete(job, DownloadOutcome{std::nullopt, std::move(job.failures)});
    }

    void fail_job_now(Job& job, UrlFailure failure) {
        job.failures.push_back(std::move(failure));
        finish_failed(job);
    }

    void complete(Job& job, DownloadOutcome outcome) {
        job.finished = true;
        ++finished_;
        const std::lock_guard lock(mutex_);
        done_.push_back({job.index, std::move(outcome)});
        ready_.notify_one();
    }

    // Stops everything still running; their temporary files go with their streams.
    void abandon_all() {
        for (auto& a : active_) {
            release(*a);
        }
        active_.clear();
        waiting_.clear();
        for (auto& job : jobs_) {
            job.stream.reset();
        }
    }

    ProgressSnapshot snapshot(bool final) {
        ProgressSnapshot s;
        s.targets = jobs_.size();
        s.finished = finished_;
        s.final = final;
        s.elapsed_secs = seconds_since(start_);
        std::uint64_t in_flight = 0;
        s.total_known = true;
        for (const auto& job : jobs_) {
            if (job.total) {
                s.total_bytes += *job.total;
            } else {
                s.total_known = false;
            }
        }
        for (const auto& a : active_) {
            const Job& job = *a->job;
            TransferProgress t;
            t.index = job.index;
            t.label = job.label;
            t.done = job.stream ? job.stream->received() : 0;
            t.total = job.total;
            const double secs = seconds_since(a->started);
            const std::uint64_t fresh = t.done > a->resume_from ? t.done - a->resume_from : 0;
            t.bytes_per_second = secs > 0 ? static_cast<double>(fresh) / secs : 0;
            in_flight += t.done;
            s.active.push_back(std::move(t));
        }
        s.done_bytes = done_bytes_ + in_flight;
        const auto now = Clock::now();
        samples_.emplace_back(now, s.done_bytes);
        while (samples_.size() > 2 && now - samples_.front().first > kSpeedWindow) {
            samples_.pop_front();
        }
        const double window = std::chrono::duration<double>(now - samples_.front().first).count();
        s.bytes_per_second =
            window > 0 ? static_cast<double>(s.done_bytes - samples_.front().second) / window : 0;
        return s;
    }

    Session& impl_;
    std::vector<Job> jobs_;
    std::vector<std::unique_ptr<Attempt>> active_;
    std::vector<Pending> waiting_;
    std::size_t finished_ = 0;
    std::uint64_t done_bytes_ = 0;
    Clock::time_point start_;
    std::deque<std::pair<Clock::time_point, std::uint64_t>> samples_;
    std::atomic<bool> cancelled_{false};
    std::exception_ptr error_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Completion> done_;
    bool ended_ = false;
};

// `url: reason; url: reason (3 times)`: retries that failed the same way are one item.
std::string failure_lines(const std::vector<UrlFailure>& failures) {
    std::string out;
    for (std::size_t i = 0; i < failures.size();) {
        std::size_t same = 1;
        while (i + same < failures.size() && failures[i + same].url == failures[i].url &&
               failures[i + same].reason == failures[i].reason) {
            ++same;
        }
        out +=
            fmt::format("{}{}: {}", out.empty() ? "" : "; ", failures[i].url, failures[i].reason);
        if (same > 1) {
            out += fmt::format(" ({} times)", same);
        }
        i += same;
    }
    return out;
}

}  // namespace

struct Downloader::Impl {
    Session session;
    explicit Impl(const config::RemoteSettings& settings) : session(settings) {}
};

DownloadError make_download_error(const std::string& label,
                                  const std::vector<UrlFailure>& failures) {
    const auto any = [&](auto pred) { return std::any_of(failures.begin(), failures.end(), pred); };
    const auto all = [&](auto pred) {
        return !failures.empty() && std::all_of(failures.begin(), failures.end(), pred);
    };
    std::string hint;
    if (any([](const UrlFailure& f) { return f.kind == FailureKind::local; })) {
        hint = "check the free space and permissions of the cache folder";
    } else if (any([](const UrlFailure& f) { return f.kind == FailureKind::tls; })) {
        hint =
            "if a proxy or your organisation re-signs TLS traffic, point ssl_verify at its CA "
            "bundle: cenv config set ssl_verify /path/to/ca.pem";
    } else if (all([](const UrlFailure& f) { return f.kind == FailureKind::not_found; })) {
        hint =
            "no source has this file: a mirror may lag behind its channel, or the name is "
            "wrong; cenv config get mirrors shows the mirrors in use";
    } else if (any([](const UrlFailure& f) {
                   return f.kind == FailureKind::checksum || f.kind == FailureKind::corrupt;
               })) {
        hint =
            "a source served other bytes than the channel index lists: a stale mirror? try "
            "again later, or another mirror (cenv mirror test, cenv config mirror use)";
    } else {
        hint =
            "check the network and the proxy settings (proxy_servers, https_proxy); "
            "cenv mirror test shows which mirrors answer; --offline uses what is cached";
    }
    return DownloadError(
        util::redact_url(fmt::format("cannot download {}: {}", label, failure_lines(failures))),
        std::move(hint), failures);
}

Downloader::Downloader(const config::RemoteSettings& settings)
    : impl_(std::make_unique<Impl>(settings)) {}

Downloader::~Downloader() = default;

void Downloader::set_progress(ProgressSink* sink) {
    impl_->session.sink = sink;
}

void Downloader::fetch_each(
    std::span<const DownloadTarget> targets,
    const std::function<void(std::size_t, const DownloadOutcome&)>& on_done) {
    if (targets.empty()) {
        return;
    }
    Run run(impl_->session, targets);
    std::thread worker([&run] { run.loop(); });
    try {
        while (auto completion = run.pop()) {
            on_done(completion->index, completion->outcome);
        }
    } catch (...) {
        // The caller's exception, rethrown as it is once the transfers are stopped.
        run.cancel();
        worker.join();
        throw;
    }
    worker.join();
    if (run.error()) {
        std::rethrow_exception(run.error());
    }
}

void Downloader::fetch(std::span<const DownloadTarget> targets,
                       const std::function<void(std::size_t, const DownloadResult&)>& on_done) {
    std::optional<std::size_t> first_failed;
    std::vector<UrlFailure> failures;
    std::size_t failed_count = 0;
    fetch_each(targets, [&](std::size_t index, const DownloadOutcome& outcome) {
        if (outcome.ok()) {
            on_done(index, *outcome.result);
            return;
        }
        ++failed_count;
        if (!first_failed || index < *first_failed) {
            first_failed = index;
            failures = outcome.failures;
        }
    });
    if (first_failed) {
        const DownloadTarget& target = targets[*first_failed];
        const std::string label =
            target.label.empty() ? target.destination.filename().string() : target.label;
        DownloadError error = make_download_error(label, failures);
        if (failed_count > 1) {
            throw DownloadError(fmt::format("{} (and {} other file{} failed)", error.what(),
                                            failed_count - 1, failed_count == 2 ? "" : "s"),
                                error.hint(), error.failures());
        }
        throw error;
    }
}

ProbeResult Downloader::probe(const ProbeTarget& target, double timeout_secs) {
    ProbeResult result;
    result.name = target.name;
    result.url = util::redact_url(target.url);
    CURL* easy = curl_easy_init();
    if (easy == nullptr) {
        result.error = "cannot start a libcurl transfer";
        return result;
    }
    char error[CURL_ERROR_SIZE] = {};
    ProbeState state{0, target.max_bytes};
    impl_->session.common_options(easy, target.url);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(std::max(1.0, timeout_secs * 1000)));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::max(1.0, timeout_secs * 1000)));
    const std::string range = fmt::format("0-{}", target.max_bytes == 0 ? 0 : target.max_bytes - 1);
    curl_easy_setopt(easy, CURLOPT_RANGE, range.c_str());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_probe_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &state);
    const CURLcode code = curl_easy_perform(easy);
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_off_t first_byte = 0;
    curl_off_t total = 0;
    curl_easy_getinfo(easy, CURLINFO_STARTTRANSFER_TIME_T, &first_byte);
    curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &total);
    curl_easy_cleanup(easy);
    const bool stopped_at_max = code == CURLE_WRITE_ERROR && state.bytes > state.max;
    if (code != CURLE_OK && !stopped_at_max) {
        result.error = util::redact_url(impl_->session.curl_reason(code, error, target.url));
        return result;
    }
    if (status >= 400 || (status != 0 && status < 200)) {
        result.error = status_reason(status);
        return result;
    }
    result.ok = true;
    result.bytes = std::min(state.bytes, state.max);
    result.first_byte_secs = static_cast<double>(first_byte) / 1e6;
    result.total_secs = static_cast<double>(total) / 1e6;
    return result;
}

}  // namespace cenv::channels

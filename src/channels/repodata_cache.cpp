#include "channels/repodata_cache.hpp"
#include "channels/repodata_state.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "config/rc_edit.hpp"
#include "util/file.hpp"
#include "util/file_lock.hpp"
#include "util/hash.hpp"
#include "util/redact.hpp"

namespace cenv::channels {

namespace fs = std::filesystem;

namespace {

// Bytes read from each end of a cached file to see that it is a whole JSON object.
constexpr std::size_t kEdgeBytes = 64;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string format_time(std::int64_t unix_seconds) {
    const auto t = static_cast<std::time_t>(unix_seconds);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M UTC", &utc);
    return buffer;
}

struct FileStat {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
};

std::optional<FileStat> stat_file(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return std::nullopt;
    }
    return FileStat{
        static_cast<std::uint64_t>(st.st_size),
        static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

// Whether the file runs from `{` to `}`: a truncated repodata.json never does.
bool whole_json_object(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    std::string head(kEdgeBytes, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    in.clear();
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::size_t>(in.tellg());
    const std::size_t tail_size = std::min(size, kEdgeBytes);
    std::string tail(tail_size, '\0');
    in.seekg(static_cast<std::streamoff>(size - tail_size));
    in.read(tail.data(), static_cast<std::streamsize>(tail_size));
    return in.gcount() == static_cast<std::streamsize>(tail_size) &&
           looks_like_json_object(head, tail);
}

std::string validate_repodata(const fs::path& file) {
    return whole_json_object(file)
               ? std::string{}
               : std::string("not a whole repodata.json (it does not run from '{' to '}')");
}

std::string cache_key(const std::string& subdir_url) {
    util::Hasher hasher(util::HashAlgorithm::sha256);
    hasher.update(subdir_url);
    return hasher.hex_digest().substr(0, 16);
}

// One requested subdir on its way through refresh().
struct Entry {
    const SubdirRequest* request = nullptr;
    std::string canonical;  // canonical URL of the subdir
    fs::path json;
    fs::path state_file;
    fs::path lock_file;
    std::optional<RepodataState> state;
    bool cached = false;  // json is there and matches the state
    SubdirFetch report;
    std::optional<std::size_t> target;
    std::vector<std::string> url_source;  // per target URL: its source, redacted
};

SubdirFile subdir_file(const Entry& e) {
    const ResolvedChannel& channel = *e.request->channel;
    specs::RepodataSource source{
        channel.canonical, e.canonical,
        fmt::format("{} (the cached index of {})", e.json.string(), util::redact_url(e.canonical))};
    return {e.request->subdir, e.json, std::move(source)};
}

// Not flushed to the disk: a state lost in a crash only makes the next run fetch again.
void write_state(const Entry& e, const RepodataState& state) {
    config::write_file_atomically(e.state_file, state_to_json(state), false);
}

}  // namespace

std::string_view to_string(SubdirOrigin origin) noexcept {
    switch (origin) {
        case SubdirOrigin::fresh:
            return "fresh";
        case SubdirOrigin::not_modified:
            return "not_modified";
        case SubdirOrigin::downloaded:
            return "downloaded";
        case SubdirOrigin::offline:
            return "offline";
        case SubdirOrigin::stale:
            return "stale";
        case SubdirOrigin::missing:
            return "missing";
    }
    return "unknown";
}

void forget_cached_index(const fs::path& cached_json) {
    fs::path state = cached_json;
    state.replace_extension(".state.json");
    std::error_code ec;
    fs::remove(state, ec);
}

RepodataCache::RepodataCache(fs::path dir, const config::RemoteSettings& remote,
                             Downloader& downloader)
    : dir_(std::move(dir)), remote_(remote), downloader_(downloader) {}

fs::path RepodataCache::repodata_path(const std::string& subdir_url) const {
    return dir_ / (cache_key(subdir_url) + ".json");
}

fs::path RepodataCache::state_path(const std::string& subdir_url) const {
    return dir_ / (cache_key(subdir_url) + ".state.json");
}

std::vector<SubdirFetch> RepodataCache::refresh(std::span<const SubdirRequest> requests) {
    if (requests.empty()) {
        return {};  // local channels only: no cache folder needed
    }
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) {
        throw util::IoError(
            fmt::format("cannot create the cache folder '{}': {}", dir_.string(), ec.message()),
            "check the permissions of the root prefix (-r, CENV_ROOT_PREFIX)");
    }
    const std::int64_t now = unix_now();
    std::vector<Entry> entries(requests.size());
    std::set<fs::path> lock_files;  // sorted: every process takes them in the same order
    for (std::size_t i = 0; i < requests.size(); ++i) {
        Entry& e = entries[i];
        e.request = &requests[i];
        e.canonical = fmt::format("{}/{}", requests[i].channel->canonical, requests[i].subdir);
        const std::string key = cache_key(e.canonical);
        e.json = dir_ / (key + ".json");
        e.state_file = dir_ / (key + ".state.json");
        e.lock_file = dir_ / (key + ".lock");
        e.report.channel = util::redact_url(requests[i].channel->canonical);
        e.report.subdir = requests[i].subdir;
        lock_files.insert(e.lock_file);
    }
    std::vector<util::FileLock> locks;
    locks.reserve(lock_files.size());
    for (const auto& file : lock_files) {
        locks.push_back(util::FileLock::acquire(file));
    }

    std::vector<DownloadTarget> targets;
    for (Entry& e : entries) {
        if (const auto text = [&]() -> std::optional<std::string> {
                try {
                    return util::read_file(e.state_file);
                } catch (const util::IoError&) {
                    return std::nullopt;  // no state yet
                }
            }()) {
            e.state = state_from_json(*text);
        }
        if (e.state && !e.state->missing) {
            const auto st = stat_file(e.json);
            e.cached = st && st->size == e.state->size && st->mtime_ns == e.state->mtime_ns &&
                       whole_json_object(e.json);
        }
        const bool known_missing = e.state && e.state->missing;
        if (remote_.offline) {
            if (known_missing) {
                e.report.origin = SubdirOrigin::missing;
                continue;
            }
            if (!e.cached) {
                const auto sources =
                    e.request->channel->subdir_sources(e.request->subdir, remote_.mirror_only);
                throw ChannelError(
                    fmt::format("offline: no cached index of {} (online it comes from {})",
                                util::redact_url(e.canonical),
                                util::redact_url(sources.urls.front())),
                    "run the command once online to fill the cache, or use a local channel "
                    "(-c ./folder) with --override-channels");
            }
            e.report.origin = SubdirOrigin::offline;
            e.report.refreshed = e.state->refreshed;
            e.report.warning =
                fmt::format("offline: using the cached index of {} from {}",
                            util::redact_url(e.canonical), format_time(e.state->refreshed));
            e.report.file = subdir_file(e);
            continue;
        }
        if ((e.cached || known_missing) && is_fresh(*e.state, remote_.local_repodata_ttl, now)) {
            e.report.origin = known_missing ? SubdirOrigin::missing : SubdirOrigin::fresh;
            e.report.refreshed = e.state->refreshed;
            if (e.cached) {
                e.report.file = subdir_file(e);
            }
            continue;
        }
        DownloadTarget t;
        t.destination = e.json;
        t.label = util::redact_url(e.canonical) + "/repodata.json";
        t.validate = validate_repodata;
        const auto sources =
            e.request->channel->subdir_sources(e.request->subdir, remote_.mirror_only);
        for (const auto& source : sources.urls) {
            const std::string shown = util::redact_url(source);
            if (!(e.state && lacks_zst(*e.state, shown, now))) {
                t.urls.push_back(source + "/repodata.json.zst");
                e.url_source.push_back(shown);
            }
            t.urls.push_back(source + "/repodata.json");
            e.url_source.push_back(shown);
        }
        if (e.cached) {
            for (const auto& url : t.urls) {
                if (util::redact_url(url) == e.state->url) {
                    t.revalidate = Revalidation{url, e.state->etag, e.state->last_modified};
                    break;
                }
            }
        }
        e.target = targets.size();
        targets.push_back(std::move(t));
    }

    std::vector<DownloadOutcome> outcomes(targets.size());
    downloader_.fetch_each(
        targets, [&](std::size_t i, const DownloadOutcome& outcome) { outcomes[i] = outcome; });

    std::optional<DownloadError> first_error;
    for (Entry& e : entries) {
        if (!e.target) {
            continue;
        }
        const DownloadTarget& t = targets[*e.target];
        const DownloadOutcome& outcome = outcomes[*e.target];
        RepodataState state = e.state.value_or(RepodataState{});
        const auto& failures = outcome.ok() ? outcome.result->failed : outcome.failures;
        // Sources that answered 404 to the .zst are asked for the .json only next time.
        for (const auto& f : failures) {
            if (f.kind == FailureKind::not_found && f.url.ends_with(".zst")) {
                state.no_zst[f.url.substr(
                    0, f.url.size() - std::string_view("/repodata.json.zst").size())] = now;
            }
        }
        e.report.failures = failures;
        if (outcome.ok()) {
            const DownloadResult& r = *outcome.result;
            const std::string& source = e.url_source[r.url_index];
            if (t.urls[r.url_index].ends_with(".zst")) {
                state.no_zst.erase(source);
            }
            state.refreshed = now;
            state.missing = false;
            e.report.url = r.url;
            if (r.not_modified) {
                if (!r.cache_control.empty()) {
                    state.cache_control = r.cache_control;
                }
                e.report.origin = SubdirOrigin::not_modified;
            } else {
                const auto st = stat_file(e.json);
                if (!st) {
                    throw util::IoError(
                        fmt::format("the downloaded '{}' disappeared", e.json.string()));
                }
                state.url = r.url;
                state.etag = r.etag;
                state.last_modified = r.last_modified;
                state.cache_control = r.cache_control;
                state.size = st->size;
                state.mtime_ns = st->mtime_ns;
                state.compression = t.urls[r.url_index].ends_with(".zst") ? "zst" : "none";
                e.report.origin = SubdirOrigin::downloaded;
                e.report.bytes = r.bytes;
            }
            write_state(e, state);
            e.report.refreshed = now;
            e.report.file = subdir_file(e);
            continue;
        }
        const bool all_missing =
            std::all_of(failures.begin(), failures.end(),
                        [](const UrlFailure& f) { return f.kind == FailureKind::not_found; });
        if (all_missing && !failures.empty()) {
            state.missing = true;
            state.refreshed = now;
            fs::remove(e.json, ec);
            write_state(e, state);
            e.report.origin = SubdirOrigin::missing;
            continue;
        }
        if (e.cached) {
            e.report.origin = SubdirOrigin::stale;
            e.report.refreshed = e.state->refreshed;
            e.report.warning = fmt::format(
                "no source of {} answered ({}); using the cached index from {}",
                util::redact_url(e.canonical), failures.empty() ? "" : failures.back().reason,
                format_time(e.state->refreshed));
            e.report.file = subdir_file(e);
            continue;
        }
        if (!first_error) {
            first_error = make_download_error(t.label, failures);
        }
    }
    if (first_error) {
        throw *first_error;
    }
    std::vector<SubdirFetch> reports;
    reports.reserve(entries.size());
    for (auto& e : entries) {
        reports.push_back(std::move(e.report));
    }
    return reports;
}

}  // namespace cenv::channels

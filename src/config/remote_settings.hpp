#pragma once
// What the downloader needs to know from the configuration, as plain values: where to fetch a
// channel's subdir from (mirrors first, then the canonical URL unless mirror_only) and how to
// fetch (timeouts, retries, TLS, proxies, parallelism, offline, cache TTL). It holds no logic;
// `config::Settings::remote()` fills it and `channels` builds the URL lists.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cenv::config {

/// TLS verification as conda's `ssl_verify` has it: true (system CA store), false (off, with a
/// warning) or the path of a CA bundle.
struct SslVerify {
    bool enabled = true;
    std::string ca_bundle;  ///< empty: the default CA store
};

struct RemoteSettings {
    double connect_timeout_secs = 9.15;  ///< remote_connect_timeout_secs (conda's default)
    double read_timeout_secs = 60.0;     ///< remote_read_timeout_secs: low-speed timeout
    int max_retries = 3;                 ///< remote_max_retries
    double backoff_factor = 1.0;         ///< remote_backoff_factor (seconds, doubled per try)
    SslVerify ssl_verify;                ///< ssl_verify
    std::map<std::string, std::string> proxy_servers;  ///< scheme or scheme://host -> proxy URL
    int download_threads = 5;                          ///< parallel transfers (download_threads)
    bool offline = false;  ///< offline: use only caches and local channels
    /// local_repodata_ttl: 1 = honour the server's Cache-Control max-age, 0 = always
    /// revalidate, N > 1 = treat cached repodata as fresh for N seconds.
    std::int64_t local_repodata_ttl = 1;
    bool mirror_only = false;  ///< never fall back to the canonical URL after the mirrors
};

/// Where one channel subdir is fetched from. `canonical` is its identity (records keep it as
/// their channel whichever URL served them); `urls` are tried in order.
struct SubdirSources {
    std::string canonical;          ///< e.g. https://conda.anaconda.org/conda-forge/linux-64
    std::vector<std::string> urls;  ///< mirrors in order, then `canonical` unless mirror_only
};

}  // namespace cenv::config

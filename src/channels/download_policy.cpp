#include "channels/download_policy.hpp"

#include <algorithm>
#include <cmath>

#include <curl/curl.h>
#include <fmt/format.h>

#include "util/strings.hpp"

namespace cenv::channels {

std::string_view to_string(FailureKind kind) noexcept {
    switch (kind) {
        case FailureKind::not_found:
            return "not_found";
        case FailureKind::http:
            return "http";
        case FailureKind::server:
            return "server";
        case FailureKind::connection:
            return "connection";
        case FailureKind::timeout:
            return "timeout";
        case FailureKind::tls:
            return "tls";
        case FailureKind::truncated:
            return "truncated";
        case FailureKind::checksum:
            return "checksum";
        case FailureKind::corrupt:
            return "corrupt";
        case FailureKind::local:
            return "local";
        case FailureKind::skipped:
            return "skipped";
        case FailureKind::cancelled:
            return "cancelled";
    }
    return "unknown";
}

bool blames_host(FailureKind kind) noexcept {
    switch (kind) {
        case FailureKind::server:
        case FailureKind::connection:
        case FailureKind::timeout:
        case FailureKind::tls:
        case FailureKind::truncated:
        case FailureKind::checksum:
        case FailureKind::corrupt:
            return true;
        default:
            return false;
    }
}

bool is_transient(FailureKind kind) noexcept {
    return kind == FailureKind::server || kind == FailureKind::connection ||
           kind == FailureKind::timeout || kind == FailureKind::truncated;
}

std::string url_host(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return std::string(url);
    }
    const auto start = scheme_end + 3;
    auto end = url.find_first_of("/?#", start);
    if (end == std::string_view::npos) {
        end = url.size();
    }
    std::string_view authority = url.substr(start, end - start);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        authority.remove_prefix(at + 1);
    }
    return util::to_lower(url.substr(0, start)) + util::to_lower(authority);
}

void HostHealth::failed(const std::string& host, const std::string& reason) {
    auto& state = hosts_[host];
    ++state.failures;
    state.reason = reason;
}

void HostHealth::succeeded(const std::string& host) {
    if (const auto it = hosts_.find(host); it != hosts_.end()) {
        it->second.failures = 0;
    }
}

bool HostHealth::avoided(const std::string& host) const {
    return hosts_.contains(host);
}

bool HostHealth::given_up(const std::string& host) const {
    const auto it = hosts_.find(host);
    return it != hosts_.end() && it->second.failures > max_retries_;
}

std::string HostHealth::reason(const std::string& host) const {
    const auto it = hosts_.find(host);
    return it == hosts_.end() ? std::string{} : it->second.reason;
}

std::optional<std::size_t> next_candidate(const std::vector<std::string>& urls,
                                          const std::vector<bool>& tried,
                                          const HostHealth& health) {
    std::optional<std::size_t> fallback;
    for (std::size_t i = 0; i < urls.size(); ++i) {
        if (tried[i]) {
            continue;
        }
        const std::string host = url_host(urls[i]);
        if (!health.avoided(host)) {
            return i;
        }
        if (!fallback && !health.given_up(host)) {
            fallback = i;
        }
    }
    return fallback;
}

double backoff_seconds(double factor, int retry, double jitter) noexcept {
    if (factor <= 0 || retry <= 0) {
        return 0;
    }
    const double base = factor * std::ldexp(1.0, std::min(retry - 1, 30));
    return std::min(base * jitter, 60.0);
}

std::string proxy_for(std::string_view url, const std::map<std::string, std::string>& proxy_servers,
                      const std::function<const char*(const char*)>& getenv) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return {};
    }
    const std::string scheme = util::to_lower(url.substr(0, scheme_end));
    if (scheme == "file") {
        return {};
    }
    const std::string host = url_host(url).substr(scheme.size() + 3);
    for (const std::string& key :
         {scheme + "://" + host, scheme, std::string("all://") + host, std::string("all")}) {
        if (const auto it = proxy_servers.find(key); it != proxy_servers.end()) {
            return it->second;
        }
    }
    const std::string upper = [&] {
        std::string s = scheme;
        std::transform(s.begin(), s.end(), s.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        return s;
    }();
    for (const std::string& name : {scheme + "_proxy", upper + "_PROXY", std::string("all_proxy"),
                                    std::string("ALL_PROXY")}) {
        if (const char* value = getenv(name.c_str()); value != nullptr && *value != '\0') {
            return value;
        }
    }
    return {};
}

std::string user_agent() {
    const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
    return fmt::format("cenv/{} libcurl/{}", CENV_VERSION,
                       info != nullptr && info->version != nullptr ? info->version : "unknown");
}

}  // namespace cenv::channels

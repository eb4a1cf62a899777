#include "channels/channel_resolve.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "channels/error.hpp"
#include "config/mirror_presets.hpp"
#include "specs/platform.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace cenv::channels {

namespace {

// Deeper than any sensible nesting of custom_multichannels; stops a loop.
constexpr int kMaxDepth = 8;

std::string trim_slashes(std::string_view text) {
    while (!text.empty() && text.back() == '/') {
        text.remove_suffix(1);
    }
    return std::string(text);
}

bool has_scheme(std::string_view text) {
    const auto pos = text.find("://");
    return pos != std::string_view::npos && pos > 0;
}

// As ChannelLocation decides: a bare relative name is a channel name unless such a folder
// exists.
bool looks_local(std::string_view text) {
    if (text.starts_with("file://")) {
        return true;
    }
    if (has_scheme(text)) {
        return false;
    }
    std::error_code ec;
    return text.starts_with('/') || text.starts_with("./") || text.starts_with("../") ||
           text.starts_with('~') || text == "." || text == ".." ||
           std::filesystem::is_directory(std::string(text), ec);
}

// Where the path starts in a URL: after `scheme://authority`.
std::size_t path_start(std::string_view url) {
    const auto scheme = url.find("://");
    const auto slash = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
    return slash == std::string_view::npos ? url.size() : slash;
}

// Splits a known subdir off the end of `text` (`conda-forge/linux-64`, `https://h/c/noarch`).
std::string split_platform(std::string& text) {
    const auto slash = text.rfind('/');
    if (slash == std::string::npos) {
        return {};
    }
    const std::string last = text.substr(slash + 1);
    if (!specs::is_known_subdir(last)) {
        return {};
    }
    text.resize(slash);
    return last;
}

// Removes a `/t/TOKEN` segment from the URL's path and returns the token.
std::string take_token(std::string& url) {
    const std::size_t start = path_start(url);
    const auto pos = url.find("/t/", start);
    if (pos == std::string::npos) {
        return {};
    }
    const auto end = std::min(url.find('/', pos + 3), url.size());
    if (end == pos + 3) {
        return {};
    }
    std::string token = url.substr(pos + 3, end - pos - 3);
    url.erase(pos, end - pos);
    return token;
}

// `url` is `key` or starts with `key/`: the rest ("" or "/label/dev"); nullopt otherwise.
std::optional<std::string> under(std::string_view url, std::string_view key) {
    const std::string k = trim_slashes(key);
    if (url == k) {
        return std::string{};
    }
    if (url.size() > k.size() && url.starts_with(k) && url[k.size()] == '/') {
        return std::string(url.substr(k.size()));
    }
    return std::nullopt;
}

void add_mirror(ResolvedChannel& channel, std::string url) {
    url = trim_slashes(url);
    if (url == channel.canonical) {
        return;
    }
    for (const auto& m : channel.mirrors) {
        if (m == url) {
            return;
        }
    }
    channel.mirrors.push_back(std::move(url));
}

ResolvedChannel from_url(std::string url, std::string name, std::string platform,
                         const config::ChannelSettings& settings) {
    ResolvedChannel channel;
    channel.name = std::move(name);
    url = trim_slashes(url);
    if (std::string p = split_platform(url); !p.empty() && platform.empty()) {
        platform = std::move(p);
    }
    channel.platform = std::move(platform);
    if (url.starts_with("file://")) {
        channel.local = ChannelLocation::parse(url);
        channel.canonical = channel.local->url;
        return channel;
    }
    channel.token = take_token(url);
    channel.canonical = url;
    if (std::string original = config::canonical_for_mirror_url(url); !original.empty()) {
        // A mirror named directly (a mirror's own .condarc): the channel is the original.
        channel.canonical = std::move(original);
        channel.mirrors.push_back(url);
    }
    // A `mirrors:` key names one channel exactly; a key ending in `/` covers every channel
    // under it (the longest such key wins). A labelled channel thus never goes to a mirror
    // that only carries the channel itself.
    const std::vector<std::string>* best = nullptr;
    std::string best_rest;
    std::size_t best_length = 0;
    for (const auto& [key, urls] : settings.mirrors) {
        if (trim_slashes(key) == channel.canonical) {
            best = &urls;
            best_rest.clear();
            break;
        }
        if (key.ends_with('/')) {
            if (auto rest = under(channel.canonical, key); rest && key.size() >= best_length) {
                best = &urls;
                best_rest = *rest;
                best_length = key.size();
            }
        }
    }
    if (best != nullptr) {
        for (const auto& mirror : *best) {
            add_mirror(channel, trim_slashes(mirror) + best_rest);
        }
    }
    return channel;
}

void resolve_into(std::vector<ResolvedChannel>& out, std::string_view raw, std::string name,
                  const config::ChannelSettings& settings, int depth) {
    const std::string text = trim_slashes(util::trim(raw));
    if (text.empty()) {
        throw ChannelError("empty channel name", "name a channel: conda-forge, a URL or a path");
    }
    if (depth > kMaxDepth) {
        throw ChannelError(
            fmt::format("channel '{}' refers to itself through custom_multichannels", text),
            "fix custom_multichannels in your settings (cenv config list --sources)");
    }
    if (name.empty()) {
        name = text;
    }
    if (text == "defaults") {
        for (const auto& url : settings.default_channels) {
            resolve_into(out, url, "defaults", settings, depth + 1);
        }
        return;
    }
    for (const auto& [multi, members] : settings.custom_multichannels) {
        if (multi == text) {
            for (const auto& member : members) {
                resolve_into(out, member, name, settings, depth + 1);
            }
            return;
        }
    }
    if (looks_local(text)) {
        ResolvedChannel channel;
        channel.name = std::move(name);
        channel.local = ChannelLocation::parse(text);
        channel.canonical = channel.local->url;
        out.push_back(std::move(channel));
        return;
    }
    if (has_scheme(text)) {
        out.push_back(from_url(text, std::move(name), {}, settings));
        return;
    }
    // A channel name, maybe with a label and a subdir: conda-forge/label/dev/linux-64.
    std::string channel_name = text;
    std::string platform = split_platform(channel_name);
    // pkgs/main, pkgs/r: the default channel whose URL ends with that name.
    for (const auto& url : settings.default_channels) {
        const std::string u = trim_slashes(url);
        if (u.ends_with("/" + channel_name)) {
            out.push_back(from_url(u, std::move(name), std::move(platform), settings));
            return;
        }
    }
    // custom_channels: the longest key that is the name or a leading part of it.
    const std::string* base = nullptr;
    std::size_t base_length = 0;
    std::string base_key;
    for (const auto& [key, url] : settings.custom_channels) {
        if (under(channel_name, key) && key.size() >= base_length) {
            base = &url;
            base_length = key.size();
            base_key = key;
        }
    }
    if (base != nullptr && channel_name != base_key) {
        // A label under a channel that custom_channels sends to a known mirror
        // (conda-forge/label/dev with TUNA's .condarc): mirrors carry no labels, so the
        // labelled channel is the original's, fetched from its own URL.
        const std::string original =
            config::canonical_for_mirror_url(trim_slashes(*base) + "/" + base_key);
        if (!original.empty()) {
            out.push_back(from_url(original + channel_name.substr(base_key.size()), std::move(name),
                                   std::move(platform), settings));
            return;
        }
    }
    const std::string prefix =
        base != nullptr ? trim_slashes(*base) : trim_slashes(settings.channel_alias);
    out.push_back(
        from_url(prefix + "/" + channel_name, std::move(name), std::move(platform), settings));
}

}  // namespace

std::string ResolvedChannel::fetch_url() const {
    if (token.empty()) {
        return canonical;
    }
    const std::size_t start = path_start(canonical);
    return canonical.substr(0, start) + "/t/" + token + canonical.substr(start);
}

std::string ResolvedChannel::display() const {
    return util::redact_url(fetch_url());
}

config::SubdirSources ResolvedChannel::subdir_sources(std::string_view subdir,
                                                      bool mirror_only) const {
    config::SubdirSources sources;
    sources.canonical = fmt::format("{}/{}", canonical, subdir);
    for (const auto& mirror : mirrors) {
        sources.urls.push_back(fmt::format("{}/{}", mirror, subdir));
    }
    if (!mirror_only || mirrors.empty()) {
        sources.urls.push_back(fmt::format("{}/{}", fetch_url(), subdir));
    }
    return sources;
}

std::vector<ResolvedChannel> resolve_channel(std::string_view text,
                                             const config::ChannelSettings& settings) {
    std::vector<ResolvedChannel> out;
    resolve_into(out, text, {}, settings, 0);
    return out;
}

std::vector<ResolvedChannel> resolve_channels(const std::vector<std::string>& texts,
                                              const config::ChannelSettings& settings) {
    std::vector<ResolvedChannel> out;
    for (const auto& text : texts) {
        for (auto& channel : resolve_channel(text, settings)) {
            bool seen = false;
            for (const auto& c : out) {
                seen = seen || (c.canonical == channel.canonical && c.platform == channel.platform);
            }
            if (!seen) {
                out.push_back(std::move(channel));
            }
        }
    }
    return out;
}

}  // namespace cenv::channels

#include "specs/channel_spec.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "specs/error.hpp"
#include "specs/platform.hpp"
#include "util/strings.hpp"
#include "util/url.hpp"

namespace cenv::specs {
namespace {

constexpr std::string_view channel_hint =
    "a channel is a name (conda-forge, conda-forge/linux-64, defaults), a URL "
    "(https://host/path) or a local path";

// The part of a URL after `scheme://`.
constexpr std::string_view after_scheme(std::string_view url) noexcept {
    const std::size_t pos = url.find("://");
    return pos == std::string_view::npos ? url : url.substr(pos + 3);
}

// `host/path` of the built-in URLs, split once.
struct HostPath {
    std::string_view host;
    std::string_view path;
};

constexpr HostPath split_host_path(std::string_view url) noexcept {
    const std::string_view rest = after_scheme(url);
    const std::size_t slash = rest.find('/');
    if (slash == std::string_view::npos) {
        return {rest, {}};
    }
    return {rest.substr(0, slash), rest.substr(slash + 1)};
}

constexpr HostPath alias = split_host_path(default_channel_alias);

// Position just after `scheme://`, or 0 when `s` has no scheme. A scheme is a letter followed
// by letters, digits, `+`, `-` or `.` (RFC 3986).
std::size_t scheme_end(std::string_view s) noexcept {
    const std::size_t pos = s.find("://");
    if (pos == std::string_view::npos || pos == 0) {
        return 0;
    }
    const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (!is_alpha(s[0])) {
        return 0;
    }
    for (std::size_t i = 1; i < pos; ++i) {
        const char c = s[i];
        if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
            return 0;
        }
    }
    return pos + 3;
}

bool is_local_path(std::string_view s) noexcept {
    return s.starts_with('/') || s.starts_with("./") || s.starts_with("../") || s == "." ||
           s == ".." || s.starts_with('~');
}

// A channel written as a URL or a name, cut into views. Nothing is allocated.
struct Parts {
    bool url = false;
    std::string_view base;      // without trailing `/`, subdir and file name
    std::string_view host;      // URL: without `user:password@`, with the port
    std::string_view path;      // URL: after the host, without `t/<token>/`
    std::string_view subdir;    // a known subdir at the end, or empty
    std::string_view filename;  // a package file name at the end, or empty
};

std::string_view strip_trailing_slashes(std::string_view s) noexcept {
    while (!s.empty() && s.back() == '/') {
        s.remove_suffix(1);
    }
    return s;
}

Parts split(std::string_view s) noexcept {
    Parts parts;
    s = strip_trailing_slashes(util::trim(s));
    const std::size_t path_start = scheme_end(s);
    parts.url = path_start != 0;
    // In a URL, path segments begin at the first `/` after the host.
    const std::size_t host_end = parts.url ? s.find('/', path_start) : std::string_view::npos;

    // The last path segment of `x` (empty when `x` has none).
    const auto last_segment = [&](std::string_view x) -> std::string_view {
        const std::size_t slash = x.rfind('/');
        if (parts.url) {
            if (host_end == std::string_view::npos || slash == std::string_view::npos ||
                slash < host_end) {
                return {};
            }
            return x.substr(slash + 1);
        }
        return slash == std::string_view::npos ? x : x.substr(slash + 1);
    };

    std::string_view segment = last_segment(s);
    if (!segment.empty() && is_package_file(segment)) {
        parts.filename = segment;
        s = strip_trailing_slashes(s.substr(0, s.size() - segment.size()));
    }
    segment = last_segment(s);
    if (!segment.empty() && segment.size() < s.size() && is_known_subdir(segment)) {
        const std::string_view before =
            strip_trailing_slashes(s.substr(0, s.size() - segment.size() - 1));
        if (!parts.url || before.size() > path_start) {  // not `file:///linux-64`
            parts.subdir = segment;
            s = before;
        }
    }
    parts.base = s;

    if (parts.url) {
        // Stripping trailing slashes can leave less than the scheme (`file://` -> `file:`).
        const std::string_view rest =
            path_start <= s.size() ? s.substr(path_start) : std::string_view{};
        const std::size_t slash = rest.find('/');
        std::string_view host = slash == std::string_view::npos ? rest : rest.substr(0, slash);
        std::string_view path =
            slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        const std::size_t at = host.rfind('@');
        if (at != std::string_view::npos) {
            host.remove_prefix(at + 1);
        }
        if (path.starts_with("t/")) {  // an anaconda.org token: t/<token>/channel
            const std::size_t end = path.find('/', 2);
            path = end == std::string_view::npos ? std::string_view{} : path.substr(end + 1);
        }
        parts.host = host;
        parts.path = strip_trailing_slashes(path);
    }
    return parts;
}

bool is_alias_host(const Parts& p) noexcept {
    return p.url && p.host == alias.host;
}

bool is_default_channel(const Parts& p) noexcept {
    for (const std::string_view url : default_channels) {
        const HostPath hp = split_host_path(url);
        if (p.url ? (p.host == hp.host && p.path == hp.path) : p.base == hp.path) {
            return true;
        }
    }
    return false;
}

// conda's Channel.name: the path for a URL, the name otherwise.
std::string_view name_of(const Parts& p) noexcept {
    return p.url ? p.path : p.base;
}

std::string_view canonical_of(const Parts& p) noexcept {
    if (is_default_channel(p)) {
        return "defaults";
    }
    if (is_alias_host(p) && !p.path.empty()) {
        return p.path;
    }
    return p.base;
}

[[noreturn]] void fail_channel(std::string_view text, std::string_view what) {
    throw ParseError("invalid channel \"" + std::string(text) + "\": " + std::string(what),
                     std::string(channel_hint));
}

}  // namespace

bool has_url_scheme(std::string_view text) noexcept {
    return scheme_end(text) != 0;
}

bool is_package_file(std::string_view text) noexcept {
    return text.ends_with(".conda") || text.ends_with(".tar.bz2");
}

std::string_view canonical_channel_name(std::string_view channel) noexcept {
    return canonical_of(split(channel));
}

std::string channel_base_url(std::string_view channel) {
    const Parts parts = split(channel);
    if (parts.url) {
        return std::string(parts.base);
    }
    if (parts.base == "defaults") {
        return std::string(default_channels.front());
    }
    return std::string(default_channel_alias) + "/" + std::string(parts.base);
}

std::string path_to_file_url(std::string_view path) {
    std::filesystem::path p;
    if (path == "~" || path.starts_with("~/")) {
        const char* home = std::getenv("HOME");
        p = std::filesystem::path(home != nullptr ? home : "/");
        if (path.size() > 2) {
            p /= std::string(path.substr(2));
        }
    } else {
        p = std::filesystem::path(std::string(path));
    }
    if (p.is_relative()) {
        std::error_code error;
        std::filesystem::path absolute = std::filesystem::absolute(p, error);
        if (!error) {
            p = std::move(absolute);
        }
    }
    std::string text = p.lexically_normal().generic_string();
    while (text.size() > 1 && text.back() == '/') {
        text.pop_back();
    }
    return "file://" + text;
}

PackageUrl parse_package_url(std::string_view text) {
    const std::string_view t = util::trim(text);
    if (!is_package_file(t)) {
        throw ParseError("\"" + std::string(t) + "\" is not a package file",
                         "a package file ends with .conda or .tar.bz2");
    }
    PackageUrl out;
    out.url = has_url_scheme(t) ? std::string(t) : path_to_file_url(t);
    const Parts parts = split(out.url);
    out.filename = util::percent_decode(parts.filename);
    if (!is_package_file(out.filename)) {
        // The extension was in the query, fragment or host part, not in the file name.
        throw ParseError("\"" + std::string(t) + "\" does not name a package file",
                         "a package URL ends in <name>-<version>-<build>.conda or .tar.bz2");
    }

    std::string_view stem = out.filename;
    stem.remove_suffix(stem.ends_with(".conda") ? 6 : 8);
    const std::size_t build_dash = stem.rfind('-');
    const std::size_t version_dash = build_dash == std::string_view::npos || build_dash == 0
                                         ? std::string_view::npos
                                         : stem.rfind('-', build_dash - 1);
    if (version_dash == std::string_view::npos || version_dash == 0 ||
        build_dash == version_dash + 1 || build_dash + 1 == stem.size()) {
        throw ParseError("package file \"" + std::string(t) + "\" is not named name-version-build",
                         "conda package files are named like numpy-1.26.4-py312h_0.conda");
    }
    out.name = std::string(stem.substr(0, version_dash));
    out.version = std::string(stem.substr(version_dash + 1, build_dash - version_dash - 1));
    out.build = std::string(stem.substr(build_dash + 1));
    if (!parts.subdir.empty()) {
        out.subdir = std::string(parts.subdir);
        out.channel = util::percent_decode(canonical_of(parts));
    }
    return out;
}

ChannelSpec::ChannelSpec() = default;

ChannelSpec ChannelSpec::parse(std::string_view text) {
    const std::string_view t = util::trim(text);
    if (t.empty()) {
        fail_channel(text, "it is empty");
    }
    ChannelSpec spec;
    if (has_url_scheme(t) || is_local_path(t)) {
        const std::string url = has_url_scheme(t) ? std::string(t) : path_to_file_url(t);
        const Parts parts = split(url);
        if (!parts.filename.empty()) {
            fail_channel(text, "it names a package file, not a channel");
        }
        spec.kind_ = Kind::url;
        spec.location_ = std::string(parts.base);
        spec.subdir_ = std::string(parts.subdir);
        return spec;
    }
    if (t.size() >= 2 && t.front() == '^' && t.back() == '$') {
        spec.kind_ = Kind::pattern;
        spec.location_ = std::string(t);
        try {
            spec.pattern_ = GlobSpec::parse(t);
        } catch (const ParseError& e) {
            fail_channel(text, e.what());
        }
        return spec;
    }
    const std::size_t bad = t.find_first_of(" \t\r\n\v\f[]()<>=!~,;'\"#:@");
    if (bad != std::string_view::npos) {
        fail_channel(text, "unexpected '" + std::string(1, t[bad]) + "' at position " +
                               std::to_string(bad + 1));
    }
    const Parts parts = split(t);
    if (parts.base.empty()) {
        fail_channel(text, "the channel name is missing before the subdir");
    }
    spec.subdir_ = std::string(parts.subdir);
    if (parts.base.find('*') != std::string_view::npos) {
        spec.kind_ = Kind::pattern;
        spec.location_ = std::string(parts.base);
        spec.pattern_ = GlobSpec::parse(parts.base);
        return spec;
    }
    spec.kind_ = Kind::name;
    spec.location_ = std::string(canonical_of(parts));
    return spec;
}

ChannelSpec ChannelSpec::without_subdir() const {
    ChannelSpec copy = *this;
    copy.subdir_.clear();
    return copy;
}

std::string ChannelSpec::str() const {
    if (subdir_.empty()) {
        return location_;
    }
    return location_ + '/' + subdir_;
}

bool ChannelSpec::contains(std::string_view channel) const {
    const Parts record = split(channel);
    switch (kind_) {
        case Kind::pattern:
            return pattern_.contains(canonical_of(record));
        case Kind::name:
            if (location_ == "defaults") {
                return canonical_of(record) == "defaults";
            }
            return location_ == name_of(record) || location_ == canonical_of(record);
        case Kind::url: {
            const Parts self = split(location_);
            if (is_default_channel(self)) {
                return name_of(self) == name_of(record);
            }
            if (is_alias_host(self)) {
                return name_of(self) == name_of(record) || name_of(self) == canonical_of(record);
            }
            return record.url && record.host == self.host && record.path == self.path;
        }
    }
    return false;
}

}  // namespace cenv::specs

#include "channels/channel_location.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "channels/error.hpp"
#include "util/strings.hpp"
#include "util/url.hpp"

namespace cenv::channels {

namespace {

constexpr std::string_view kFileScheme = "file://";

bool looks_remote(std::string_view arg) {
    const auto scheme_end = arg.find("://");
    return scheme_end != std::string_view::npos && scheme_end > 0;
}

}  // namespace

std::string path_to_file_url(const std::filesystem::path& path) {
    return std::string(kFileScheme) + util::percent_encode_path(path.string());
}

std::filesystem::path file_url_to_path(std::string_view url) {
    if (!url.starts_with(kFileScheme)) {
        throw ChannelError(fmt::format("not a file URL: '{}'", url),
                           "local channels are written file:///path or as a plain path");
    }
    std::string_view rest = url.substr(kFileScheme.size());
    if (rest.starts_with("localhost/")) {
        rest.remove_prefix(std::string_view("localhost").size());
    }
    if (!rest.starts_with('/')) {
        throw ChannelError(fmt::format("unsupported file URL '{}': it names a remote host", url),
                           "use file:///absolute/path");
    }
    return std::filesystem::path(util::percent_decode(rest));
}

ChannelLocation ChannelLocation::parse(std::string_view arg) {
    const std::string_view text = util::trim(arg);
    if (text.empty()) {
        throw ChannelError("empty channel name", "give a channel folder or a file:// URL");
    }
    std::filesystem::path directory;
    if (text.starts_with(kFileScheme)) {
        directory = file_url_to_path(text);
    } else if (looks_remote(text)) {
        throw ChannelError(fmt::format("'{}' is a remote channel, not a local folder", text),
                           "a local channel is a path (./chan, /srv/chan) or a file:// URL");
    } else if (text.starts_with('/') || text.starts_with("./") || text.starts_with("../") ||
               text.starts_with('~') || text == "." || text == ".." ||
               std::filesystem::is_directory(std::string(text))) {
        // A bare relative name is a channel name to conda (conda-forge/label/dev); it is a
        // folder here only when such a folder exists.
        std::string expanded(text);
        if (expanded.starts_with('~')) {
            const char* home = std::getenv("HOME");
            expanded = std::string(home != nullptr ? home : "") + expanded.substr(1);
        }
        directory = std::filesystem::absolute(expanded);
    } else {
        throw ChannelError(fmt::format("'{}' is a channel name, not a local folder", text),
                           "a local channel is a path (./chan, /srv/chan) or a file:// URL");
    }
    directory = directory.lexically_normal();
    std::string dir = directory.string();
    while (dir.size() > 1 && dir.back() == '/') {
        dir.pop_back();
    }
    ChannelLocation location;
    location.directory = dir;
    location.url = path_to_file_url(location.directory);
    return location;
}

std::string ChannelLocation::subdir_url(std::string_view subdir) const {
    return fmt::format("{}/{}", url, subdir);
}

}  // namespace cenv::channels

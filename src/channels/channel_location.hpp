#pragma once
// Where a local channel lives: a folder given as a path
// (`/srv/chan`, `./chan`, `~/chan`, or `chan` when that folder exists) or as a `file://` URL
// (percent-encoded, so `file:///home/%E5%BC%A0%E4%B8%89/chan` is `/home/张三/chan`).

#include <filesystem>
#include <string>
#include <string_view>

namespace cenv::channels {

struct ChannelLocation {
    std::string url;                  ///< canonical `file://` URL, no trailing slash
    std::filesystem::path directory;  ///< the folder holding `<subdir>/repodata.json`

    /// Resolves a local channel argument. Throws ChannelError naming it for remote URLs and
    /// channel names (resolve_channel() handles those).
    static ChannelLocation parse(std::string_view arg);

    /// The URL of one subdir folder, e.g. `file:///srv/chan/linux-64`.
    [[nodiscard]] std::string subdir_url(std::string_view subdir) const;
};

/// `path` as a `file://` URL, percent-encoding what a URL cannot hold.
std::string path_to_file_url(const std::filesystem::path& path);

/// The path a `file://` URL names. Throws ChannelError if it is not a local file URL.
std::filesystem::path file_url_to_path(std::string_view url);

}  // namespace cenv::channels

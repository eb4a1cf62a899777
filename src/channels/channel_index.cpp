#include "channels/channel_index.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "channels/error.hpp"

namespace cenv::channels {

std::vector<SubdirFile> local_subdir_files(const ChannelLocation& location,
                                           std::span<const std::string> subdirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(location.directory, ec)) {
        throw ChannelError(fmt::format("channel '{}' does not exist: no folder '{}'", location.url,
                                       location.directory.string()),
                           "check the path given with -c");
    }
    std::vector<SubdirFile> files;
    for (const std::string& subdir : subdirs) {
        auto file = location.directory / subdir / "repodata.json";
        if (!std::filesystem::exists(file, ec)) {
            continue;
        }
        specs::RepodataSource source{location.url, location.subdir_url(subdir), file.string()};
        files.push_back({subdir, std::move(file), std::move(source)});
    }
    if (files.empty()) {
        throw ChannelError(
            fmt::format("channel '{}' has no repodata.json for {}", location.url,
                        fmt::join(subdirs, " or ")),
            "a channel folder holds <subdir>/repodata.json; check the path and --platform");
    }
    return files;
}

ChannelIndex load_channel(const ChannelLocation& location, std::span<const std::string> subdirs) {
    ChannelIndex index{location, {}};
    for (auto& file : local_subdir_files(location, subdirs)) {
        index.subdirs.push_back({file.subdir, specs::load_repodata(file.repodata, file.source)});
    }
    return index;
}

}  // namespace cenv::channels

#include "channels/channel_index.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "channels/error.hpp"

namespace cenv::channels {

ChannelIndex load_channel(const ChannelLocation& location, std::span<const std::string> subdirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(location.directory, ec)) {
        throw ChannelError(fmt::format("channel '{}' does not exist: no folder '{}'", location.url,
                                       location.directory.string()),
                           "check the path given with -c");
    }
    ChannelIndex index{location, {}};
    for (const std::string& subdir : subdirs) {
        const auto file = location.directory / subdir / "repodata.json";
        if (!std::filesystem::exists(file, ec)) {
            continue;
        }
        specs::RepodataSource source{location.url, location.subdir_url(subdir), file.string()};
        index.subdirs.push_back({subdir, specs::load_repodata(file, source)});
    }
    if (index.subdirs.empty()) {
        throw ChannelError(
            fmt::format("channel '{}' has no repodata.json for {}", location.url,
                        fmt::join(subdirs, " or ")),
            "a channel folder holds <subdir>/repodata.json; check the path and --platform");
    }
    return index;
}

}  // namespace cenv::channels

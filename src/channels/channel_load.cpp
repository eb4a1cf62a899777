#include "channels/channel_load.hpp"

#include <fmt/format.h>

#include "channels/error.hpp"
#include "util/redact.hpp"

namespace cenv::channels {

std::vector<SubdirFile> locate_resolved_channel(const ResolvedChannel& channel,
                                                std::span<const std::string> subdirs,
                                                const config::RemoteSettings& remote) {
    std::vector<std::string> wanted;
    for (const auto& subdir : subdirs) {
        if (channel.platform.empty() || subdir == channel.platform || subdir == "noarch") {
            wanted.push_back(subdir);
        }
    }
    if (channel.local) {
        return local_subdir_files(*channel.local, wanted);
    }
    const auto sources =
        channel.subdir_sources(wanted.empty() ? "noarch" : wanted.front(), remote.mirror_only);
    throw ChannelError(
        fmt::format("cannot load channel '{}' ({}): this build of cenv cannot download remote "
                    "channels yet (it would try {} first)",
                    util::redact_url(channel.name), channel.display(),
                    util::redact_url(sources.urls.front())),
        "use a local channel (-c ./chan or -c file:///path) with --override-channels, or "
        "remove remote channels from your settings (cenv config list --sources)");
}

ChannelIndex load_resolved_channel(const ResolvedChannel& channel,
                                   std::span<const std::string> subdirs,
                                   const config::RemoteSettings& remote) {
    ChannelIndex index{channel.local.value_or(ChannelLocation{}), {}};
    for (auto& file : locate_resolved_channel(channel, subdirs, remote)) {
        index.subdirs.push_back({file.subdir, specs::load_repodata(file.repodata, file.source)});
    }
    return index;
}

}  // namespace cenv::channels

#include "channels/channel_load.hpp"

#include <fmt/format.h>

#include "channels/error.hpp"
#include "util/redact.hpp"

namespace cenv::channels {

std::vector<std::string> channel_subdirs(const ResolvedChannel& channel,
                                         std::span<const std::string> subdirs) {
    std::vector<std::string> wanted;
    for (const auto& subdir : subdirs) {
        if (channel.platform.empty() || subdir == channel.platform || subdir == "noarch") {
            wanted.push_back(subdir);
        }
    }
    return wanted;
}

std::vector<LocatedChannel> locate_resolved_channels(std::span<const ResolvedChannel> channels,
                                                     std::span<const std::string> subdirs,
                                                     RepodataCache& cache) {
    std::vector<LocatedChannel> located(channels.size());
    std::vector<SubdirRequest> requests;
    std::vector<std::size_t> owner;  // per request: its channel
    for (std::size_t i = 0; i < channels.size(); ++i) {
        const ResolvedChannel& channel = channels[i];
        located[i].url = channel.local ? channel.local->url : channel.canonical;
        const auto wanted = channel_subdirs(channel, subdirs);
        if (channel.local) {
            located[i].files = local_subdir_files(*channel.local, wanted);
            continue;
        }
        for (const auto& subdir : wanted) {
            requests.push_back({&channel, subdir});
            owner.push_back(i);
        }
    }
    auto fetches = cache.refresh(requests);
    for (std::size_t r = 0; r < fetches.size(); ++r) {
        LocatedChannel& channel = located[owner[r]];
        if (fetches[r].file) {
            channel.files.push_back(*fetches[r].file);
        }
        channel.fetches.push_back(std::move(fetches[r]));
    }
    for (std::size_t i = 0; i < channels.size(); ++i) {
        if (channels[i].local || !located[i].files.empty()) {
            continue;
        }
        const auto wanted = channel_subdirs(channels[i], subdirs);
        const auto sources =
            channels[i].subdir_sources(wanted.empty() ? "noarch" : wanted.front(), false);
        throw ChannelError(
            fmt::format("channel '{}' ({}) has no repodata for {}: every source answered 404",
                        util::redact_url(channels[i].name), channels[i].display(),
                        fmt::join(wanted, " or ")),
            fmt::format("check the channel's name and --platform; it was looked for at {}",
                        util::redact_url(fmt::format("{}", fmt::join(sources.urls, ", ")))));
    }
    return located;
}

ChannelIndex load_located_channel(const LocatedChannel& channel) {
    ChannelIndex index{ChannelLocation{channel.url, {}}, {}};
    for (const auto& file : channel.files) {
        try {
            index.subdirs.push_back(
                {file.subdir, specs::load_repodata(file.repodata, file.source)});
        } catch (const specs::ParseError& e) {
            reject_cached_index(channel, file, e);
        }
    }
    return index;
}

void reject_cached_index(const LocatedChannel& channel, const SubdirFile& file,
                         const specs::ParseError& error) {
    for (const auto& fetch : channel.fetches) {
        if (fetch.file && fetch.file->repodata == file.repodata) {
            forget_cached_index(file.repodata);
            throw specs::ParseError(
                error.what(),
                "the source served a malformed index; its cached copy was dropped, so the "
                "next run downloads it again (another mirror may serve a good one: cenv "
                "config channels lists them)");
        }
    }
    throw error;
}

}  // namespace cenv::channels

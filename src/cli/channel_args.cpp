#include "cli/channel_args.hpp"

#include "channels/channel_load.hpp"

namespace cenv::cli {

std::vector<std::string> channel_texts(const std::vector<std::string>& given,
                                       bool override_channels, const config::Settings& settings) {
    std::vector<std::string> texts = given;
    if (!override_channels || given.empty()) {
        for (const auto& channel : settings.list("channels")) {
            texts.push_back(channel);
        }
    }
    if (texts.empty()) {
        texts.emplace_back("defaults");
    }
    return texts;
}

std::vector<LocatedChannel> locate_channels(const std::vector<std::string>& texts,
                                            const std::vector<std::string>& subdirs,
                                            const config::Settings& settings) {
    const auto resolved = channels::resolve_channels(texts, settings.channel_settings());
    const auto remote = settings.remote();
    std::vector<LocatedChannel> located;
    located.reserve(resolved.size());
    for (const auto& channel : resolved) {
        located.push_back({channel.local ? channel.local->url : channel.canonical,
                           channels::locate_resolved_channel(channel, subdirs, remote)});
    }
    return located;
}

std::vector<channels::ChannelIndex> load_channels(const std::vector<std::string>& texts,
                                                  const std::vector<std::string>& subdirs,
                                                  const config::Settings& settings) {
    const auto resolved = channels::resolve_channels(texts, settings.channel_settings());
    const auto remote = settings.remote();
    std::vector<channels::ChannelIndex> indexes;
    indexes.reserve(resolved.size());
    for (const auto& channel : resolved) {
        indexes.push_back(channels::load_resolved_channel(channel, subdirs, remote));
    }
    return indexes;
}

}  // namespace cenv::cli

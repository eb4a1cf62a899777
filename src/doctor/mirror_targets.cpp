#include "doctor/mirror_targets.hpp"

#include <algorithm>
#include <string>

#include "config/mirror_presets.hpp"

namespace cenv::doctor {

namespace {

std::string host_of(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) {
        return {};
    }
    url.remove_prefix(scheme + 3);
    return std::string(url.substr(0, url.find('/')));
}

std::string without_slash(std::string url) {
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    return url;
}

}  // namespace

std::vector<channels::ProbeTarget> mirror_targets(const config::ChannelSettings& settings) {
    // (channel URL on a mirror) in the order configured.
    std::vector<std::string> channels;
    for (const auto& [channel, mirrors] : settings.mirrors) {
        channels.insert(channels.end(), mirrors.begin(), mirrors.end());
    }
    const auto on_mirror = [&](const std::string& url) {
        if (!config::canonical_for_mirror_url(url).empty()) {
            channels.push_back(url);
        }
    };
    for (const auto& [name, base] : settings.custom_channels) {
        on_mirror(without_slash(base) + "/" + name);
    }
    for (const auto& url : settings.default_channels) {
        on_mirror(url);
    }
    on_mirror(without_slash(settings.channel_alias) + "/conda-forge");

    std::vector<channels::ProbeTarget> targets;
    for (const auto& channel : channels) {
        const std::string host = host_of(channel);
        if (host.empty() || targets.size() == kMaxMirrorHosts ||
            std::any_of(targets.begin(), targets.end(),
                        [&](const auto& t) { return t.name == host; })) {
            continue;
        }
        channels::ProbeTarget target;
        target.name = host;
        target.url = without_slash(channel) + "/noarch/repodata.json";
        targets.push_back(std::move(target));
    }
    return targets;
}

}  // namespace cenv::doctor

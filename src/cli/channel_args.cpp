#include "cli/channel_args.hpp"

#include <iostream>

#include <fmt/format.h>

#include "channels/downloader.hpp"
#include "channels/repodata_cache.hpp"
#include "cli/progress.hpp"

namespace cenv::cli {

namespace {

// The -v line for a subdir that was not fetched now (the downloader tells of those).
std::string describe(const channels::SubdirFetch& f) {
    const std::string where = fmt::format("{}/{}", f.channel, f.subdir);
    switch (f.origin) {
        case channels::SubdirOrigin::downloaded:
        case channels::SubdirOrigin::not_modified:
            return {};
        case channels::SubdirOrigin::fresh:
            return fmt::format("{}: cached copy is fresh (local_repodata_ttl)", where);
        case channels::SubdirOrigin::missing:
            return fmt::format("{}: the channel has no such subdir", where);
        case channels::SubdirOrigin::offline:
        case channels::SubdirOrigin::stale:
            return fmt::format("{}: cached copy ({})", where, channels::to_string(f.origin));
    }
    return where;
}

}  // namespace

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

std::vector<channels::LocatedChannel> locate_channels(const std::vector<std::string>& texts,
                                                      const std::vector<std::string>& subdirs,
                                                      const config::Settings& settings,
                                                      const FetchOptions& options) {
    const auto resolved = channels::resolve_channels(texts, settings.channel_settings());
    const auto remote = settings.remote();
    channels::Downloader downloader(remote);
    StderrProgress progress(std::cerr, StderrProgress::stderr_is_terminal(), options.verbose);
    downloader.set_progress(&progress);
    channels::RepodataCache cache(config::root_prefix(options.root) / "pkgs" / "cache", remote,
                                  downloader);
    auto located = channels::locate_resolved_channels(resolved, subdirs, cache);
    for (const auto& channel : located) {
        for (const auto& fetch : channel.fetches) {
            if (!fetch.warning.empty()) {
                progress.message(channels::MessageLevel::warning, fetch.warning);
            }
            if (const std::string line = describe(fetch); !line.empty()) {
                progress.message(channels::MessageLevel::info, line);
            }
        }
    }
    return located;
}

std::vector<channels::ChannelIndex> load_channels(
    const std::vector<channels::LocatedChannel>& located) {
    std::vector<channels::ChannelIndex> indexes;
    indexes.reserve(located.size());
    for (const auto& channel : located) {
        indexes.push_back(channels::load_located_channel(channel));
    }
    return indexes;
}

nlohmann::json fetch_report_json(const std::vector<channels::LocatedChannel>& located) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& channel : located) {
        for (const auto& f : channel.fetches) {
            nlohmann::json failures = nlohmann::json::array();
            for (const auto& u : f.failures) {
                failures.push_back({{"url", u.url},
                                    {"kind", channels::to_string(u.kind)},
                                    {"reason", u.reason},
                                    {"http_status", u.http_status}});
            }
            out.push_back({{"channel", f.channel},
                           {"subdir", f.subdir},
                           {"origin", channels::to_string(f.origin)},
                           {"url", f.url},
                           {"bytes", f.bytes},
                           {"refreshed", f.refreshed},
                           {"failures", std::move(failures)}});
        }
    }
    return out;
}

}  // namespace cenv::cli

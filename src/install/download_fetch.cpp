#include "install/download_fetch.hpp"

#include <fmt/format.h>

#include "install/error.hpp"

namespace cenv::install {

namespace {

bool from_channel(const specs::PackageRecord& record, const channels::ResolvedChannel& channel) {
    if (record.channel == channel.canonical) {
        return true;
    }
    const std::string& url = record.url;
    return url.size() > channel.canonical.size() && url.starts_with(channel.canonical) &&
           url[channel.canonical.size()] == '/';
}

}  // namespace

std::vector<std::string> archive_urls(const specs::PackageRecord& record,
                                      std::span<const channels::ResolvedChannel> channels,
                                      bool mirror_only) {
    for (const auto& channel : channels) {
        if (channel.local || record.subdir.empty() || record.fn.empty() ||
            !from_channel(record, channel)) {
            continue;
        }
        std::vector<std::string> urls;
        for (const auto& base : channel.subdir_sources(record.subdir, mirror_only).urls) {
            urls.push_back(fmt::format("{}/{}", base, record.fn));
        }
        return urls;
    }
    return {record.url};
}

FetchArchives download_archives(channels::Downloader& downloader,
                                std::vector<channels::ResolvedChannel> channels, bool mirror_only) {
    return [&downloader, channels = std::move(channels), mirror_only](
               std::span<const ArchiveRequest> requests, const ArchiveArrived& arrived) {
        std::vector<channels::DownloadTarget> targets;
        targets.reserve(requests.size());
        for (const auto& request : requests) {
            const specs::PackageRecord& record = *request.record;
            channels::DownloadTarget target;
            target.urls = archive_urls(record, channels, mirror_only);
            target.destination = request.destination;
            if (record.size != 0) {
                target.size = record.size;
            }
            target.sha256 = record.sha256;
            target.md5 = record.md5;
            target.label = record.fn;
            targets.push_back(std::move(target));
        }
        downloader.fetch(targets, [&](std::size_t index, const channels::DownloadResult&) {
            arrived(index, targets[index].destination);
        });
    };
}

FetchArchives refuse_downloads_offline() {
    return [](std::span<const ArchiveRequest> requests, const ArchiveArrived&) {
        const auto& record = *requests.front().record;
        throw InstallError(
            fmt::format("offline: {} is not in the package cache (it comes from '{}')",
                        record.dist_str(), record.url),
            "run the command once without --offline (or with offline: false) to download it");
    };
}

}  // namespace cenv::install

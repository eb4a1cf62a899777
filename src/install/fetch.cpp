#include "install/fetch.hpp"

#include <sys/stat.h>

#include <vector>

#include <fmt/format.h>

#include "channels/channel_location.hpp"
#include "channels/error.hpp"
#include "install/error.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

namespace {

bool is_local(const specs::PackageRecord& record) {
    return record.url.starts_with("file://");
}

}  // namespace

void fetch_local_archives(std::span<const ArchiveRequest> requests, const ArchiveArrived& arrived) {
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const auto& record = *requests[i].record;
        fs::path path;
        try {
            path = channels::file_url_to_path(record.url);
        } catch (const channels::ChannelError& e) {
            throw InstallError(fmt::format("{}: cannot read its archive from '{}': {}",
                                           record.dist_str(), record.url, e.what()),
                               "the record does not name a local file");
        }
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
            throw InstallError(
                fmt::format("{}: the channel lists '{}', which does not exist", record.dist_str(),
                            path.string()),
                "the channel's repodata.json names a file that is not there: rebuild the "
                "channel's index");
        }
        arrived(i, path);
    }
}

FetchArchives fetch_by_scheme(FetchArchives remote) {
    return [remote = std::move(remote)](std::span<const ArchiveRequest> requests,
                                        const ArchiveArrived& arrived) {
        std::vector<ArchiveRequest> local;
        std::vector<std::size_t> local_index;
        std::vector<ArchiveRequest> others;
        std::vector<std::size_t> others_index;
        for (std::size_t i = 0; i < requests.size(); ++i) {
            if (is_local(*requests[i].record)) {
                local.push_back(requests[i]);
                local_index.push_back(i);
            } else {
                others.push_back(requests[i]);
                others_index.push_back(i);
            }
        }
        if (!others.empty() && !remote) {
            const auto& record = *others.front().record;
            throw InstallError(
                fmt::format("{} must be downloaded from '{}', and this version of cenv can "
                            "only install from local channels",
                            record.dist_str(), record.url),
                "use a local channel (a folder or file:// URL), or a cenv with downloads");
        }
        // Local archives first: they are there at once, so their extraction starts while
        // the downloads run.
        fetch_local_archives(local, [&](std::size_t i, const fs::path& archive) {
            arrived(local_index[i], archive);
        });
        if (!others.empty()) {
            remote(others, [&](std::size_t i, const fs::path& archive) {
                arrived(others_index[i], archive);
            });
        }
    };
}

}  // namespace cenv::install

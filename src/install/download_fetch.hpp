#pragma once
// The remote half of a transaction's fetch (fetch.hpp): package archives from http(s)
// channels through the channels' Downloader, mirrors first. A record keeps its channel's
// canonical URL whichever mirror served its index, so the same URLs to try are derived here
// from the channel it came from: each mirror's `<mirror>/<subdir>/<fn>`, then the channel's
// own URL (with its token) unless `mirror_only`. Checksums and sizes come from the record;
// the downloader verifies them while the bytes stream and fails over on a mismatch.

#include <span>
#include <string>
#include <vector>

#include "channels/channel_resolve.hpp"
#include "channels/downloader.hpp"
#include "install/fetch.hpp"
#include "specs/package_record.hpp"

namespace cenv::install {

/// The URLs to try for `record`'s archive, in order. A record of none of `channels` (matched
/// by canonical URL) is fetched from its own `url`.
std::vector<std::string> archive_urls(const specs::PackageRecord& record,
                                      std::span<const channels::ResolvedChannel> channels,
                                      bool mirror_only);

/// A FetchArchives that downloads every request with `downloader` (which must outlive it),
/// calling `arrived` as each archive lands at its destination. Errors are the downloader's
/// DownloadError, naming the file and each URL's failure.
FetchArchives download_archives(channels::Downloader& downloader,
                                std::vector<channels::ResolvedChannel> channels, bool mirror_only);

/// The remote fetch of `--offline`: refuses with an InstallError naming the first package
/// that is not in the package cache.
FetchArchives refuse_downloads_offline();

}  // namespace cenv::install

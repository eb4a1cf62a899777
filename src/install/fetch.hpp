#pragma once
// How the archives a transaction needs get into reach. The transaction hands a fetch
// function the packages the cache does not have; the function calls back as each archive
// arrives, so that extracting one package overlaps with fetching the others.
//
// Local channels (`file://` URLs) are served here: the archive is read where the channel
// keeps it. Downloads (http, https) are the downloader's (channels): the CLI passes
// `download_archives` (download_fetch.hpp) as the `remote` part of `fetch_by_scheme`.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <span>

#include "specs/package_record.hpp"

namespace cenv::install {

/// One archive to fetch.
struct ArchiveRequest {
    const specs::PackageRecord* record = nullptr;
    /// Where a download should put it (in the package cache, under the record's file name);
    /// a local channel's archive is read in place instead.
    std::filesystem::path destination;
};

/// Called once per archive that is there: its index in the requests and its path. May be
/// called from any thread, in any order; it only queues work, so it returns quickly.
using ArchiveArrived = std::function<void(std::size_t index, const std::filesystem::path& archive)>;

/// Fetches `requests`, calling `arrived` for each as it is there. Returns when every
/// request is done; throws (a util::Error naming the package and the URL) when one failed,
/// after the others finished or were abandoned.
using FetchArchives =
    std::function<void(std::span<const ArchiveRequest> requests, const ArchiveArrived& arrived)>;

/// The fetch of local channels: each record's `file://` URL names the archive. Throws
/// InstallError naming the package when the URL is not a local one or the file is missing.
void fetch_local_archives(std::span<const ArchiveRequest> requests, const ArchiveArrived& arrived);

/// A fetch that serves `file://` URLs itself and hands every other one to `remote`. With
/// no `remote`, such URLs are refused with an InstallError saying downloads are not
/// available.
FetchArchives fetch_by_scheme(FetchArchives remote = {});

}  // namespace cenv::install

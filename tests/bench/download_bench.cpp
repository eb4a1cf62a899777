// Download figures (tests/bench/download.sh runs it): the Downloader on a list of files, and
// the repodata cache revalidating cached subdirs. Prints seconds; asserts nothing.
//
//   cenv_download_bench files MANIFEST BASE_URL OUT_DIR [--threads N]
//       MANIFEST: one `name size sha256` per line; every file is fetched from BASE_URL/name
//       into OUT_DIR (removed first), checked by size and sha256.
//   cenv_download_bench revalidate BASE_URL CACHE_DIR CHANNELS [--rounds R]
//       the noarch subdir of BASE_URL/chan0 .. chan{CHANNELS-1}: one refresh to fill the
//       cache, then R refreshes with local_repodata_ttl 0 (every subdir asked, 304 expected).

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "channels/downloader.hpp"
#include "channels/repodata_cache.hpp"

namespace fs = std::filesystem;
using cenv::channels::DownloadResult;
using cenv::channels::DownloadTarget;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int files(const std::string& manifest, const std::string& base, const fs::path& out, int threads) {
    std::vector<DownloadTarget> targets;
    std::ifstream in(manifest);
    std::uint64_t total = 0;
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        std::string name;
        std::uint64_t size = 0;
        std::string sha256;
        if (!(fields >> name >> size >> sha256)) {
            continue;
        }
        DownloadTarget t;
        t.urls = {base + "/" + name};
        t.destination = out / name;
        t.size = size;
        t.sha256 = sha256;
        targets.push_back(std::move(t));
        total += size;
    }
    fs::remove_all(out);
    fs::create_directories(out);
    cenv::config::RemoteSettings settings;
    settings.download_threads = threads;
    cenv::channels::Downloader downloader(settings);
    const auto start = std::chrono::steady_clock::now();
    std::size_t done = 0;
    downloader.fetch(targets, [&](std::size_t, const DownloadResult&) { ++done; });
    const double secs = seconds_since(start);
    fmt::print("cenv, {} transfer{} at once: {} files, {} bytes: {:.3f} s\n", threads,
               threads == 1 ? "" : "s", done, total, secs);
    return done == targets.size() ? 0 : 1;
}

int revalidate(const std::string& base, const fs::path& cache_dir, int channels, int rounds) {
    std::vector<cenv::channels::ResolvedChannel> resolved(static_cast<std::size_t>(channels));
    std::vector<cenv::channels::SubdirRequest> requests;
    for (int i = 0; i < channels; ++i) {
        auto& c = resolved[static_cast<std::size_t>(i)];
        c.name = fmt::format("chan{}", i);
        c.canonical = fmt::format("{}/chan{}", base, i);
    }
    for (const auto& c : resolved) {
        requests.push_back({&c, "noarch"});
    }
    cenv::config::RemoteSettings settings;
    settings.local_repodata_ttl = 0;
    cenv::channels::Downloader downloader(settings);
    cenv::channels::RepodataCache cache(cache_dir, settings, downloader);
    cache.refresh(requests);  // fills the cache
    for (int r = 0; r < rounds; ++r) {
        const auto start = std::chrono::steady_clock::now();
        const std::clock_t cpu_start = std::clock();  // this process, all threads
        const auto reports = cache.refresh(requests);
        const double secs = seconds_since(start);
        const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
        std::size_t not_modified = 0;
        for (const auto& report : reports) {
            not_modified += report.origin == cenv::channels::SubdirOrigin::not_modified ? 1 : 0;
        }
        fmt::print("revalidate {} subdirs ({} answered 304): wall {:.4f} s, cpu {:.4f} s\n",
                   reports.size(), not_modified, secs, cpu);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const auto option = [&](const std::string& name, int fallback) {
        for (std::size_t i = 0; i + 1 < args.size(); ++i) {
            if (args[i] == name) {
                return std::stoi(args[i + 1]);
            }
        }
        return fallback;
    };
    try {
        if (args.size() >= 4 && args[0] == "files") {
            return files(args[1], args[2], args[3], option("--threads", 5));
        }
        if (args.size() >= 4 && args[0] == "revalidate") {
            return revalidate(args[1], args[2], std::stoi(args[3]), option("--rounds", 7));
        }
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
    std::cerr << "usage: cenv_download_bench files MANIFEST BASE_URL OUT_DIR [--threads N]\n"
                 "       cenv_download_bench revalidate BASE_URL CACHE_DIR CHANNELS [--rounds R]\n";
    return 2;
}

// cenv_repodata_bench: loads a repodata.json N times with specs::load_repodata and prints
// the record count, the median time of one load, records per second and the peak RSS.
//
//   cenv_repodata_bench FILE [--runs N] [--threads T] [--chunk-kb K] [--subdir-url URL] [--channel
//   NAME]
//
// By default the records get the channel and subdir URLs of the file's folders
// (file:///tmp/chan and file:///tmp/chan/linux-64 for /tmp/chan/linux-64/repodata.json), as
// when cenv loads a local channel. The loads run one after the other in one process.
//
// The last line is machine-readable for tests/bench/repodata_parse.sh:
//   RESULT records=R fallbacks=F median_s=S min_s=S max_s=S records_per_s=X peak_rss_kb=K

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "specs/repodata.hpp"

namespace {

long peak_rss_kb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

int usage_error() {
    std::fputs(
        "usage: cenv_repodata_bench FILE [--runs N] [--threads T] [--chunk-kb K] "
        "[--subdir-url URL] [--channel NAME]\n",
        stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        return usage_error();
    }
    const std::string file = argv[1];
    int runs = 5;
    cenv::specs::RepodataParseOptions options;
    // As cenv loads a local channel: the channel and subdir URLs of the file's folders.
    const auto subdir_dir = std::filesystem::absolute(file).parent_path();
    cenv::specs::RepodataSource source;
    source.channel = "file://" + subdir_dir.parent_path().string();
    source.subdir_url = "file://" + subdir_dir.string();
    for (int i = 2; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (i + 1 >= argc) {
            return usage_error();
        }
        const char* value = argv[++i];
        if (arg == "--runs") {
            runs = std::max(1, std::atoi(value));
        } else if (arg == "--threads") {
            options.threads = static_cast<unsigned>(std::max(0, std::atoi(value)));
        } else if (arg == "--chunk-kb") {  // 0: parse the file as one document
            const int kb = std::max(0, std::atoi(value));
            options.chunk_bytes = static_cast<std::size_t>(kb) << 10;
            if (kb == 0) {
                options.min_chunked_bytes = SIZE_MAX;
            }
        } else if (arg == "--subdir-url") {
            source.subdir_url = value;
        } else if (arg == "--channel") {
            source.channel = value;
        } else {
            return usage_error();
        }
    }

    std::vector<double> seconds;
    std::size_t records = 0;
    std::size_t fallbacks = 0;
    try {
        for (int run = 0; run < runs; ++run) {
            const auto start = std::chrono::steady_clock::now();
            const cenv::specs::Repodata repodata =
                cenv::specs::load_repodata(file, source, options);
            const auto stop = std::chrono::steady_clock::now();
            seconds.push_back(std::chrono::duration<double>(stop - start).count());
            records = repodata.records.size();
            fallbacks = repodata.fallbacks.size();
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    std::vector<double> sorted = seconds;
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted.size() % 2 == 1
                              ? sorted[sorted.size() / 2]
                              : (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]) / 2;
    const double rate = median > 0 ? static_cast<double>(records + fallbacks) / median : 0;
    const long rss = peak_rss_kb();
    fmt::print("file       {}\n", file);
    fmt::print("records    {} (+{} .tar.bz2 fallbacks)\n", records, fallbacks);
    fmt::print("runs       {}: median {:.3f} s, min {:.3f} s, max {:.3f} s\n", runs, median,
               sorted.front(), sorted.back());
    fmt::print("records/s  {:.0f}\n", rate);
    fmt::print("peak RSS   {:.1f} MB\n", static_cast<double>(rss) / 1024.0);
    fmt::print(
        "RESULT records={} fallbacks={} median_s={:.4f} min_s={:.4f} max_s={:.4f} "
        "records_per_s={:.0f} peak_rss_kb={}\n",
        records, fallbacks, median, sorted.front(), sorted.back(), rate, rss);
    return 0;
}

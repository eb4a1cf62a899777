// cenv_extract_bench: extracts every package archive (.conda, .tar.bz2) of a folder into a
// fresh directory with install::extract_package, on J threads, and prints the time, the
// archives and payload bytes per second.
//
//   cenv_extract_bench ARCHIVE_DIR OUT_DIR [--jobs J]
//
// OUT_DIR must not exist; it is left in place for inspection (remove it yourself). The last
// line is machine-readable for tests/bench/extract.sh:
//   RESULT archives=N bytes_in=B seconds=S

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "install/extract.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: cenv_extract_bench ARCHIVE_DIR OUT_DIR [--jobs J]\n");
        return 2;
    }
    const fs::path in = argv[1];
    const fs::path out = argv[2];
    unsigned jobs = 1;
    if (argc >= 5 && std::string(argv[3]) == "--jobs") {
        jobs = static_cast<unsigned>(std::max(1, std::atoi(argv[4])));
    }
    if (fs::exists(out)) {
        std::fprintf(stderr, "%s exists; give a fresh directory\n", out.c_str());
        return 2;
    }
    fs::create_directories(out);
    std::vector<fs::path> archives;
    std::uintmax_t bytes_in = 0;
    for (const auto& entry : fs::directory_iterator(in)) {
        const std::string name = entry.path().filename().string();
        if (name.ends_with(".conda") || name.ends_with(".tar.bz2")) {
            archives.push_back(entry.path());
            bytes_in += entry.file_size();
        }
    }
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < jobs; ++t) {
        threads.emplace_back([&] {
            for (std::size_t i = next++; i < archives.size() && !failed; i = next++) {
                try {
                    cenv::install::extract_package(archives[i],
                                                   out / cenv::install::archive_stem(archives[i]));
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "%s\n", e.what());
                    failed = true;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (failed) {
        return 1;
    }
    fmt::print("{} archives, {:.1f} MB in, {} thread(s): {:.2f} s, {:.1f} archives/s\n",
               archives.size(), static_cast<double>(bytes_in) / 1e6, jobs, seconds,
               static_cast<double>(archives.size()) / seconds);
    fmt::print("RESULT archives={} bytes_in={} seconds={:.3f}\n", archives.size(), bytes_in,
               seconds);
    return 0;
}

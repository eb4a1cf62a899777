#include "shell/package_names.hpp"

#include <algorithm>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "config/rc_edit.hpp"
#include "solver/repo_cache.hpp"
#include "util/error.hpp"
#include "util/file.hpp"

namespace cenv::shell {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kIndex = "cenv-names.txt";

// What the list was made from: the number of cache files and the newest one's mtime.
std::string state_line(const fs::path& cache_dir, std::vector<fs::path>& files) {
    std::error_code ec;
    // file_clock's epoch is not 1970 (libstdc++: 2174): counts may be negative.
    auto newest = std::numeric_limits<long long>::min();
    for (fs::directory_iterator it(cache_dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() != ".solv") {
            continue;
        }
        std::error_code time_ec;
        const auto mtime = fs::last_write_time(it->path(), time_ec);
        if (!time_ec) {
            newest = std::max<long long>(newest, mtime.time_since_epoch().count());
        }
        files.push_back(it->path());
    }
    return fmt::format("cenv-names 1 {} {}", files.size(), newest);
}

}  // namespace

std::vector<std::string> package_names(const fs::path& cache_dir, std::string_view prefix) {
    std::vector<fs::path> files;
    const std::string state = state_line(cache_dir, files);
    std::string text;
    try {
        text = util::read_file(cache_dir / kIndex);
    } catch (const util::IoError&) {
        // none yet
    }
    if (!text.starts_with(state + "\n")) {
        std::set<std::string> all;
        for (const auto& file : files) {
            for (auto& name : solver::cached_package_names(file)) {
                all.insert(std::move(name));
            }
        }
        text = state + "\n";
        for (const auto& name : all) {
            text += name + "\n";
        }
        if (!files.empty()) {
            try {
                config::write_file_atomically(cache_dir / kIndex, text);
            } catch (const util::Error&) {
                // a read-only cache: the next TAB builds the list again
            }
        }
    }
    std::vector<std::string> out;
    std::size_t pos = text.find('\n') + 1;  // after the state line
    // The names are sorted: find the first with the prefix, take while they match.
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view name(text.data() + pos, end - pos);
        if (name.starts_with(prefix)) {
            out.emplace_back(name);
        } else if (!out.empty()) {
            break;
        }
        pos = end + 1;
    }
    return out;
}

}  // namespace cenv::shell

#include "install/cache_contents.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "install/error.hpp"
#include "install/extract.hpp"
#include "install/package_cache.hpp"
#include "util/file_lock.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::uint64_t tree_bytes(const fs::path& root) {
    std::uint64_t total = 0;
    std::set<std::pair<dev_t, ino_t>> seen;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
         !ec && it != end; it.increment(ec)) {
        struct stat st {};
        if (::lstat(it->path().c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
            seen.emplace(st.st_dev, st.st_ino).second) {
            total += static_cast<std::uint64_t>(st.st_size);
        }
    }
    return total;
}

std::optional<CacheItemKind> classify(const fs::directory_entry& entry) {
    const std::string name = entry.path().filename().string();
    std::error_code ec;
    if (name.starts_with(".cenv-")) {
        return CacheItemKind::partial;
    }
    if (entry.is_symlink(ec)) {
        return std::nullopt;
    }
    if (entry.is_regular_file(ec)) {
        if (ends_with(name, ".lock")) {
            return CacheItemKind::lock;
        }
        if (ends_with(name, ".conda") || ends_with(name, ".tar.bz2")) {
            return CacheItemKind::tarball;
        }
        return std::nullopt;
    }
    if (entry.is_directory(ec) && fs::is_regular_file(entry.path() / "info/index.json", ec)) {
        return CacheItemKind::extracted;
    }
    return std::nullopt;
}

// The package whose lock guards `item`: `.cenv-tmp-<dist>-XXXXXX` belongs to <dist>.
std::string owner_dist(const CacheItem& item) {
    std::string name = item.path.filename().string();
    switch (item.kind) {
        case CacheItemKind::tarball:
        case CacheItemKind::extracted:
            return archive_stem(name);
        case CacheItemKind::lock:
            return name.substr(0, name.size() - 5);
        case CacheItemKind::partial: {
            name = name.substr(std::string_view(".cenv-").size());
            const std::size_t dash = name.find('-');
            const std::size_t last = name.rfind('-');
            if (dash == std::string::npos || last == dash) {
                return {};
            }
            return archive_stem(name.substr(dash + 1, last - dash - 1));
        }
    }
    return {};
}

void remove_item(const CacheItem& item) {
    std::error_code ec;
    fs::remove_all(item.path, ec);
    if (ec) {
        throw InstallError(fmt::format("cannot remove '{}' from the package cache: {}",
                                       item.path.string(), ec.message()),
                           "check the permissions of the package cache");
    }
}

}  // namespace

std::string_view to_string(CacheItemKind kind) noexcept {
    switch (kind) {
        case CacheItemKind::tarball:
            return "tarball";
        case CacheItemKind::extracted:
            return "extracted";
        case CacheItemKind::lock:
            return "lock";
        case CacheItemKind::partial:
            return "partial";
    }
    return "unknown";
}

std::vector<CacheItem> list_cache(const fs::path& dir) {
    std::vector<CacheItem> items;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto kind = classify(*it);
        if (!kind) {
            continue;
        }
        CacheItem item{*kind, it->path(), 0};
        std::error_code size_ec;
        if (*kind == CacheItemKind::extracted || it->is_directory(size_ec)) {
            item.bytes = tree_bytes(it->path());
        } else {
            const auto size = it->file_size(size_ec);
            item.bytes = size_ec ? 0 : size;
        }
        items.push_back(std::move(item));
    }
    std::sort(items.begin(), items.end(),
              [](const CacheItem& a, const CacheItem& b) { return a.path < b.path; });
    return items;
}

CleanReport clean_cache(const std::vector<fs::path>& dirs, const std::vector<CacheItemKind>& kinds,
                        bool dry_run) {
    CleanReport report;
    for (const auto& dir : dirs) {
        for (const auto& item : list_cache(dir)) {
            if (std::find(kinds.begin(), kinds.end(), item.kind) == kinds.end()) {
                continue;
            }
            const std::string dist = owner_dist(item);
            const bool own_lock = item.kind == CacheItemKind::lock;
            std::optional<util::FileLock> lock;
            bool lock_existed = true;
            if (!dist.empty() && !dry_run) {
                const fs::path lock_path = own_lock ? item.path : package_lock_path(dir, dist);
                std::error_code ec;
                lock_existed = fs::exists(lock_path, ec);
                lock = util::FileLock::try_acquire(lock_path);
                if (!lock) {
                    report.busy.push_back(item);
                    continue;
                }
            }
            if (!dry_run) {
                if (!own_lock) {
                    remove_item(item);
                }
                // A lock file this clean created only to guard the removal goes too.
                if (lock && (own_lock || !lock_existed)) {
                    lock->remove_and_release();
                }
            }
            report.bytes_freed += item.bytes;
            report.removed.push_back(item);
        }
    }
    return report;
}

}  // namespace cenv::install

#pragma once
// What a package cache directory holds, and removing parts of it (`cenv clean`). Each item
// is removed only while its package lock is free, so a package another cenv process is
// extracting is skipped, never torn down.
//
// Not known here: whether an environment is linked from an extracted tree (environments do
// not exist yet), so removing trees may break hard-linked environments' future repairs.

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

namespace cenv::install {

enum class CacheItemKind : std::uint8_t {
    tarball,    ///< a downloaded `.conda` / `.tar.bz2`
    extracted,  ///< an extracted package tree (has `info/index.json`)
    lock,       ///< a `*.lock` file
    partial,    ///< left over by an interrupted extraction or copy (`.cenv-*`)
};

std::string_view to_string(CacheItemKind kind) noexcept;

struct CacheItem {
    CacheItemKind kind;
    std::filesystem::path path;
    std::uint64_t bytes = 0;  ///< apparent size; hard links within a tree counted once
};

/// The items in the cache directory `dir`, sorted by path. A missing directory holds none.
std::vector<CacheItem> list_cache(const std::filesystem::path& dir);

struct CleanReport {
    std::vector<CacheItem> removed;  ///< or, on a dry run, what would be
    std::vector<CacheItem> busy;     ///< skipped: another process holds the package's lock
    std::uint64_t bytes_freed = 0;
};

/// Removes the items of the given kinds from each of `dirs` (nothing on `dry_run`).
/// Throws InstallError naming the path when something cannot be removed.
CleanReport clean_cache(const std::vector<std::filesystem::path>& dirs,
                        const std::vector<CacheItemKind>& kinds, bool dry_run);

}  // namespace cenv::install

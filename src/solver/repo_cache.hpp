#pragma once
// The binary cache of one channel subdir: its RecordTable written to
// `<cache dir>/<hash of the key>.solv`, so that the next solve maps the file instead of
// parsing the repodata.json. Keyed on the repodata's state (path, channel and URL it was read
// as, size, mtime in ns, inode) and on the cache format; a file whose key, size or checksum
// does not match is stale or corrupt and is rebuilt, never trusted. Writes go to a temporary
// file in the same folder, renamed over the old one: a reader (or a second cenv writing the
// same cache) sees the old file or the new one, never a mix.
//
// Layout (native byte order; the cache is this machine's): a header of 16 u64 (magic, format,
// key length, repodata size, mtime, inode, counts, body checksum, header checksum), the key
// text, then the table's parts as RecordTable::View has them, each 8-byte aligned.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "solver/record_table.hpp"
#include "specs/repodata.hpp"

namespace cenv::solver {

/// What a cache must match: the repodata file's identity and state.
struct CacheKey {
    std::string text;  ///< format, absolute path, channel, subdir URL
    std::uint64_t size = 0;
    std::uint64_t mtime_ns = 0;
    std::uint64_t inode = 0;
};

/// The key of `repodata` read as `source` now. Throws util::IoError when it cannot be
/// stat'ed.
CacheKey cache_key(const std::filesystem::path& repodata, const specs::RepodataSource& source);

/// `<dir>/<16 hex digits of the key's hash>.solv`.
std::filesystem::path cache_path(const std::filesystem::path& dir, const CacheKey& key);

/// The table in `file` when it exists and matches `key` (format, key text, repodata
/// state, size and checksum); otherwise null, with the reason in `why` ("missing",
/// "stale", "corrupt: ..."). The file stays mapped while the table lives.
std::unique_ptr<RecordTable> read_cache(const std::filesystem::path& file, const CacheKey& key,
                                        std::string* why = nullptr);

/// The distinct package names of the table in `file`, sorted, checking only its header and
/// size (not the repodata it came from, nor the body's checksum: a stale list is fine for
/// what it is for, shell completion). None when the file is missing or is no cache.
std::vector<std::string> cached_package_names(const std::filesystem::path& file);

/// Writes `table` to `file` atomically (temporary file + rename), creating the folder.
/// Returns false (with the reason in `why`) when it cannot: a cache is an optimisation, and
/// a read-only root must not fail a solve.
bool write_cache(const std::filesystem::path& file, const CacheKey& key, const RecordTable& table,
                 std::string* why = nullptr);

}  // namespace cenv::solver

#pragma once
// A channel subdir's repodata.json read into PackageRecords: the `packages` (.tar.bz2) and
// `packages.conda` sections, `removed`, `info.subdir`, `info.base_url` (repodata v2, CEP-15)
// and `repodata_version`. It parses; it does not download, cache or patch anything.
//
// This is a hot path: a conda-forge sized subdir holds ~600k records (350 MB of JSON). The
// reader maps the file (no copy), walks it with simdjson's On-Demand API, copies strings
// straight from the text (unless they hold escapes), and builds each list with one
// allocation. A large file is split in two near its middle, between two members of an
// object, and each half is indexed and parsed by its own thread (RepodataParseOptions).
//
// It checks what it reads: every field it knows must have its type, and the JSON must be
// well formed where it is read. Values of fields it does not know are skipped, not checked.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "specs/error.hpp"
#include "specs/package_record.hpp"

namespace cenv::specs {

/// The `info` object of a repodata.json, and its `repodata_version`.
struct RepodataInfo {
    std::string subdir;    ///< `info.subdir`; empty when absent
    std::string base_url;  ///< `info.base_url` as written (may be relative); empty when absent
    int repodata_version = 1;
};

/// One channel subdir's records.
struct Repodata {
    RepodataInfo info;
    /// One record per package, in the file's order. Where a package is in both sections,
    /// the `.conda` record is kept here.
    std::vector<PackageRecord> records;
    /// The `.tar.bz2` twins (same `name-version-build` file stem) of `.conda` records in
    /// `records`: kept for clients that cannot use `.conda`, not offered to the solver.
    std::vector<PackageRecord> fallbacks;
    /// File names listed under `removed`.
    std::vector<std::string> removed;
};

/// Where a repodata.json came from; fills each record's `url` and `channel`.
struct RepodataSource {
    /// Channel URL or name, copied into each record's `channel`.
    std::string channel;
    /// URL of the subdir folder, e.g. `file:///x/chan/linux-64` (a trailing `/` is allowed).
    /// A record's url is `<subdir_url>/<fn>`, or `<base_url>/<fn>` when the file has
    /// `info.base_url` (resolved against this URL when it is relative).
    std::string subdir_url;
    /// Path or URL of the file, used only in error messages.
    std::string file;
};

/// How the work is split. The defaults are what the benchmarks chose; tests force the
/// parallel path on small files through them. Results never depend on them.
struct RepodataParseOptions {
    /// Threads to build records with: 1 or 2. 0 picks 2 unless the machine is busy (one
    /// core, or a 1-minute load average of a job per core or more).
    unsigned threads = 0;
    /// Files smaller than this are parsed as one document on the calling thread.
    std::size_t min_chunked_bytes = std::size_t{8} << 20;
    /// Larger files are parsed in pieces of about this size, each indexed and walked while
    /// it is in the cache.
    std::size_t chunk_bytes = std::size_t{2} << 20;
};

/// Parses the text of a repodata.json. Throws ParseError naming `source.file` (and the
/// record's file name when the fault is in a record) on malformed JSON or a malformed record.
/// The text is copied once into a padded buffer; load_repodata() avoids that copy.
Repodata parse_repodata(std::string_view json, const RepodataSource& source,
                        const RepodataParseOptions& options = {});

/// Reads and parses the repodata.json at `path`. Throws util::IoError when the file cannot
/// be read, ParseError as parse_repodata(). When `source.file` is empty, `path` is named.
/// A regular file is mapped: it must not be truncated while it is read (the index cache
/// replaces files by renaming new ones over them, which is safe).
Repodata load_repodata(const std::filesystem::path& path, const RepodataSource& source,
                       const RepodataParseOptions& options = {});

/// Receives a repodata.json's records chunk by chunk (stream_repodata()), so that a caller
/// that keeps them in its own compact form never holds a vector of all of them.
class RecordSink {
  public:
    virtual ~RecordSink() = default;
    /// The records numbered [first, first + records.size()) in the file's order (both
    /// sections); the sink may move from them. They are final but for the fix-ups below.
    virtual void add(std::size_t first, std::span<PackageRecord> records) = 0;
    /// Forget every record handed over so far: the file is read again from its start (a
    /// chunk boundary did not hold). Rare; only the calls after it count.
    virtual void restart() = 0;
    /// The file name (`fn`) of record `index`, to find `.conda`/`.tar.bz2` twins exactly.
    [[nodiscard]] virtual std::string_view fn(std::size_t index) const = 0;
    /// Record `index` was read before `info`: its url is `url`, and when it has no subdir
    /// of its own, `subdir` (empty: keep it) is its subdir.
    virtual void relocate(std::size_t index, std::string_view url, std::string_view subdir) = 0;
    /// Record `index` is a `.tar.bz2` twin of a `.conda` record (Repodata::fallbacks): not
    /// offered to the solver.
    virtual void drop(std::size_t index) = 0;
};

/// What stream_repodata() returns besides the records.
struct RepodataSummary {
    RepodataInfo info;
    std::vector<std::string> removed;
    std::size_t records = 0;  ///< handed to the sink, twins included
};

/// load_repodata() with the records handed to `sink` chunk by chunk (a few thousand at a
/// time) instead of kept: the same records, the same errors. The records that load_repodata()
/// puts in `fallbacks` are handed over too and then dropped.
RepodataSummary stream_repodata(const std::filesystem::path& path, const RepodataSource& source,
                                RecordSink& sink, const RepodataParseOptions& options = {});

/// The folder that packages are downloaded from: `base_url` resolved against `subdir_url`
/// as a relative URL reference (RFC 3986 section 5.2), without a trailing `/`. An empty
/// `base_url` gives `subdir_url`. Examples with subdir_url `https://h/c/linux-64`:
/// `https://o/p/linux-64` -> itself; `../../mirror/linux-64` -> `https://h/mirror/linux-64`;
/// `/pkgs/linux-64` -> `https://h/pkgs/linux-64`; `./` -> `https://h/c/linux-64`.
std::string resolve_base_url(std::string_view subdir_url, std::string_view base_url);

/// Conda's reading of a repodata `timestamp`: values above 253402300799 (the last second of
/// the year 9999) are milliseconds already; smaller ones are seconds and are scaled to ms.
constexpr std::uint64_t timestamp_to_ms(std::uint64_t value) noexcept {
    return value > 253402300799ULL ? value : value * 1000;
}

}  // namespace cenv::specs

#pragma once
// The records of one repo in compact form: what a solve needs of 600k records without a
// PackageRecord (≈1 KB of heap each) per package. Per record a small fixed "hot" part (name,
// dependency lists: what the pool is built from) and a "cold" part (version, build,
// checksums, file name, url, ...: read only for the candidates a solve examines and for the
// records of a solution). Strings live in two tables: `shared` (deduplicated: names, specs,
// versions, builds, licenses) and `unique` (md5, sha256, fn, url), so that building the pool
// touches only the small hot part. The same layout is the binary cache file (repo_cache.hpp):
// a table is either built in memory or viewed in a mapped file, and read the same way.
//
// Reading never trusts the data: every index is checked, and a bad one reads as an empty
// string or list (a corrupt cache is caught by its checksum before; this keeps a fault that
// slips through from crashing).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "specs/package_record.hpp"

namespace cenv::solver {

class RecordTable {
  public:
    /// What the pool is built from: 16 bytes per record.
    struct Hot {
        std::uint32_t name = 0;  ///< shared string
        std::uint32_t list = 0;  ///< first of depends, constrains, track_features in lists
        std::uint16_t n_depends = 0;
        std::uint16_t n_constrains = 0;
        std::uint16_t n_track_features = 0;
        std::uint8_t dropped = 0;  ///< 1: a .tar.bz2 twin, not offered to the solver
        std::uint8_t noarch = 0;   ///< specs::NoArchType
    };
    /// The rest of a record.
    struct Cold {
        // shared strings
        std::uint32_t version = 0;
        std::uint32_t build = 0;
        std::uint32_t features = 0;
        std::uint32_t license = 0;
        std::uint32_t license_family = 0;
        std::uint32_t subdir = 0;
        std::uint32_t channel = 0;
        std::uint32_t platform = 0;
        std::uint32_t arch = 0;
        std::uint32_t site_packages = 0;
        // unique strings
        std::uint32_t md5 = 0;
        std::uint32_t sha256 = 0;
        std::uint32_t fn = 0;
        std::uint32_t url = 0;
        std::uint64_t build_number = 0;
        std::uint64_t size = 0;
        std::uint64_t timestamp = 0;
    };
    /// Strings as `offsets[i]..offsets[i+1]` of `bytes`; string 0 is "".
    struct Strings {
        std::span<const std::uint32_t> offsets;
        std::string_view bytes;
        [[nodiscard]] std::size_t count() const noexcept {
            return offsets.empty() ? 0 : offsets.size() - 1;
        }
        [[nodiscard]] std::string_view at(std::uint32_t i) const noexcept;
    };
    /// The parts, as the file stores them.
    struct View {
        std::span<const Hot> hot;
        std::span<const Cold> cold;
        std::span<const std::uint32_t> lists;  ///< shared strings
        Strings shared;
        Strings unique;
    };

    /// Appends records (a repodata chunk, a prefix's records).
    class Builder;

    /// A table over memory that something else keeps alive (`owner`: a mapped file).
    RecordTable(View view, std::shared_ptr<const void> owner);
    RecordTable(const RecordTable&) = delete;
    RecordTable& operator=(const RecordTable&) = delete;
    ~RecordTable();

    [[nodiscard]] const View& view() const noexcept { return view_; }
    [[nodiscard]] std::size_t size() const noexcept { return view_.hot.size(); }
    [[nodiscard]] const Hot& hot(std::size_t i) const noexcept { return view_.hot[i]; }
    [[nodiscard]] std::string_view shared(std::uint32_t i) const noexcept {
        return view_.shared.at(i);
    }
    [[nodiscard]] std::string_view name(std::size_t i) const noexcept {
        return shared(view_.hot[i].name);
    }
    /// The shared-string indices of record `i`'s depends / constrains / track_features.
    [[nodiscard]] std::span<const std::uint32_t> depends(std::size_t i) const noexcept;
    [[nodiscard]] std::span<const std::uint32_t> constrains(std::size_t i) const noexcept;
    [[nodiscard]] std::span<const std::uint32_t> track_features(std::size_t i) const noexcept;

    /// Record `i` as a full PackageRecord.
    [[nodiscard]] specs::PackageRecord record(std::size_t i) const;

  private:
    friend class Builder;
    RecordTable() = default;
    [[nodiscard]] std::span<const std::uint32_t> list(std::size_t begin,
                                                      std::size_t count) const noexcept;

    View view_;
    std::shared_ptr<const void> owner_;
    // Storage of a table built in memory.
    std::vector<Hot> own_hot_;
    std::vector<Cold> own_cold_;
    std::vector<std::uint32_t> own_lists_;
    std::vector<std::uint32_t> own_shared_offsets_;
    std::string own_shared_bytes_;
    std::vector<std::uint32_t> own_unique_offsets_;
    std::string own_unique_bytes_;
};

class RecordTable::Builder {
  public:
    Builder();
    ~Builder();
    Builder(const Builder&) = delete;
    Builder& operator=(const Builder&) = delete;

    /// Appends `record` (its strings are copied).
    void add(const specs::PackageRecord& record);
    /// Forgets everything added.
    void clear();
    /// Reserves room for the records of a repodata.json of `json_bytes` (address space only:
    /// pages that are not written cost no memory), so that growing never copies.
    void reserve_for_json(std::size_t json_bytes);
    [[nodiscard]] std::size_t size() const noexcept { return hot_.size(); }
    [[nodiscard]] std::string_view fn(std::size_t i) const noexcept;
    /// Replaces record `i`'s url, and its subdir when it has none and `subdir` is not empty.
    void relocate(std::size_t i, std::string_view url, std::string_view subdir);
    /// Marks record `i` as not offered to the solver.
    void drop(std::size_t i) { hot_.at(i).dropped = 1; }

    /// The table; the builder is empty afterwards.
    std::unique_ptr<RecordTable> finish();

  private:
    std::uint32_t intern(std::string_view s);
    /// intern(), first trying the string this field had in the record before: consecutive
    /// records mostly share their channel, subdir, license, name and version, and the
    /// comparison saves the hash table's cache misses.
    std::uint32_t intern_like_last(std::string_view s, std::uint32_t& last);
    [[nodiscard]] std::string_view shared_at(std::uint32_t i) const noexcept {
        return std::string_view(shared_bytes_)
            .substr(shared_offsets_[i], shared_offsets_[i + 1] - shared_offsets_[i]);
    }
    std::uint32_t add_unique(std::string_view s);

    std::vector<Hot> hot_;
    std::vector<Cold> cold_;
    std::vector<std::uint32_t> lists_;
    std::vector<std::uint32_t> shared_offsets_;
    std::string shared_bytes_;
    std::vector<std::uint32_t> unique_offsets_;
    std::string unique_bytes_;
    // Open addressing over the shared strings: slot = string index + 1, 0 = empty.
    std::vector<std::uint32_t> slots_;
    std::vector<std::uint64_t> hashes_;  // per shared string
    // The last record's shared strings, per field (see intern_like_last()).
    struct Last {
        std::uint32_t name = 0, version = 0, features = 0, license = 0, license_family = 0,
                      subdir = 0, channel = 0, platform = 0, arch = 0, site_packages = 0;
    } last_;
};

}  // namespace cenv::solver

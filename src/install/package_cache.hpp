#pragma once
// The package cache (conda's `pkgs_dirs`): downloaded archives and their extracted trees,
// shared by every environment. Several directories may be given; packages are looked up in
// all of them and new ones go to the first writable one.
//
// An extracted tree counts only when its `info/repodata_record.json` matches the record
// (sha256, else md5, and size); an archive is reused only after its size and checksum are
// verified. Work on one package is serialised across processes by an flock on
// `<dir>/<dist>.lock`, so two cenv runs extracting the same package both succeed.
//
// Not here (yet): downloading (channels), linking into prefixes, knowing which environments
// use a package.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "specs/package_record.hpp"

namespace cenv::install {

class PackageCache {
  public:
    /// The cache over `dirs`, in order of preference (not created until needed).
    explicit PackageCache(std::vector<std::filesystem::path> dirs);
    /// The default cache of a root prefix: `<root>/pkgs`.
    static PackageCache at_root(const std::filesystem::path& root);

    [[nodiscard]] const std::vector<std::filesystem::path>& dirs() const noexcept { return dirs_; }
    /// The first directory that exists (or can be created) and is writable. Throws
    /// InstallError when there is none.
    [[nodiscard]] std::filesystem::path writable_dir() const;

    /// The valid extracted tree of `record` in any cache directory.
    [[nodiscard]] std::optional<std::filesystem::path> find_tree(
        const specs::PackageRecord& record) const;
    /// A cached archive of `record` whose size and checksum match.
    [[nodiscard]] std::optional<std::filesystem::path> find_archive(
        const specs::PackageRecord& record) const;

    /// The extracted tree of `record`, extracting it when no valid tree exists: from
    /// `archive` when given (it is verified against the record and copied into the cache),
    /// else from a verified cached archive. Writes `info/repodata_record.json` (the record
    /// over the package's `info/index.json`) and appends the URL to `urls.txt`.
    /// Throws InstallError when there is no archive to extract or it does not match.
    std::filesystem::path ensure_extracted(const specs::PackageRecord& record,
                                           const std::optional<std::filesystem::path>& archive);

  private:
    std::vector<std::filesystem::path> dirs_;
};

/// `name-version-build`: the directory an archive of `record` extracts to.
std::string dist_name(const specs::PackageRecord& record);

/// Whether the tree at `tree` was extracted from the archive `record` describes.
bool tree_matches(const std::filesystem::path& tree, const specs::PackageRecord& record);

/// Whether the archive at `archive` has the size and checksum `record` gives (sha256 when
/// known, else md5; a record with neither is checked by size only).
bool archive_matches(const std::filesystem::path& archive, const specs::PackageRecord& record);

/// The lock file that serialises work on `dist` in the cache directory `dir`.
std::filesystem::path package_lock_path(const std::filesystem::path& dir, const std::string& dist);

}  // namespace cenv::install

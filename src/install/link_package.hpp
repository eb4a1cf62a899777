#pragma once
// Putting one extracted package's files into a prefix: the hot path of an install.
//
// Files are hard-linked from the package cache when they need no change, copied when a
// hard link is impossible (another filesystem) or `no_link` asks for it, and written anew
// when a prefix placeholder must be replaced (text or binary mode; see prefix_replace.hpp).
// Soft links are made again with their recorded target; permission bits (the executable
// bit) follow the cached file. noarch python packages are placed as noarch_python.hpp says
// and get their entry-point scripts. Compiling .pyc files is left to pyc_compile.hpp (one
// interpreter for the whole transaction).
//
// It only creates: the caller (transaction.hpp) has made the parent directories, moved
// away whatever was in the way and journaled every path it is about to create.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "install/noarch_python.hpp"
#include "install/package_contents.hpp"
#include "specs/package_record.hpp"
#include "specs/paths_data.hpp"
#include "specs/prefix_record.hpp"

namespace cenv::install {

/// One path a package puts into the prefix.
struct PlannedPath {
    enum class Kind : std::uint8_t { file, softlink, directory, entry_point, pyc };
    std::string target;  ///< relative to the prefix, `/`-separated
    Kind kind = Kind::file;
    /// file/softlink/directory: the index of its entry in the package's paths; entry_point:
    /// the index in entry_points; pyc: the index of its source among the planned paths.
    std::uint32_t source = 0;
    /// False when another package of the same transaction writes this path (a clobber;
    /// the last package in link order wins, as with conda). The path is recorded anyway.
    bool write = true;
};

/// A package ready to link: where it comes from and every path it will create.
struct PackageLink {
    specs::PackageRecord record;
    std::filesystem::path tree;  ///< the extracted package in the cache
    PackageContents contents;
    std::vector<PlannedPath> paths;  ///< files, then entry points, then pycs
};

/// Reads the package at `tree` and computes its target paths. `python` is the environment's
/// python after the transaction; a noarch python package without one is refused
/// (InstallError).
PackageLink plan_package_link(specs::PackageRecord record, std::filesystem::path tree,
                              const std::optional<PythonLayout>& python);

/// What linking did: the record's `files` and `paths_data` (pycs not yet included) and
/// how the files got there.
struct LinkedPackage {
    std::vector<std::string> files;
    specs::PathsData paths_data;
    specs::LinkType link_type = specs::LinkType::hardlink;
};

struct LinkContext {
    std::filesystem::path prefix;        ///< absolute
    std::optional<PythonLayout> python;  ///< for entry points
    /// Cleared on the first cross-device link, so that later files go straight to a copy.
    std::atomic<bool>* hard_links_work = nullptr;
    /// Checked between files; a set flag makes link_package throw InterruptedError.
    const std::atomic<bool>* interrupted = nullptr;
};

/// Creates `link`'s files (those with `write` set) under `context.prefix`. Throws
/// InstallError naming the package and the path on failure (a binary placeholder too short
/// for the prefix, a file the package lists but does not contain, an I/O error).
LinkedPackage link_package(const PackageLink& link, const LinkContext& context);

}  // namespace cenv::install

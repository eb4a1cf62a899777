#pragma once
// Unpacking one package archive into a directory, safely: `.conda` (a zip holding
// `info-*.tar.zst` and `pkg-*.tar.zst`, each read as a stream straight out of the zip) and
// `.tar.bz2` (any tarball libarchive reads: plain, bz2, gz, zst, xz).
//
// The tree is built in a temporary sibling directory and renamed into place only once it is
// complete, so an interrupted extraction never leaves a tree that looks finished. Entries
// that would escape the target (see entry_guard.hpp) or that are not files, directories or
// links refuse the whole archive; nothing is left behind.

#include <filesystem>
#include <functional>

namespace cenv::install {

enum class ArchiveFormat { conda, tarball };

/// `.conda` by its suffix, a tarball otherwise.
ArchiveFormat archive_format(const std::filesystem::path& archive);

/// The directory name a package archive extracts to: its file name without `.conda`,
/// `.tar.bz2` (or `.tar`, `.tar.gz`, `.tar.zst`).
std::string archive_stem(const std::filesystem::path& archive);

/// Called with the complete temporary tree before it is renamed into place (to add
/// `info/repodata_record.json`); an exception from it aborts the extraction.
using FinishTree = std::function<void(const std::filesystem::path& tree)>;

/// Extracts `archive` into `target` (replacing what is there only on success). File modes
/// (permission bits) and symlinks are kept, hard links within the package made again.
/// Throws InstallError naming the archive (and the entry, for unsafe ones).
void extract_package(const std::filesystem::path& archive, const std::filesystem::path& target,
                     const FinishTree& finish = {});

}  // namespace cenv::install

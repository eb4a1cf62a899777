#pragma once
// Where a shared library would be loaded from, found without loading it.
//
// Used to know which driver library a detection is about before any of its code runs: the
// probe then loads exactly that file, and the cache is keyed on it.

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace cenv::system {

/// The first `dir/soname` among `dirs` that is a shared object for this machine (an ELF file
/// of this process's class and machine; a 32-bit libcuda.so.1 is skipped, as the dynamic
/// loader would).
std::optional<std::filesystem::path> find_library(std::string_view soname,
                                                  const std::vector<std::filesystem::path>& dirs);

/// The directories the dynamic loader searches, in its order: LD_LIBRARY_PATH, the
/// directories listed in /etc/ld.so.conf (following `include` globs), then the system's
/// defaults and the places NVIDIA's driver packages use (/usr/lib64/nvidia, WSL's
/// /usr/lib/wsl/lib, the container toolkit's /usr/local/nvidia/lib64). Duplicates removed.
std::vector<std::filesystem::path> loader_search_dirs();

/// The directories named by an ld.so.conf file, following `include` lines (globs, relative
/// to the including file's directory) up to a few levels deep. Missing files give nothing.
std::vector<std::filesystem::path> ld_so_conf_dirs(const std::filesystem::path& conf);

}  // namespace cenv::system

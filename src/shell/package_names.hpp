#pragma once
// Package names for tab completion, without the network and without parsing repodata on each
// TAB: the names of the channels cenv has solved against, from the solver's binary caches
// (`<root>/pkgs/cache/*.solv`, solver/repo_cache.hpp), kept in one small sorted list next to
// them (`cenv-names.txt`). The list is rebuilt when the set of cache files or the newest of
// them changes; a TAB then reads one file of a few hundred kilobytes at most.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cenv::shell {

/// The names starting with `prefix`, sorted. Builds or refreshes `cache_dir/cenv-names.txt`
/// when needed (a cache folder that cannot be written only costs the next TAB the rebuild).
std::vector<std::string> package_names(const std::filesystem::path& cache_dir,
                                       std::string_view prefix);

}  // namespace cenv::shell

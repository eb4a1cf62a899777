#pragma once
// The environments of this machine, as `cenv env list` (and `conda env list`) shows them: the
// root prefix when it is an environment, every environment in the envs folders, and those
// conda's registry (`~/.conda/environments.txt`) lists elsewhere. An environment is a folder
// with a `conda-meta` folder; registry entries that are gone (or never were environments)
// are left out, as conda does.

#include <filesystem>
#include <vector>

namespace cenv::install {

struct KnownEnvironment {
    std::filesystem::path prefix;  ///< absolute, normal
    bool registered = false;       ///< listed in the registry file
};

/// The root prefix first, then each envs folder's environments by name, then the other
/// registered ones in the registry's order; each prefix once. `registry` may not exist.
std::vector<KnownEnvironment> known_environments(
    const std::filesystem::path& root, const std::vector<std::filesystem::path>& envs_dirs,
    const std::filesystem::path& registry);

}  // namespace cenv::install

#pragma once
// How the environment commands find the environment they work on: -p PATH, -n NAME (in the
// envs folders), or, for commands that read an existing environment, the active one. The
// envs folders and names are shell::Environments' (what activation uses).

#include <filesystem>
#include <string>
#include <vector>

#include "config/settings.hpp"

namespace cenv::cli {

/// The folders holding named environments: the envs_dirs setting, else `<root>/envs`.
std::vector<std::filesystem::path> envs_dirs(const config::Settings& settings,
                                             const std::filesystem::path& root);

/// The prefix -p `prefix` or -n `name` stands for (whether or not it exists): a name is the
/// first envs folder holding it, else where it would be created (the first envs folder).
/// Throws util::Error when neither is given.
std::filesystem::path target_prefix(const std::string& name, const std::string& prefix,
                                    const config::Settings& settings,
                                    const std::filesystem::path& root);

/// The active environment ($CONDA_PREFIX); empty when none is active.
std::filesystem::path active_prefix();

/// The existing environment -p / -n names, else the active one. Throws util::Error when none
/// is given and none is active, or when the folder is not an environment (no conda-meta).
std::filesystem::path existing_environment(const std::string& name, const std::string& prefix,
                                           const config::Settings& settings,
                                           const std::filesystem::path& root);

/// How conda names an environment: `base` for the root prefix, the folder name for one
/// directly in an envs folder, empty otherwise (known only by its path).
std::string environment_name(const std::filesystem::path& prefix, const config::Settings& settings,
                             const std::filesystem::path& root);

}  // namespace cenv::cli

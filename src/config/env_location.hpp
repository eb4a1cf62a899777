#pragma once
// Where named environments live: conda's `envs_dirs`, else `<root>/envs`.

#include <filesystem>
#include <string>
#include <string_view>

#include "config/settings.hpp"

namespace cenv::config {

/// The prefix of the environment `name`: the first `envs_dirs` folder that holds it, else
/// `name` under the first of them, else `<root>/envs/<name>`; absolute. `root` is the root
/// prefix (config::root_prefix()).
std::filesystem::path named_environment_prefix(std::string_view name, const Settings& settings,
                                               const std::filesystem::path& root);

/// How a command line names `prefix`: `-n NAME` when named_environment_prefix(NAME) is
/// `prefix`, else `-p PREFIX`.
std::string environment_selector(const std::filesystem::path& prefix, const Settings& settings,
                                 const std::filesystem::path& root);

}  // namespace cenv::config

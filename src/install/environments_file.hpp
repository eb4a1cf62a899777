#pragma once
// The list of environments conda keeps in `~/.conda/environments.txt` (one prefix per
// line), which `conda env list` and micromamba read: an environment cenv creates is added
// there, one that is removed is taken out.

#include <filesystem>

namespace cenv::install {

/// `$HOME/.conda/environments.txt`.
std::filesystem::path environments_file();

/// Adds `prefix` (absolute) unless it is listed already. Best effort: a file that cannot be
/// written is not an install failure (conda does the same); returns whether it is listed.
bool register_environment(const std::filesystem::path& prefix);

/// Removes `prefix` from the list (rewritten atomically). Returns whether it was listed.
bool unregister_environment(const std::filesystem::path& prefix);

}  // namespace cenv::install

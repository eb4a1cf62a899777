#pragma once
// Removing a whole environment (`cenv env remove`): locked like any transaction on it (an
// interrupted one is finished or undone first), renamed to a hidden sibling so that it is
// gone at once for every reader, then deleted, and taken out of conda's environments.txt.
// The package cache is untouched: hard links from it stay valid.

#include <filesystem>

namespace cenv::install {

/// Removes the environment at `prefix` (a folder with conda-meta). Throws InstallError
/// naming the path when it is not an environment or cannot be removed; whatever could not be
/// deleted is then left in the hidden `.cenv-removed-<name>-*` sibling, which the message
/// names.
void remove_environment(const std::filesystem::path& prefix);

}  // namespace cenv::install

#pragma once
// Where cenv keeps its environments, packages and caches, and how detection uses it.

#include <filesystem>
#include <string>

#include "system/detect_options.hpp"

namespace cenv::cli {

/// The root prefix: `flag` (-r) when given, else $CENV_ROOT_PREFIX, else ~/.cenv.
std::filesystem::path root_prefix(const std::string& flag);

/// Detection settings for commands: the detected driver is cached in `<root>/cache/cuda`, so
/// that repeated commands do not load the driver again.
system::DetectOptions detect_options(const std::filesystem::path& root);

}  // namespace cenv::cli

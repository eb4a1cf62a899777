#pragma once
// How commands detect the machine's virtual packages.

#include <filesystem>

#include "system/detect_options.hpp"

namespace cenv::cli {

/// Detection settings for commands under root prefix `root`: the detected driver is cached in
/// `<root>/cache/cuda`, so that repeated commands do not load the driver again.
system::DetectOptions detect_options(const std::filesystem::path& root);

}  // namespace cenv::cli

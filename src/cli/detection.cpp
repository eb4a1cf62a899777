#include "cli/detection.hpp"

namespace cenv::cli {

system::DetectOptions detect_options(const std::filesystem::path& root) {
    system::DetectOptions options;
    options.cache_file = root / "cache" / "cuda";
    return options;
}

}  // namespace cenv::cli

#include "cli/detection.hpp"

namespace cenv::cli {

system::DetectOptions detect_options(const std::filesystem::path& root) {
    return system::root_detect_options(root);
}

}  // namespace cenv::cli

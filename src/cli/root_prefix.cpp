#include "cli/root_prefix.hpp"

#include <cstdlib>

namespace cenv::cli {

std::filesystem::path root_prefix(const std::string& flag) {
    if (!flag.empty()) {
        return std::filesystem::absolute(flag);
    }
    if (const char* env = std::getenv("CENV_ROOT_PREFIX"); env != nullptr && *env != '\0') {
        return std::filesystem::absolute(env);
    }
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home != nullptr ? home : ".") / ".cenv";
}

system::DetectOptions detect_options(const std::filesystem::path& root) {
    system::DetectOptions options;
    options.cache_file = root / "cache" / "cuda";
    return options;
}

}  // namespace cenv::cli

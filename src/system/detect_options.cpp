#include "system/detect_options.hpp"

#include <cstdlib>

namespace cenv::system {

std::optional<std::string> DetectOptions::getenv(const std::string& name) const {
    if (env) {
        const auto it = env->find(name);
        if (it == env->end()) {
            return std::nullopt;
        }
        return it->second;
    }
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) {
        return std::nullopt;
    }
    return std::string(value);
}

DetectOptions root_detect_options(const std::filesystem::path& root) {
    DetectOptions options;
    options.cache_file = root / "cache" / "cuda";
    return options;
}

}  // namespace cenv::system

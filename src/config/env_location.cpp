#include "config/env_location.hpp"

namespace cenv::config {

namespace fs = std::filesystem;

fs::path named_environment_prefix(std::string_view name, const Settings& settings,
                                  const fs::path& root) {
    const auto& dirs = settings.list("envs_dirs");
    for (const auto& dir : dirs) {
        std::error_code ec;
        if (fs::is_directory(fs::path(dir) / name, ec)) {
            return fs::absolute(fs::path(dir) / name);
        }
    }
    if (!dirs.empty()) {
        return fs::absolute(fs::path(dirs.front()) / name);
    }
    return fs::absolute(root / "envs" / name);
}

std::string environment_selector(const fs::path& prefix, const Settings& settings,
                                 const fs::path& root) {
    const fs::path normal = fs::absolute(prefix).lexically_normal();
    const std::string name = normal.filename().string();
    if (!name.empty() &&
        named_environment_prefix(name, settings, root).lexically_normal() == normal) {
        return "-n " + name;
    }
    return "-p " + normal.string();
}

}  // namespace cenv::config

#include "cli/env_target.hpp"

#include <cstdlib>
#include <system_error>

#include <fmt/format.h>

#include "shell/environments.hpp"
#include "util/error.hpp"

namespace cenv::cli {

namespace fs = std::filesystem;

std::vector<fs::path> envs_dirs(const config::Settings& settings, const fs::path& root) {
    return shell::Environments::from_settings(settings, root).envs_dirs();
}

fs::path target_prefix(const std::string& name, const std::string& prefix,
                       const config::Settings& settings, const fs::path& root) {
    if (!prefix.empty()) {
        return shell::expand_path(prefix);
    }
    if (name.empty()) {
        throw util::Error("no environment given",
                          "name one with -n NAME (under the root prefix) or -p PATH");
    }
    return shell::Environments::from_settings(settings, root).prefix_for_name(name);
}

fs::path active_prefix() {
    const char* active = std::getenv("CONDA_PREFIX");
    return active != nullptr && *active != '\0' ? shell::expand_path(active) : fs::path{};
}

fs::path existing_environment(const std::string& name, const std::string& prefix,
                              const config::Settings& settings, const fs::path& root) {
    fs::path target;
    if (!name.empty() || !prefix.empty()) {
        target = target_prefix(name, prefix, settings, root);
    } else {
        target = active_prefix();
        if (target.empty()) {
            throw util::Error("no environment given and none is active",
                              "name one with -n NAME or -p PATH (cenv env list shows them)");
        }
    }
    if (!shell::is_environment(target)) {
        throw util::Error(
            fmt::format("{} is not an environment (it has no conda-meta folder)", target.string()),
            "cenv env list shows the environments there are");
    }
    return target;
}

std::string environment_name(const fs::path& prefix, const config::Settings& settings,
                             const fs::path& root) {
    return shell::Environments::from_settings(settings, root).name_of(prefix);
}

}  // namespace cenv::cli

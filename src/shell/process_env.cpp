#include "shell/process_env.hpp"

#include <unistd.h>

namespace cenv::shell {

Variables variables_of(const char* const* env) {
    Variables vars;
    for (; env != nullptr && *env != nullptr; ++env) {
        const std::string_view entry(*env);
        const auto eq = entry.find('=');
        if (eq == std::string_view::npos || eq == 0) {
            continue;
        }
        vars.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
    }
    const auto set = vars.find("_CENV_PS1_SET");
    const auto value = vars.find("_CENV_PS1");
    if (set != vars.end() || value != vars.end()) {
        const bool is_set = set != vars.end() && !set->second.empty();
        std::string ps1 = value != vars.end() ? value->second : std::string{};
        if (set != vars.end()) {
            vars.erase(set);
        }
        if (value != vars.end()) {
            vars.erase(value);
        }
        if (is_set) {
            vars["PS1"] = std::move(ps1);
        } else {
            vars.erase("PS1");
        }
    }
    return vars;
}

Variables process_variables() {
    return variables_of(environ);
}

}  // namespace cenv::shell

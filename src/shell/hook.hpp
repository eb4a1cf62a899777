#pragma once
// The shell code `cenv shell hook` prints: a `cenv` shell function that runs the binary and
// evaluates what `cenv shell activate|deactivate` print, and, on request, the prompt wrapper
// (fish), per-project auto-activation and tab completion. The code itself is in data/*.

#include <filesystem>
#include <string>

#include "shell/shell_kind.hpp"

namespace cenv::shell {

struct HookOptions {
    Shell shell = Shell::bash;
    std::filesystem::path exe;  ///< the cenv binary the function runs (absolute)
    /// The lean binary for activate/deactivate (`cenv-shell`, next to cenv when installed):
    /// it starts several times faster than cenv, which links every library. Empty: the hook
    /// runs `cenv shell activate|deactivate` instead.
    std::filesystem::path activator;
    bool auto_activate = false;  ///< per-project auto-activation (bash, zsh, fish)
    bool changeps1 = true;       ///< fish: wrap fish_prompt to show the environment
    bool completion = true;      ///< tab completion (bash, zsh, fish)
};

/// The hook's code for `options.shell`.
std::string hook_script(const HookOptions& options);

}  // namespace cenv::shell

#pragma once
// What `cenv shell activate|deactivate` (and the lean `cenv-shell` binary the hook prefers)
// do: find the environment, compute the activation for this process, write its code.

#include <iosfwd>
#include <string>

#include "shell/shell_kind.hpp"

namespace cenv::shell {

struct ActivationRequest {
    Shell shell = Shell::bash;
    bool deactivate = false;
    std::string target;  ///< NAME or PATH; empty: the project's environment
    bool stack = false;
    /// From the hook's auto-activation: no project is no error, a project whose environment
    /// is missing is one line on `err`, and nothing is activated.
    bool auto_mode = false;
    std::string root;  ///< -r; empty: $CENV_ROOT_PREFIX or ~/.cenv
};

/// Writes the shell code of `request` to `out` and its warnings ("warning: ..." lines) to
/// `err`. Throws ShellError (and config's errors) for what cannot be done; nothing is written
/// to `out` then.
void write_activation(const ActivationRequest& request, std::ostream& out, std::ostream& err);

}  // namespace cenv::shell

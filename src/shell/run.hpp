#pragma once
// `cenv run`: a command with an environment's activation applied, without a shell.
//
// The activation's variables are set in this process and the command replaces it (execvp):
// the command is the process, so every signal sent to it arrives as it is, and its exit
// status is the one the caller sees. When the environment has activate.d scripts, they need
// a shell: the command then runs as `bash -c '. script...; exec "$@"'` (sh when there is no
// bash), and the shell replaces itself with the command after sourcing them.

#include <string>
#include <vector>

#include "shell/activation.hpp"
#include "shell/error.hpp"

namespace cenv::shell {

/// The command could not be started; `status()` is what a shell would exit with (127: not
/// found, 126: not executable).
class ExecError : public ShellError {
  public:
    ExecError(const std::string& message, std::string hint, int status)
        : ShellError(message, std::move(hint)), status_(status) {}
    [[nodiscard]] int status() const noexcept { return status_; }

  private:
    int status_;
};

/// The argument vector that runs `command` after `script`'s activate.d scripts (the command
/// itself when there are none). `shell` is the POSIX shell to use for the scripts.
std::vector<std::string> run_argv(const Script& script, const std::vector<std::string>& command,
                                  const std::string& shell);

/// Replaces this process with `command`, its environment being `vars` after `script`'s
/// changes. Returns only by throwing ExecError.
[[noreturn]] void exec_activated(const Variables& vars, const Script& script,
                                 const std::vector<std::string>& command);

}  // namespace cenv::shell

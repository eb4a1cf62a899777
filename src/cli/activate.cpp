// `cenv activate` / `cenv deactivate` reach the binary only when the shell hook is not set up
// (the hook's `cenv` function handles them itself): a process cannot change its parent
// shell, so they say how to set the hook up.

#include <cstdlib>
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "shell/error.hpp"
#include "shell/shell_kind.hpp"

namespace cenv::cli {

namespace {

void add_one(CLI::App& app, Action& action, const char* name, const char* description) {
    auto* cmd = app.add_subcommand(name, description);
    cmd->allow_extras();
    cmd->footer(
        "Through the hook:\n"
        "  cenv activate [NAME | PATH] [--stack] [-r ROOT]\n"
        "  cenv deactivate\n"
        "--stack keeps the active environment's programs on PATH below the new one; without\n"
        "NAME or PATH, the environment the project names is activated.\n\n"
        "Needs the shell hook: 'cenv shell init -s bash' once (zsh, fish, posix alike), or\n"
        "eval \"$(cenv shell hook -s bash)\" in this shell.\n\n"
        "Examples:\n  cenv activate torch\n  cenv activate ./envs/app --stack\n"
        "  cenv activate                  # the environment this project names (.cenv, "
        "environment.yml)\n  cenv deactivate");
    const std::string command = name;
    cmd->callback([command, &action] {
        action = [command]() -> int {
            const char* login = std::getenv("SHELL");
            std::string shell = login != nullptr ? std::filesystem::path(login).filename().string()
                                                 : std::string("bash");
            if (!shell::parse_shell(shell)) {
                shell = "bash";
            }
            throw shell::ShellError(
                fmt::format("'cenv {}' needs cenv's shell hook, which this shell does not have",
                            command),
                fmt::format("set it up with 'cenv shell init -s {0}' and open a new shell, or "
                            "run: eval \"$(cenv shell hook -s {0})\"; 'cenv run -n NAME "
                            "COMMAND' runs one command in an environment without it",
                            shell));
        };
    });
}

}  // namespace

void add_activate_commands(CLI::App& app, Action& action) {
    add_one(app, action, "activate", "Activate an environment in this shell (through the hook)");
    add_one(app, action, "deactivate", "Deactivate the active environment (through the hook)");
}

}  // namespace cenv::cli

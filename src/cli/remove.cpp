// `cenv remove`: Remove packages, and what depends on them, from an environment

#include <memory>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/env_solve.hpp"

namespace cenv::cli {

void add_remove_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<EnvOptions>();
    auto* cmd = app.add_subcommand(
        "remove", "Remove packages, and what depends on them, from an environment");
    cmd->footer(
        "Examples:\n"
        "  cenv remove -n comfy numpy             numpy and the packages that depend on it\n"
        "  cenv remove -n comfy numpy --force     numpy only\n"
        "  cenv remove -n comfy numpy --dry-run   what would go\n"
        "\n"
        "Pre-unlink scripts run first; the files go all or nothing, and folders left empty\n"
        "are removed. 'cenv env remove' removes a whole environment.");
    add_env_options(*cmd, *options, false);
    cmd->add_flag("--force", options->force,
                  "Remove only the named packages, not their dependants");
    cmd->callback([options, &action] {
        action = [options] {
            return run_env_command(*options, solver::Request::Op::remove, "remove");
        };
    });
}

}  // namespace cenv::cli

// `cenv update`: Update packages of an existing environment to their newest allowed builds

#include <memory>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/env_solve.hpp"

namespace cenv::cli {

void add_update_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<EnvOptions>();
    auto* cmd = app.add_subcommand(
        "update", "Update packages of an existing environment to their newest allowed builds");
    cmd->footer(
        "Examples:\n"
        "  cenv update -n comfy numpy -c ./chan          numpy to its newest allowed build\n"
        "  cenv update -n comfy --all -c ./chan --dry-run   what updating everything would do\n"
        "\n"
        "Old builds are unlinked and new ones linked in one transaction, all or nothing.");
    add_env_options(*cmd, *options, true);
    cmd->add_flag("--all", options->all, "Update every package of the environment");
    cmd->callback([options, &action] {
        action = [options] {
            return run_env_command(*options, solver::Request::Op::update, "update");
        };
    });
}

}  // namespace cenv::cli

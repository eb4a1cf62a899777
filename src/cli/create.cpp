// `cenv create`: Create an environment from package specs (solves; installing comes later)

#include <memory>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/env_solve.hpp"

namespace cenv::cli {

void add_create_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<EnvOptions>();
    auto* cmd = app.add_subcommand(
        "create", "Create an environment from package specs (solves; installing comes later)");
    cmd->footer(
        "Examples:\n  cenv create -n comfy python=3.10 numpy -c ./chan --dry-run\n  cenv create -p "
        "/tmp/env pytorch -c ./pytorch -c ./deps --json --dry-run\n"
        "\n"
        "Channels: those given with -c, then the configured ones (cenv config channels shows\n"
        "them and the mirrors tried); --override-channels uses -c only.");
    add_env_options(*cmd, *options, true);

    cmd->callback([options, &action] {
        action = [options] {
            return run_env_command(*options, solver::Request::Op::install, "create");
        };
    });
}

}  // namespace cenv::cli

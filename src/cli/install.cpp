// `cenv install`: Add or change packages in an existing environment

#include <memory>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/env_solve.hpp"

namespace cenv::cli {

void add_install_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<EnvOptions>();
    auto* cmd = app.add_subcommand("install", "Add or change packages in an existing environment");
    cmd->footer(
        "Examples:\n"
        "  cenv install -n comfy numpy=1.26 -c ./chan           show the plan, ask, install\n"
        "  cenv install -n comfy torch=cu121 -c ./conda-forge --dry-run   the plan only\n"
        "  cenv install -p ./env -y --json scipy -c ./chan       no question; what was done\n"
        "\n"
        "The environment changes all or nothing (see 'cenv create --help'); the spec is\n"
        "recorded in conda-meta/history and kept by later solves. PyTorch variants\n"
        "(torch=cu121, torch=2.1=cu118, torch=cuda, torch=cpu): see 'cenv create --help'.");
    add_env_options(*cmd, *options, true);

    cmd->callback([options, &action] {
        action = [options] {
            return run_env_command(*options, solver::Request::Op::install, "install");
        };
    });
}

}  // namespace cenv::cli

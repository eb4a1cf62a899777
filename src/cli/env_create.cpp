// `cenv env create [-f FILE]`: create an environment from an environment file (conda's
// `conda env create`; the file defaults to ./environment.yml).

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/env_files.hpp"
#include "cli/env_solve.hpp"

namespace cenv::cli {

void add_env_create_command(CLI::App& env, Action& action) {
    auto options = std::make_shared<EnvOptions>();
    auto file = std::make_shared<std::string>("environment.yml");
    auto* cmd = env.add_subcommand("create", "Create an environment from an environment file");
    cmd->footer(
        "The file gives the name (unless -n or -p does), the channels (after those given\n"
        "with -c; 'nodefaults' among them means --override-channels), the packages, and a\n"
        "pip: section that the environment's own pip installs afterwards, through the\n"
        "configured PyPI mirror (pip_index_url) when there is one.\n"
        "\n"
        "Examples:\n"
        "  cenv env create                             ./environment.yml\n"
        "  cenv env create -f env.yml -n comfy --dry-run\n"
        "  cenv env create -f env.yml -c ./local-channel --override-channels");
    add_env_options(*cmd, *options, true);
    cmd->add_option("-f,--file", *file, "The environment file (default: ./environment.yml)");
    cmd->add_flag("--force", options->force,
                  "Replace the environment when one exists at the path (its packages go)");
    cmd->callback([options, file, &action] {
        action = [options, file] {
            return run_with_environment_files(*options, {*file}, solver::Request::Op::install,
                                              "create");
        };
    });
}

}  // namespace cenv::cli

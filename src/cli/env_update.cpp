// `cenv env update [-f FILE]`: bring an environment in line with an environment file
// (conda's `conda env update`): its packages are installed or updated in the environment,
// which is created when it does not exist yet; --prune removes what the file does not need.

#include <filesystem>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/env_files.hpp"
#include "cli/env_solve.hpp"

namespace cenv::cli {

void add_env_update_command(CLI::App& env, Action& action) {
    auto options = std::make_shared<EnvOptions>();
    auto file = std::make_shared<std::string>("environment.yml");
    auto* cmd =
        env.add_subcommand("update", "Install or update an environment's packages from a file");
    cmd->footer(
        "The environment is the one -n / -p names, else the file's name; it is created when\n"
        "it does not exist. The pip: section runs afterwards with its own pip.\n"
        "\n"
        "Examples:\n"
        "  cenv env update -n comfy -f environment.yml --dry-run\n"
        "  cenv env update -f environment.yml --prune     also remove what the file does not "
        "need");
    add_env_options(*cmd, *options, true);
    cmd->add_option("-f,--file", *file, "The environment file (default: ./environment.yml)");
    cmd->callback([options, file, &action] {
        action = [options, file] {
            return run_with_environment_files(*options, {*file}, solver::Request::Op::install,
                                              "env update");
        };
    });
}

}  // namespace cenv::cli

// `cenv env`: the commands that work on whole environments (conda's `conda env ...`).

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace cenv::cli {

void add_env_command(CLI::App& app, Action& action) {
    auto* env = app.add_subcommand("env",
                                   "Work on whole environments: list, remove, export, "
                                   "create or update from a file, their variables");
    env->footer(
        "Examples:\n"
        "  cenv env list                             the environments, * marks the active one\n"
        "  cenv env export -n comfy > environment.yml\n"
        "  cenv env create -f environment.yml        name, channels and packages from the file\n"
        "  cenv env update -n comfy -f environment.yml --prune\n"
        "  cenv env remove -n old-env -y");
    env->require_subcommand(1);
    add_env_list_command(*env, action);
    add_env_remove_command(*env, action);
    add_env_export_command(*env, action);
    add_env_create_command(*env, action);
    add_env_update_command(*env, action);
}

}  // namespace cenv::cli

#pragma once
// Each cenv command registers itself on the top-level CLI::App. One file per command.

#include <functional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace cenv::cli {

/// What a command does once its arguments are parsed; returns the exit status. Commands
/// set it from their CLI11 callback, so that parsing and running stay apart.
using Action = std::function<int()>;

/// `cenv search`: list the records of local channels that match specs.
void add_search_command(CLI::App& app, Action& action);

/// `cenv create`: solve a new environment from specs and install it.
void add_create_command(CLI::App& app, Action& action);

/// `cenv install`: add or change packages in an existing environment.
void add_install_command(CLI::App& app, Action& action);

/// `cenv update`: update packages (or --all) of an existing environment.
void add_update_command(CLI::App& app, Action& action);

/// `cenv remove`: remove packages and their dependants from an environment.
void add_remove_command(CLI::App& app, Action& action);

/// `cenv list`: the packages of an environment (conda's and pip's).
void add_list_command(CLI::App& app, Action& action);

/// `cenv env`: list, remove, export, create and update environments (registers the ones below).
void add_env_command(CLI::App& app, Action& action);

/// `cenv env list`: the environments of this machine, the active one marked.
void add_env_list_command(CLI::App& env, Action& action);

/// `cenv env remove`: delete an environment and unregister it.
void add_env_remove_command(CLI::App& env, Action& action);

/// `cenv env export`: an environment as environment.yml (or an explicit file).
void add_env_export_command(CLI::App& env, Action& action);

/// `cenv env create -f FILE`: create an environment from an environment file.
void add_env_create_command(CLI::App& env, Action& action);

/// `cenv env update -f FILE`: bring an environment in line with an environment file.
void add_env_update_command(CLI::App& env, Action& action);

/// `cenv info`: version, paths and the virtual packages of this machine, with their sources.
void add_info_command(CLI::App& app, Action& action);

/// `cenv config`: show and edit settings.
void add_config_command(CLI::App& app, Action& action);

/// `cenv config mirror`: the mirror presets (registered by add_config_command).
void add_config_mirror_commands(CLI::App& config, Action& action);

/// `cenv doctor`: diagnose the driver, CUDA, PyTorch and mirrors for an environment.
void add_doctor_command(CLI::App& app, Action& action);

/// `cenv mirror test`: time the mirror presets from here, best first.
void add_mirror_command(CLI::App& app, Action& action);

/// `cenv clean`: remove archives, extracted packages and stale locks from the package cache.
void add_clean_command(CLI::App& app, Action& action);

/// `cenv shell`: hook, init, deinit, and the activation code the hook evaluates.
void add_shell_command(CLI::App& app, Action& action);

/// `cenv shell complete` (hidden), registered by add_shell_command; `root` is the whole CLI.
void add_shell_complete_command(CLI::App& shell_group, const CLI::App& root, Action& action);

/// `cenv activate` / `cenv deactivate` without the hook: how to set it up.
void add_activate_commands(CLI::App& app, Action& action);

/// `cenv run`: a command in an environment, without a shell. `command` is what
/// split_run_command took off the arguments.
void add_run_command(CLI::App& app, Action& action, std::vector<std::string> command);

/// For `cenv run ...` (`args` without the program name): takes the command (everything from
/// the first word that is not one of run's options, or after `--`) off `args` and returns
/// it, so that the command's own options and words (`-n`, `info`) never reach cenv's parser.
std::vector<std::string> split_run_command(std::vector<std::string>& args);

/// `cenv env config vars list|set|unset`, under the `env` group (created when missing).
void add_env_config_vars_commands(CLI::App& app, Action& action);

}  // namespace cenv::cli

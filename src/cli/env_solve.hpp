#pragma once
// What `create`, `install`, `update` and `remove` share: the options that name an
// environment and its channels, building the solver's database from them, and printing the
// planned transaction (micromamba's JSON layout with --json, a readable plan otherwise).

#include <string>
#include <vector>

#include "solver/request.hpp"

namespace CLI {
class App;
}

namespace cenv::cli {

struct EnvOptions {
    std::string name;    ///< -n: an environment under <root>/envs
    std::string prefix;  ///< -p: an environment anywhere
    std::string root;    ///< -r: the root prefix (default CENV_ROOT_PREFIX or ~/.cenv)
    std::vector<std::string> channels;
    std::string platform;
    std::string channel_priority;  ///< empty: the channel_priority setting
    std::string safety_checks;     ///< empty: the safety_checks setting
    std::vector<std::string> specs;
    bool dry_run = false;
    bool json = false;
    bool offline = false;
    bool mirror_only = false;
    bool verbose = false;
    bool override_channels = false;
    bool yes = false;
    bool all = false;
    bool freeze_installed = false;
    bool no_deps = false;
    bool only_deps = false;
    bool force_reinstall = false;
    bool force = false;
    bool no_pin = false;
    bool update_deps = false;
    bool prune = false;
    bool satisfied_skip_solve = false;
};

/// Adds the options every environment command has (-n/-p/-r, --dry-run, --json, -y, ...) and,
/// when `with_channels`, the channel options (-c, --override-channels, --platform,
/// --channel-priority) and the solve modifiers of install/update.
void add_env_options(CLI::App& cmd, EnvOptions& options, bool with_channels);

/// Solves `op` for the environment `options` names, prints the plan and (unless --dry-run)
/// executes it. `command` is the command's name for messages. Returns the exit status.
int run_env_command(const EnvOptions& options, solver::Request::Op op, const char* command);

}  // namespace cenv::cli

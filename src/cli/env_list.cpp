// `cenv env list`: the environments of this machine (the root prefix, the envs folders, and
// those registered in ~/.conda/environments.txt), the active one marked.

#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/env_target.hpp"
#include "cli/table.hpp"
#include "config/settings.hpp"
#include "install/known_environments.hpp"

namespace cenv::cli {

namespace {

struct EnvListOptions {
    std::string root;
    bool json = false;
};

int run_env_list(const EnvListOptions& options) {
    const auto root = config::root_prefix(options.root);
    config::LoadOptions load;
    load.root = options.root;
    const auto settings = config::Settings::load(load);
    const auto known = install::known_environments(
        root, envs_dirs(settings, root), config::home_dir() / ".conda" / "environments.txt");
    const auto active = active_prefix();
    if (options.json) {
        nlohmann::json envs = nlohmann::json::array();
        for (const auto& env : known) {
            envs.push_back(env.prefix.string());
        }
        std::cout << nlohmann::json{{"envs", envs},
                                    {"active_prefix", active.empty()
                                                          ? nlohmann::json(nullptr)
                                                          : nlohmann::json(active.string())}}
                         .dump(2)
                  << '\n';
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& env : known) {
        rows.push_back({environment_name(env.prefix, settings, root),
                        env.prefix == active ? "*" : "", env.prefix.string()});
    }
    if (rows.empty()) {
        std::cout << fmt::format(
            "No environments yet (looked in {} and ~/.conda/environments.txt).\n"
            "Create one: cenv create -n myenv python=3.11\n",
            envs_dirs(settings, root).front().string());
        return 0;
    }
    std::cout << render_table({"Name", "Active", "Path"}, rows);
    return 0;
}

}  // namespace

void add_env_list_command(CLI::App& env, Action& action) {
    auto options = std::make_shared<EnvListOptions>();
    auto* cmd = env.add_subcommand("list", "List the environments (* marks the active one)");
    cmd->footer(
        "Lists the root prefix when it is an environment (base), the environments in the envs\n"
        "folders (envs_dirs, default <root>/envs), and those conda and micromamba registered\n"
        "in ~/.conda/environments.txt. An environment outside the envs folders has no name:\n"
        "use its path with -p.\n"
        "\n"
        "Examples:\n"
        "  cenv env list\n"
        "  cenv env list --json        {\"envs\": [...]}, as conda prints it");
    cmd->add_option("-r,--root-prefix", options->root,
                    "Root prefix (default: $CENV_ROOT_PREFIX or ~/.cenv)");
    cmd->add_flag("--json", options->json, "Print JSON (conda's layout)");
    cmd->callback([options, &action] { action = [options] { return run_env_list(*options); }; });
}

}  // namespace cenv::cli

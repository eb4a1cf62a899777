// `cenv env config vars list|set|unset`: the variables an environment sets when it is
// activated, kept in its conda-meta/state as conda keeps them (shell/env_vars.hpp).

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "config/settings.hpp"
#include "shell/env_vars.hpp"
#include "shell/environments.hpp"
#include "shell/error.hpp"
#include "shell/project.hpp"

namespace cenv::cli {

namespace {

namespace fs = std::filesystem;

struct VarsOptions {
    std::string name;
    std::string prefix;
    std::string root;
    std::vector<std::string> args;
    bool json = false;
};

// -p, -n, else the active environment, else the project's.
fs::path target(const VarsOptions& options) {
    config::LoadOptions load;
    load.root = options.root;
    const auto settings = config::Settings::load(load);
    const auto environments =
        shell::Environments::from_settings(settings, config::root_prefix(options.root));
    if (!options.prefix.empty()) {
        return environments.locate(shell::expand_path(options.prefix).string());
    }
    if (options.name.empty()) {
        if (const char* active = std::getenv("CONDA_PREFIX"); active != nullptr && *active) {
            return environments.locate(shell::expand_path(active).string());
        }
    }
    std::error_code ec;
    return shell::locate_environment(options.name, environments, fs::current_path(ec));
}

int list(const VarsOptions& options) {
    const auto vars = shell::state_variables(target(options));
    if (options.json) {
        nlohmann::ordered_json out = nlohmann::ordered_json::object();
        for (const auto& v : vars) {
            out[v.name] = v.value;
        }
        std::cout << out.dump(2) << '\n';
        return 0;
    }
    for (const auto& v : vars) {
        std::cout << v.name << " = " << v.value << '\n';
    }
    return 0;
}

int set(const VarsOptions& options) {
    std::vector<shell::EnvVar> vars;
    for (const auto& arg : options.args) {
        const auto eq = arg.find('=');
        if (eq == std::string::npos) {
            throw shell::ShellError(fmt::format("'{}' is not NAME=VALUE", arg),
                                    "for example: cenv env config vars set CUDA_VISIBLE_DEVICES=0");
        }
        vars.push_back({arg.substr(0, eq), arg.substr(eq + 1)});
    }
    const auto prefix = target(options);
    shell::set_state_variables(prefix, vars);
    std::cout << fmt::format(
        "Set in {}. Activate the environment (again, where it is active) for them to apply.\n",
        prefix.string());
    return 0;
}

int unset(const VarsOptions& options) {
    const auto prefix = target(options);
    const auto missing = shell::unset_state_variables(prefix, options.args);
    for (const auto& name : missing) {
        std::cerr << fmt::format("note: {} was not set in {}\n", name, prefix.string());
    }
    std::cout << "Activate the environment (again, where it is active) for the change to apply.\n";
    return 0;
}

void add_target_options(CLI::App& cmd, VarsOptions& options) {
    auto* name = cmd.add_option("-n,--name", options.name, "Environment name");
    cmd.add_option("-p,--prefix", options.prefix, "Environment path")->excludes(name);
    cmd.add_option("-r,--root-prefix", options.root,
                   "Root prefix (default: $CENV_ROOT_PREFIX or ~/.cenv)");
}

// The `env` group, whoever registered it first.
CLI::App& env_group(CLI::App& app) {
    for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        if (sub->get_name() == "env") {
            return *sub;
        }
    }
    auto* env = app.add_subcommand("env", "Manage environments");
    env->require_subcommand(1);
    return *env;
}

}  // namespace

void add_env_config_vars_commands(CLI::App& app, Action& action) {
    auto options = std::make_shared<VarsOptions>();
    auto* config = env_group(app).add_subcommand(
        "config", "An environment's own settings: variables set on activation");
    config->require_subcommand(1);
    config->footer(
        "Examples:\n  cenv env config vars set -n torch CUDA_VISIBLE_DEVICES=0\n"
        "  cenv env config vars list -n torch");
    auto* vars = config->add_subcommand(
        "vars", "Variables set when the environment is activated (conda-meta/state, as conda)");
    vars->require_subcommand(1);
    vars->footer(
        "Without -n or -p: the active environment, else the one this project names.\n"
        "\nExamples:\n  cenv env config vars set -n torch CUDA_VISIBLE_DEVICES=0 HF_HOME=/data/hf\n"
        "  cenv env config vars list -n torch\n  cenv env config vars unset -n torch HF_HOME");

    auto* list_cmd = vars->add_subcommand("list", "Show the variables");
    add_target_options(*list_cmd, *options);
    list_cmd->add_flag("--json", options->json, "Print a JSON object");
    list_cmd->callback([options, &action] { action = [options] { return list(*options); }; });

    auto* set_cmd = vars->add_subcommand("set", "Set variables: NAME=VALUE ...");
    set_cmd->add_option("vars", options->args, "NAME=VALUE")->required();
    add_target_options(*set_cmd, *options);
    set_cmd->callback([options, &action] { action = [options] { return set(*options); }; });

    auto* unset_cmd = vars->add_subcommand("unset", "Remove variables: NAME ...");
    unset_cmd->add_option("names", options->args, "NAME")->required();
    add_target_options(*unset_cmd, *options);
    unset_cmd->callback([options, &action] { action = [options] { return unset(*options); }; });
}

}  // namespace cenv::cli

// `cenv env export`: an environment as environment.yml text (conda's layout; JSON with
// --json), from what it holds or (--from-history) from what was asked for.

#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/env_target.hpp"
#include "config/rc_edit.hpp"
#include "config/settings.hpp"
#include "install/environment_export.hpp"
#include "shell/env_vars.hpp"
#include "specs/environment_file.hpp"
#include "specs/prefix_record.hpp"
#include "specs/spec_file.hpp"

namespace cenv::cli {

namespace {

struct EnvExportOptions {
    std::string name;
    std::string prefix;
    std::string root;
    std::string file;
    bool from_history = false;
    bool no_builds = false;
    bool json = false;
    bool explicit_file = false;
};

nlohmann::json environment_json(const specs::EnvironmentFile& env) {
    nlohmann::json dependencies = env.dependencies;
    if (!env.pip.empty()) {
        dependencies.push_back({{"pip", env.pip}});
    }
    nlohmann::json out = {
        {"name", env.name}, {"channels", env.channels}, {"dependencies", dependencies}};
    if (!env.variables.empty()) {
        nlohmann::json variables = nlohmann::json::object();
        for (const auto& [name, value] : env.variables) {
            variables[name] = value;
        }
        out["variables"] = variables;
    }
    out["prefix"] = env.prefix;
    return out;
}

int run_env_export(const EnvExportOptions& options) {
    const auto root = config::root_prefix(options.root);
    config::LoadOptions load;
    load.root = options.root;
    const auto settings = config::Settings::load(load);
    const auto prefix = existing_environment(options.name, options.prefix, settings, root);
    install::ExportOptions how;
    how.name = environment_name(prefix, settings, root);
    if (how.name.empty() || how.name == "base") {
        how.name = prefix.filename().string();  // conda names any environment by its folder
    }
    how.from_history = options.from_history;
    how.no_builds = options.no_builds;
    std::string text;
    if (options.explicit_file) {
        const auto records = specs::load_prefix_records(prefix);
        text = specs::explicit_file_text(records, install::prefix_platform(records),
                                         specs::ExplicitHash::md5);
    } else {
        specs::EnvironmentFile env = install::export_environment(prefix, how);
        for (const auto& var : shell::state_variables(prefix)) {
            env.variables.emplace_back(var.name, var.value);
        }
        text =
            options.json ? environment_json(env).dump(2) + "\n" : specs::environment_yaml_text(env);
    }
    if (options.file.empty()) {
        std::cout << text;
        return 0;
    }
    config::write_file_atomically(options.file, text);
    std::cerr << fmt::format("Wrote {}; recreate the environment with: cenv env create -f {}\n",
                             options.file, options.file);
    return 0;
}

}  // namespace

void add_env_export_command(CLI::App& env, Action& action) {
    auto options = std::make_shared<EnvExportOptions>();
    auto* cmd = env.add_subcommand("export", "Print an environment as environment.yml");
    cmd->footer(
        "Every conda package as name=version=build (name=version with --no-builds), the\n"
        "channels they came from, and what pip installed in a pip section. With\n"
        "--from-history, only the specs you asked for (conda-meta/history) and the packages\n"
        "pip was asked for: a file that solves again on another machine or platform.\n"
        "\n"
        "Examples:\n"
        "  cenv env export -n comfy > environment.yml      exact, for this platform\n"
        "  cenv env export -n comfy --from-history -f environment.yml\n"
        "                                                  portable: what you asked for\n"
        "  cenv env create -n comfy2 -f environment.yml    make it again\n"
        "  cenv list -n comfy --explicit --md5             exact URLs, installed without a "
        "solve\n"
        "\n"
        "Without -n or -p, the active environment is exported.");
    auto* name = cmd->add_option("-n,--name", options->name, "Environment name");
    cmd->add_option("-p,--prefix", options->prefix, "Environment path")->excludes(name);
    cmd->add_option("-r,--root-prefix", options->root,
                    "Root prefix (default: $CENV_ROOT_PREFIX or ~/.cenv)");
    cmd->add_option("-f,--file", options->file, "Write to this file instead of the output");
    cmd->add_flag("--from-history", options->from_history,
                  "Only the specs you asked for (conda-meta/history), not every package");
    cmd->add_flag("--no-builds", options->no_builds, "Leave build strings out (name=version)");
    auto* json = cmd->add_flag("--json", options->json, "Print JSON (conda's layout)");
    cmd->add_flag("--explicit", options->explicit_file,
                  "Write an explicit file instead: each conda package's URL and md5, installed "
                  "exactly, without a solve (pip's packages are not in it)")
        ->excludes(json);
    cmd->callback([options, &action] { action = [options] { return run_env_export(*options); }; });
}

}  // namespace cenv::cli

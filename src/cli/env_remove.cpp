// `cenv env remove -n NAME | -p PREFIX`: delete an environment and unregister it.

#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/env_target.hpp"
#include "config/settings.hpp"
#include "install/environment_removal.hpp"
#include "specs/prefix_record.hpp"
#include "util/error.hpp"

namespace cenv::cli {

namespace {

struct EnvRemoveOptions {
    std::string name;
    std::string prefix;
    std::string root;
    bool yes = false;
    bool dry_run = false;
    bool json = false;
};

/// Asked on a terminal only (as the other commands do), never with -y or --json; the answer
/// defaults to no: nothing of a removed environment comes back.
bool confirmed(const EnvRemoveOptions& options, const std::string& question) {
    if (options.yes || options.json || ::isatty(STDIN_FILENO) == 0) {
        return true;
    }
    std::cerr << question << " [y/N] " << std::flush;
    std::string answer;
    return std::getline(std::cin, answer) && (answer == "y" || answer == "Y" || answer == "yes");
}

int run_env_remove(const EnvRemoveOptions& options) {
    if (options.name.empty() && options.prefix.empty()) {
        throw util::Error("name the environment to remove",
                          "cenv env remove -n NAME (or -p PATH); cenv env list shows them");
    }
    const auto root = config::root_prefix(options.root);
    config::LoadOptions load;
    load.root = options.root;
    const auto settings = config::Settings::load(load);
    const auto prefix = existing_environment(options.name, options.prefix, settings, root);
    if (prefix == active_prefix()) {
        throw util::Error(fmt::format("{} is the active environment", prefix.string()),
                          "deactivate it first (cenv deactivate), then remove it");
    }
    if (environment_name(prefix, settings, root) == "base") {
        throw util::Error(
            fmt::format("{} is the root prefix, not an environment to remove", prefix.string()),
            "remove the environments in it by name; cenv clean empties its cache");
    }
    const std::size_t packages = specs::load_prefix_records(prefix).size();
    const std::string what =
        fmt::format("{} ({} package{})", prefix.string(), packages, packages == 1 ? "" : "s");
    if (options.dry_run) {
        if (options.json) {
            std::cout << nlohmann::json{{"success", true},
                                        {"dry_run", true},
                                        {"prefix", prefix.string()},
                                        {"packages", packages}}
                             .dump(2)
                      << '\n';
        } else {
            std::cout << fmt::format(
                "Would remove the environment {} (dry run: nothing was "
                "removed)\n",
                what);
        }
        return 0;
    }
    if (!confirmed(options, fmt::format("Remove the environment {}?", what))) {
        std::cerr << "Aborted: nothing was removed.\n";
        return 1;
    }
    install::remove_environment(prefix);
    if (options.json) {
        std::cout << nlohmann::json{{"success", true},
                                    {"dry_run", false},
                                    {"prefix", prefix.string()},
                                    {"packages", packages}}
                         .dump(2)
                  << '\n';
    } else {
        std::cout << fmt::format("Removed the environment {}\n", what);
    }
    return 0;
}

}  // namespace

void add_env_remove_command(CLI::App& env, Action& action) {
    auto options = std::make_shared<EnvRemoveOptions>();
    auto* cmd = env.add_subcommand("remove", "Delete an environment and unregister it");
    cmd->footer(
        "The environment's folder is deleted and taken out of ~/.conda/environments.txt; the\n"
        "package cache keeps its packages (cenv clean removes them). The active environment\n"
        "and the root prefix are refused. On a terminal it asks first (-y does not).\n"
        "\n"
        "Examples:\n"
        "  cenv env remove -n old-env --dry-run\n"
        "  cenv env remove -n old-env -y\n"
        "  cenv env remove -p /data/envs/tmp -y");
    auto* name = cmd->add_option("-n,--name", options->name, "Environment name");
    cmd->add_option("-p,--prefix", options->prefix, "Environment path")->excludes(name);
    cmd->add_option("-r,--root-prefix", options->root,
                    "Root prefix (default: $CENV_ROOT_PREFIX or ~/.cenv)");
    cmd->add_flag("-y,--yes", options->yes, "Do not ask for confirmation");
    cmd->add_flag("--dry-run", options->dry_run, "Say what would be removed; remove nothing");
    cmd->add_flag("--json", options->json, "Print JSON");
    cmd->callback([options, &action] { action = [options] { return run_env_remove(*options); }; });
}

}  // namespace cenv::cli

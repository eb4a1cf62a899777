// `cenv run`: run one command in an environment, with its activation applied and no shell
// hook needed. The command replaces cenv (see shell/run.hpp): its exit status and signals
// are its own.

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/detection.hpp"
#include "config/settings.hpp"
#include "shell/context.hpp"
#include "shell/project.hpp"
#include "shell/run.hpp"

namespace cenv::cli {

namespace {

struct RunOptions {
    std::string name;
    std::string prefix;
    std::string root;
};

int run_command(const RunOptions& options, const std::vector<std::string>& command) {
    config::LoadOptions load;
    load.root = options.root;
    const auto settings = config::Settings::load(load);
    const auto root = config::root_prefix(options.root);
    const auto environments = shell::Environments::from_settings(settings, root);
    std::error_code ec;
    const auto target =
        !options.prefix.empty() ? shell::expand_path(options.prefix).string() : options.name;
    const auto prefix =
        shell::locate_environment(target, environments, std::filesystem::current_path(ec));
    auto context =
        shell::process_context(shell::Shell::posix, settings, environments, detect_options(root));
    context.changeps1 = false;  // no prompt: a command, not a shell
    const shell::Script script = shell::activate(context, prefix, false);
    for (const auto& w : script.warnings) {
        std::cerr << "warning: " << w << '\n';
    }
    try {
        shell::exec_activated(context.vars, script, command);
    } catch (const shell::ExecError& e) {
        std::cerr << "error: " << e.what() << '\n';
        if (!e.hint().empty()) {
            std::cerr << "hint: " << e.hint() << '\n';
        }
        return e.status();
    }
}

}  // namespace

std::vector<std::string> split_run_command(std::vector<std::string>& args) {
    std::vector<std::string> command;
    if (args.empty() || args.front() != "run") {
        return command;
    }
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") {
            command.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
            args.resize(i);
            break;
        }
        if (arg == "-n" || arg == "--name" || arg == "-p" || arg == "--prefix" || arg == "-r" ||
            arg == "--root-prefix") {
            ++i;  // its value
            continue;
        }
        if (!arg.starts_with('-')) {
            command.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
            args.resize(i);
            break;
        }
    }
    return command;
}

void add_run_command(CLI::App& app, Action& action, std::vector<std::string> command) {
    auto options = std::make_shared<RunOptions>();
    auto* cmd = app.add_subcommand(
        "run", "Run a command in an environment (activation applied; no shell hook needed)");
    cmd->footer(
        "Everything after the environment options is the command. Its exit status and the\n"
        "signals sent to it are its own (cenv replaces itself with it). Without -n or -p: the\n"
        "environment this project names (.cenv, environment.yml in this folder or above).\n"
        "\nExamples:\n  cenv run -n torch python -c 'import torch; "
        "print(torch.cuda.is_available())'\n"
        "  cenv run -p ./envs/app -- make test\n  cenv run pytest        # in a project folder");
    auto* name = cmd->add_option("-n,--name", options->name, "Environment name");
    cmd->add_option("-p,--prefix", options->prefix, "Environment path")->excludes(name);
    cmd->add_option("-r,--root-prefix", options->root,
                    "Root prefix (default: $CENV_ROOT_PREFIX or ~/.cenv)");
    cmd->callback([options, command, &action] {
        action = [options, command] { return run_command(*options, command); };
    });
}

}  // namespace cenv::cli

// `cenv shell complete -- WORDS...` (hidden): the candidates the shells' completion functions
// offer. The command tree is read from the CLI itself; the rest is shell/completion.hpp.

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "config/settings.hpp"
#include "shell/completion.hpp"
#include "shell/environments.hpp"
#include "shell/package_names.hpp"
#include "specs/prefix_record.hpp"
#include "util/error.hpp"

namespace cenv::cli {

namespace {

namespace fs = std::filesystem;

// What the positional words of a command are, by its path below `cenv`.
shell::PositionalKind positional_kind(const std::string& path) {
    static const std::map<std::string, shell::PositionalKind> kinds = {
        {"activate", shell::PositionalKind::environments},
        {"shell activate", shell::PositionalKind::environments},
        {"create", shell::PositionalKind::packages},
        {"install", shell::PositionalKind::packages},
        {"update", shell::PositionalKind::packages},
        {"search", shell::PositionalKind::packages},
        {"remove", shell::PositionalKind::installed_packages},
    };
    const auto it = kinds.find(path);
    return it == kinds.end() ? shell::PositionalKind::none : it->second;
}

shell::CompletionCommand tree_of(const CLI::App& app, const std::string& path) {
    shell::CompletionCommand cmd;
    cmd.name = app.get_name();
    cmd.positional = positional_kind(path);
    for (const CLI::Option* opt : app.get_options()) {
        if (opt->get_positional() || opt->get_group().empty()) {
            continue;
        }
        const bool takes_value = opt->get_items_expected_max() > 0;
        for (const auto& n : opt->get_snames()) {
            cmd.flags.push_back("-" + n);
            if (takes_value) {
                cmd.value_flags.push_back("-" + n);
            }
        }
        for (const auto& n : opt->get_lnames()) {
            cmd.flags.push_back("--" + n);
            if (takes_value) {
                cmd.value_flags.push_back("--" + n);
            }
        }
    }
    for (const CLI::App* sub : app.get_subcommands({})) {
        if (sub->get_group().empty()) {
            continue;  // hidden
        }
        const std::string sub_path = path.empty() ? sub->get_name() : path + " " + sub->get_name();
        cmd.subcommands.push_back(tree_of(*sub, sub_path));
    }
    return cmd;
}

// `cenv activate` / `deactivate` are typed to the hook, which runs `cenv shell activate` /
// `deactivate -s SHELL`: they complete like those, without -s.
void complete_like_shell_commands(shell::CompletionCommand& tree) {
    const shell::CompletionCommand* shell_group = nullptr;
    for (const auto& sub : tree.subcommands) {
        if (sub.name == "shell") {
            shell_group = &sub;
        }
    }
    if (shell_group == nullptr) {
        return;
    }
    for (auto& top : tree.subcommands) {
        for (const auto& inner : shell_group->subcommands) {
            if (inner.name == top.name && (top.name == "activate" || top.name == "deactivate")) {
                top.flags = inner.flags;
                top.value_flags = inner.value_flags;
                for (auto* list : {&top.flags, &top.value_flags}) {
                    std::erase_if(*list,
                                  [](const std::string& f) { return f == "-s" || f == "--shell"; });
                }
            }
        }
    }
}

int complete(const CLI::App& root, const std::vector<std::string>& words) {
    const auto settings = config::Settings::load();
    const fs::path root_prefix = config::root_prefix();
    const auto environments = shell::Environments::from_settings(settings, root_prefix);
    shell::CompletionSources sources;
    sources.environments = [&] {
        std::vector<std::string> names;
        for (const auto& env : environments.list()) {
            names.push_back(env.name);
        }
        return names;
    };
    sources.packages = [&](std::string_view prefix) {
        return shell::package_names(root_prefix / "pkgs" / "cache", prefix);
    };
    sources.installed = [&](const std::string& name, const std::string& prefix) {
        std::vector<std::string> names;
        fs::path env;
        try {
            if (!prefix.empty() || !name.empty()) {
                env = environments.locate(prefix.empty() ? name
                                                         : shell::expand_path(prefix).string());
            } else if (const char* active = std::getenv("CONDA_PREFIX"); active != nullptr) {
                env = active;
            }
        } catch (const util::Error&) {
            return names;  // no such environment: nothing to offer
        }
        for (const auto& r : specs::list_prefix_records(env)) {
            names.push_back(r.name);
        }
        return names;
    };
    auto tree = tree_of(root, "");
    complete_like_shell_commands(tree);
    for (const auto& candidate : shell::complete(tree, words, sources)) {
        std::cout << candidate << '\n';
    }
    return 0;
}

}  // namespace

void add_shell_complete_command(CLI::App& shell_group, const CLI::App& root, Action& action) {
    auto words = std::make_shared<std::vector<std::string>>();
    auto* cmd = shell_group.add_subcommand(
        "complete", "Print what may come next on a cenv command line (for completion)");
    cmd->group("");  // used by the hook's completion functions, not by people
    cmd->add_option("words", *words, "The command line's words, the last being completed");
    cmd->callback(
        [words, &root, &action] { action = [words, &root] { return complete(root, *words); }; });
}

}  // namespace cenv::cli

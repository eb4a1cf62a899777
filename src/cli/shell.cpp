// `cenv shell`: the shell integration. `hook` prints the code that defines the `cenv` shell
// function; `init` / `deinit` add it to / take it out of a startup file; `activate` /
// `deactivate` print the code that the function evaluates to change the shell.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "config/rc_edit.hpp"
#include "config/settings.hpp"
#include "shell/activation_command.hpp"
#include "shell/error.hpp"
#include "shell/hook.hpp"
#include "shell/rc_block.hpp"
#include "util/file.hpp"

namespace cenv::cli {

namespace {

namespace fs = std::filesystem;

struct ShellOptions {
    std::string shell;
    std::string root;
    std::string target;
    std::string rc_file;
    bool stack = false;
    bool auto_activate = false;
    bool auto_mode = false;
    bool dry_run = false;
};

// This binary, for the hook to run: the path the kernel started.
fs::path this_executable() {
    std::error_code ec;
    auto exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path("cenv") : exe;
}

// The shell named by -s, else $SHELL's.
shell::Shell shell_of(const std::string& name) {
    if (!name.empty()) {
        return shell::shell_named(name);
    }
    const char* login = std::getenv("SHELL");
    const std::string base = login != nullptr ? fs::path(login).filename().string() : "";
    if (const auto shell = shell::parse_shell(base)) {
        return *shell;
    }
    throw shell::ShellError(fmt::format("cannot tell which shell to set up ($SHELL is '{}')", base),
                            "name it: -s bash, zsh, fish or posix");
}

int activate(const ShellOptions& options, bool deactivating) {
    shell::ActivationRequest request;
    request.shell = shell::shell_named(options.shell);
    request.deactivate = deactivating;
    request.target = options.target;
    request.stack = options.stack;
    request.auto_mode = options.auto_mode;
    request.root = options.root;
    shell::write_activation(request, std::cout, std::cerr);
    return 0;
}

int hook(const ShellOptions& options) {
    const shell::Shell shell = shell::shell_named(options.shell);
    config::LoadOptions load;
    load.root = options.root;
    const auto settings = config::Settings::load(load);
    shell::HookOptions hook;
    hook.shell = shell;
    hook.exe = this_executable();
    // The lean activator installed next to this binary, when it is there.
    const fs::path activator = hook.exe.parent_path() / "cenv-shell";
    if (::access(activator.c_str(), X_OK) == 0) {
        hook.activator = activator;
    }
    hook.auto_activate = options.auto_activate || settings.boolean("auto_activate_project");
    hook.changeps1 = settings.boolean("changeps1");
    std::cout << shell::hook_script(hook);
    return 0;
}

std::string read_if_exists(const fs::path& file) {
    std::error_code ec;
    return fs::exists(file, ec) ? util::read_file(file) : std::string{};
}

int init(const ShellOptions& options) {
    const shell::Shell shell = shell_of(options.shell);
    const fs::path file =
        options.rc_file.empty() ? shell::default_rc_file(shell) : fs::path(options.rc_file);
    const std::string lines = shell::init_lines(shell, this_executable(), options.auto_activate);
    const std::string before = read_if_exists(file);
    const std::string after = shell::add_block(before, lines);
    if (after == before) {
        std::cout << fmt::format("{} already runs cenv's {} hook; nothing to change.\n",
                                 file.string(), shell::shell_name(shell));
        return 0;
    }
    if (options.dry_run) {
        std::cout << fmt::format("Would add to {}:\n{}", file.string(), lines);
        return 0;
    }
    config::update_rc_file(file, [&](std::string_view text, const std::string&) {
        return shell::add_block(text, lines);
    });
    std::cout << fmt::format(
        "Added cenv's {} hook to {}{}.\nOpen a new shell (or run: {} {}) and then 'cenv activate "
        "NAME'.\n'cenv shell deinit -s {}' takes it out again.\n",
        shell::shell_name(shell), file.string(),
        options.auto_activate ? ", with per-project auto-activation" : "",
        shell == shell::Shell::posix ? "." : "source", file.string(), shell::shell_name(shell));
    return 0;
}

int deinit(const ShellOptions& options) {
    const shell::Shell shell = shell_of(options.shell);
    const fs::path file =
        options.rc_file.empty() ? shell::default_rc_file(shell) : fs::path(options.rc_file);
    const auto after = shell::remove_block(read_if_exists(file), file);
    if (!after) {
        std::cout << fmt::format("{} has no cenv block; nothing to change.\n", file.string());
        return 0;
    }
    if (options.dry_run) {
        std::cout << fmt::format("Would remove cenv's block from {}.\n", file.string());
        return 0;
    }
    config::update_rc_file(file, [&](std::string_view text, const std::string&) {
        return shell::remove_block(text, file).value_or(std::string(text));
    });
    std::cout << fmt::format("Removed cenv's block from {}; new shells start without it.\n",
                             file.string());
    return 0;
}

void add_shell_option(CLI::App& cmd, ShellOptions& options, bool required) {
    auto* opt = cmd.add_option("-s,--shell", options.shell,
                               required ? "bash, zsh, fish or posix (sh, dash)"
                                        : "bash, zsh, fish or posix (default: $SHELL's)");
    if (required) {
        opt->required();
    }
}

void add_root_option(CLI::App& cmd, ShellOptions& options) {
    cmd.add_option("-r,--root-prefix", options.root,
                   "Root prefix (default: $CENV_ROOT_PREFIX or ~/.cenv)");
}

}  // namespace

void add_shell_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<ShellOptions>();
    auto* group = app.add_subcommand("shell", "Set up and use cenv in bash, zsh, fish or sh");
    group->require_subcommand(1);
    group->footer(
        "Set up once, then activate by name:\n"
        "  cenv shell init -s bash        # adds the hook to ~/.bashrc (zsh: ~/.zshrc, fish: "
        "config.fish)\n"
        "  cenv activate torch            # in a new shell\n"
        "  cenv deactivate\n"
        "Or just for this shell: eval \"$(cenv shell hook -s bash)\"");

    auto* hook_cmd = group->add_subcommand(
        "hook", "Print the shell code that defines the 'cenv' function (for eval or source)");
    hook_cmd->footer(
        "The 'cenv' shell function runs this binary and evaluates what 'cenv shell activate' and\n"
        "'cenv shell deactivate' print, so that 'cenv activate NAME' changes the shell itself.\n"
        "\nExamples:\n  eval \"$(cenv shell hook -s bash)\"\n"
        "  cenv shell hook -s fish | source\n"
        "  eval \"$(cenv shell hook -s zsh --auto-activate)\"   # per-project environments");
    add_shell_option(*hook_cmd, *options, true);
    hook_cmd->add_flag("--auto-activate", options->auto_activate,
                       "Activate a project's environment on entering its folder (bash, zsh, "
                       "fish; also the auto_activate_project setting)");
    add_root_option(*hook_cmd, *options);
    hook_cmd->callback([options, &action] { action = [options] { return hook(*options); }; });

    auto* init_cmd = group->add_subcommand(
        "init", "Add the hook to a shell's startup file (once; running it again changes nothing)");
    init_cmd->footer(
        "The block is marked '# >>> cenv initialize >>>'; 'cenv shell deinit' removes it, leaving\n"
        "the file as it was.\n\nExamples:\n  cenv shell init -s bash\n"
        "  cenv shell init -s zsh --auto-activate\n"
        "  cenv shell init -s fish --rc-file ~/.config/fish/conf.d/cenv.fish --dry-run");
    add_shell_option(*init_cmd, *options, false);
    init_cmd->add_option("--rc-file", options->rc_file,
                         "The file to edit (default: ~/.bashrc, ~/.zshrc, "
                         "~/.config/fish/config.fish, ~/.profile)");
    init_cmd->add_flag("--auto-activate", options->auto_activate,
                       "Also activate projects' environments on entering their folders");
    init_cmd->add_flag("--dry-run", options->dry_run, "Show what would be added; change nothing");
    init_cmd->callback([options, &action] { action = [options] { return init(*options); }; });

    auto* deinit_cmd = group->add_subcommand("deinit", "Remove the block 'cenv shell init' added");
    deinit_cmd->footer(
        "Examples:\n  cenv shell deinit -s bash\n  cenv shell deinit --rc-file ~/.zshrc -s zsh");
    add_shell_option(*deinit_cmd, *options, false);
    deinit_cmd->add_option("--rc-file", options->rc_file, "The file to edit (default: as init)");
    deinit_cmd->add_flag("--dry-run", options->dry_run, "Say what would change; change nothing");
    deinit_cmd->callback([options, &action] { action = [options] { return deinit(*options); }; });

    auto* activate_cmd = group->add_subcommand(
        "activate", "Print the code that activates an environment (what the hook evaluates)");
    activate_cmd->footer(
        "For tools that do not use the hook. Without NAME or PATH: the environment the project\n"
        "names (a .cenv file or environment.yml's name: in this folder or above).\n"
        "\nExamples:\n  eval \"$(cenv shell activate -s bash torch)\"\n"
        "  cenv shell activate -s fish ./envs/app --stack | source");
    add_shell_option(*activate_cmd, *options, true);
    activate_cmd->add_option("environment", options->target, "Environment NAME or PATH");
    activate_cmd->add_flag("--stack", options->stack,
                           "Keep the active environment's programs on PATH below this one");
    activate_cmd
        ->add_flag("--auto", options->auto_mode,
                   "As the hook's auto-activation: silent without a project")
        ->group("");
    add_root_option(*activate_cmd, *options);
    activate_cmd->callback(
        [options, &action] { action = [options] { return activate(*options, false); }; });

    auto* deactivate_cmd = group->add_subcommand(
        "deactivate", "Print the code that deactivates the active environment");
    deactivate_cmd->footer("Example:\n  eval \"$(cenv shell deactivate -s bash)\"");
    add_shell_option(*deactivate_cmd, *options, true);
    add_root_option(*deactivate_cmd, *options);
    deactivate_cmd->callback(
        [options, &action] { action = [options] { return activate(*options, true); }; });

    add_shell_complete_command(*group, app, action);
}

}  // namespace cenv::cli

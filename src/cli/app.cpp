#include "cli/app.hpp"

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "install/error.hpp"
#include "util/error.hpp"

namespace cenv::cli {

namespace {

// Exit statuses: 0 success, 1 the command failed (bad input, nothing found), 2 the
// command line itself is wrong.
constexpr int kFailure = 1;
constexpr int kUsage = 2;
constexpr int kInterrupted = 130;  // 128 + SIGINT, as a shell reports Ctrl-C

void print_error(const util::Error& error) {
    std::cerr << "error: " << error.what() << '\n';
    if (!error.hint().empty()) {
        std::cerr << "hint: " << error.hint() << '\n';
    }
}

}  // namespace

int run(int argc, char** argv) {
    CLI::App app{
        "cenv: a fast, conda-compatible environment manager for AI projects.\n"
        "Run 'cenv COMMAND --help' for what a command does, with examples.",
        "cenv"};
    app.set_version_flag("--version", CENV_VERSION, "Print cenv's version and exit");
    app.require_subcommand(0, 1);
    std::vector<std::string> args(argv + 1, argv + argc);
    std::vector<std::string> run_command = split_run_command(args);
    Action action;
    add_create_command(app, action);
    add_install_command(app, action);
    add_update_command(app, action);
    add_remove_command(app, action);
    add_search_command(app, action);
    add_list_command(app, action);
    add_env_command(app, action);
    add_info_command(app, action);
    add_config_command(app, action);
    add_mirror_command(app, action);
    add_clean_command(app, action);
    add_doctor_command(app, action);
    add_activate_commands(app, action);
    add_shell_command(app, action);
    add_run_command(app, action, std::move(run_command));
    // Last: it adds to the `env` group whoever made it.
    add_env_config_vars_commands(app, action);
    try {
        std::reverse(args.begin(), args.end());  // CLI11 takes them last first
        app.parse(args);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "error: " << e.what() << '\n'
                  << "hint: run 'cenv --help' or 'cenv COMMAND --help' for usage\n";
        return kUsage;
    }
    if (!action) {
        std::cout << app.help();
        return 0;
    }
    try {
        return action();
    } catch (const install::Interrupted& e) {
        print_error(e);
        return kInterrupted;
    } catch (const util::Error& e) {
        print_error(e);
        return kFailure;
    } catch (const std::exception& e) {
        std::cerr << "error: unexpected failure: " << e.what() << '\n'
                  << "hint: this is a bug in cenv; please report it with the command you ran\n";
        return kFailure;
    }
}

}  // namespace cenv::cli

// `cenv create`: a new environment from package specs or files: solve, show the plan, install.

#include <memory>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/env_files.hpp"
#include "cli/env_solve.hpp"

namespace cenv::cli {

void add_create_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<EnvOptions>();
    auto* cmd = app.add_subcommand(
        "create", "Create an environment from package specs: solve, show the plan, install");
    cmd->footer(
        "Examples:\n"
        "  cenv create -n comfy python=3.10 numpy -c conda-forge\n"
        "  cenv create -n comfy python=3.10 torch=cu121 -c pytorch -c nvidia\n"
        "  cenv create -p ./env python=3.11 -c ./local-channel -y   a path; no question asked\n"
        "  cenv create -n comfy --force python=3.11 -c ./chan   replace an existing environment\n"
        "  cenv create -n t numpy -c conda-forge --dry-run -v    only the plan; -v says which\n"
        "                                                        mirror served each index\n"
        "\n"
        "PyTorch variants: torch is pytorch; after '=' (alone or after a version, as in\n"
        "torch=2.1=cu121) cu118, cu121, cu124, ... select a CUDA build, cuda any CUDA build,\n"
        "cpu a CPU build. The expansion is printed. A CUDA build must suit the driver\n"
        "(CONDA_OVERRIDE_CUDA=12.1 solves for another machine; empty = no GPU). Without a\n"
        "variant, cenv picks the newest CUDA build the driver runs, or CPU without a GPU.\n"
        "\n"
        "Channels: those given with -c, then the configured ones (cenv config channels shows\n"
        "them and the mirrors tried); --override-channels uses -c only. Remote indexes are\n"
        "cached in <root>/pkgs/cache (--offline: the cache only).\n"
        "\n"
        "Installing: packages are fetched into the package cache (<root>/pkgs), hard-linked\n"
        "into the environment (copied across filesystems; prefix placeholders rewritten),\n"
        "noarch python packages compiled and their entry points written, post-link scripts\n"
        "run; conda-meta/ gets conda's records and history. All or nothing: any failure,\n"
        "Ctrl-C included, leaves no environment behind; a killed cenv is cleaned up by the\n"
        "next one. A path two packages install: a warning (--safety-checks enabled: an\n"
        "error).\n"
        "\n"
        "From files (-f/--file, repeatable):\n"
        "  cenv create -f environment.yml           name, channels, packages and the pip:\n"
        "                                            section (installed afterwards with the\n"
        "                                            environment's own pip)\n"
        "  cenv create -n t --file specs.txt        one spec per line\n"
        "  cenv create -n t --file explicit.txt     an @EXPLICIT file (cenv list --explicit):\n"
        "                                            exactly those packages, checked against\n"
        "                                            their #md5/#sha256, without a solve");
    add_env_options(*cmd, *options, true);
    cmd->add_flag("--force", options->force,
                  "Replace the environment when one exists at the path (its packages go)");
    auto files = std::make_shared<std::vector<std::string>>();
    cmd->add_option("-f,--file", *files,
                    "Read the environment from a file: environment.yml, a spec list or an "
                    "@EXPLICIT file (repeatable)")
        ->allow_extra_args(false);

    cmd->callback([options, files, &action] {
        action = [options, files] {
            if (!files->empty()) {
                return run_with_environment_files(*options, *files, solver::Request::Op::install,
                                                  "create");
            }
            return run_env_command(*options, solver::Request::Op::install, "create");
        };
    });
}

}  // namespace cenv::cli

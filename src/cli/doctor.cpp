// `cenv doctor`: what stands between this machine, an environment and a working GPU: the
// driver and the CUDA it supports, the environment's CUDA runtime and PyTorch build, the
// GPU architectures that build carries, nvcc, LD_LIBRARY_PATH, duplicate torch installs and
// the configured mirrors. The diagnosis is src/doctor's; this file only picks the
// environment and prints.

#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "channels/downloader.hpp"
#include "cli/commands.hpp"
#include "cli/detection.hpp"
#include "cli/env_target.hpp"
#include "config/settings.hpp"
#include "doctor/doctor.hpp"
#include "doctor/render.hpp"
#include "shell/project.hpp"

namespace cenv::cli {

namespace {

struct DoctorOptions {
    std::string name;
    std::string prefix;
    std::string root;
    bool json = false;
    bool offline = false;
};

/// -n, -p, else the active environment ($CONDA_PREFIX), else the project's (.cenv,
/// environment.yml, as `cenv activate` finds it), else none: the machine only.
std::optional<doctor::EnvironmentTarget> target(const DoctorOptions& options,
                                                const config::Settings& settings,
                                                const std::filesystem::path& root) {
    std::string name = options.name;
    std::string prefix = options.prefix;
    if (name.empty() && prefix.empty()) {
        std::error_code ec;
        if (const auto active = active_prefix(); !active.empty()) {
            prefix = active.string();
        } else if (const auto project = shell::find_project(std::filesystem::current_path(ec))) {
            name = project->name;
            prefix = project->prefix.string();
        } else {
            return std::nullopt;
        }
    }
    const std::filesystem::path path = target_prefix(name, prefix, settings, root);
    const std::string env_name = environment_name(path, settings, root);
    return doctor::EnvironmentTarget{
        path, !env_name.empty() && env_name != "base" ? "-n " + env_name : "-p " + path.string()};
}

int run_doctor(const DoctorOptions& options) {
    const std::filesystem::path root = config::root_prefix(options.root);
    config::LoadOptions load;
    load.root = root;
    const config::Settings settings = config::Settings::load(load);

    doctor::Options diagnosis;
    diagnosis.detect = detect_options(root);
    diagnosis.environment = target(options, settings, root);
    diagnosis.channels = settings.channel_settings();
    diagnosis.offline = options.offline || settings.boolean("offline");
    // The mirror check asks each configured mirror host for a small file through the
    // downloader (made only when there is something to ask).
    std::unique_ptr<channels::Downloader> downloader;
    diagnosis.fetch = [&](const channels::ProbeTarget& target, double timeout) {
        if (!downloader) {
            downloader = std::make_unique<channels::Downloader>(settings.remote());
        }
        return downloader->probe(target, timeout);
    };
    const doctor::Report report = doctor::diagnose(diagnosis);
    if (options.json) {
        std::cout << doctor::render_json(report).dump(2) << '\n';
    } else {
        std::cout << doctor::render_text(report);
    }
    return report.count(doctor::Status::error) == 0 ? 0 : 1;
}

}  // namespace

void add_doctor_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<DoctorOptions>();
    auto* cmd = app.add_subcommand(
        "doctor", "Diagnose the NVIDIA driver, CUDA, PyTorch and mirrors for an environment");
    cmd->footer(
        "Each finding is one line: ✓ fine, · for your information, ! works but not as it should,\n"
        "✗ broken; every problem comes with its fix (a command, or the exact requirement).\n"
        "Machine: GPUs and their compute capability, the driver and the CUDA version it supports\n"
        "(__cuda), CONDA_OVERRIDE_CUDA, nvcc on PATH. Environment (-n/-p, else the active one,\n"
        "else the project's .cenv / environment.yml): its CUDA runtime against the driver, its\n"
        "PyTorch build (conda or pip; CUDA, CPU or ROCm), whether that build has code for this "
        "GPU\n"
        "(sm_86, sm_120, ...), torch installed by both conda and pip, CUDA libraries on\n"
        "LD_LIBRARY_PATH that hide the environment's. Network: the configured mirrors (not with\n"
        "--offline). Nothing is imported or changed; external programs run with a timeout.\n"
        "Exit status 1 when a finding is ✗.\n\n"
        "Examples:\n"
        "  cenv doctor                     # this machine, and the active environment if any\n"
        "  cenv doctor -n comfy            # the environment 'comfy'\n"
        "  cenv doctor -p ./env --offline  # a prefix; no network\n"
        "  cenv doctor -n comfy --json     # findings and facts for scripts");
    auto* name = cmd->add_option("-n,--name", options->name, "Environment name");
    cmd->add_option("-p,--prefix", options->prefix, "Environment path")->excludes(name);
    cmd->add_option("-r,--root-prefix", options->root,
                    "Root prefix (default: $CENV_ROOT_PREFIX or ~/.cenv)");
    cmd->add_flag("--json", options->json, "Print the findings and the facts behind them as JSON");
    cmd->add_flag("--offline", options->offline, "Do not check the mirrors (no network)");
    cmd->callback([options, &action] { action = [options] { return run_doctor(*options); }; });
}

}  // namespace cenv::cli

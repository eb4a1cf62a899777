// `cenv info`: what cenv knows about this machine and its own set-up: version, platform,
// root prefix, the virtual packages a solve assumes (each with where its value came from)
// and the NVIDIA driver and GPUs behind `__cuda`.

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/detection.hpp"
#include "config/settings.hpp"
#include "specs/platform.hpp"
#include "system/cuda.hpp"
#include "system/virtual_package.hpp"

namespace cenv::cli {

namespace {

struct InfoOptions {
    std::string root;
    bool json = false;
    bool verbose = false;
};

struct Facts {
    std::filesystem::path root;
    std::string active_prefix;
    std::vector<system::VirtualPackage> virtual_packages;
    system::CudaDetection cuda;
};

Facts gather(const InfoOptions& options) {
    Facts facts;
    facts.root = config::root_prefix(options.root);
    if (const char* prefix = std::getenv("CONDA_PREFIX"); prefix != nullptr) {
        facts.active_prefix = prefix;
    }
    const system::DetectOptions detect = detect_options(facts.root);
    facts.cuda = system::detect_cuda_detailed(detect);
    facts.virtual_packages = system::detect_virtual_packages(detect);
    return facts;
}

nlohmann::json gpus_json(const system::CudaDriver& driver) {
    nlohmann::json gpus = nlohmann::json::array();
    for (const auto& gpu : driver.gpus) {
        gpus.push_back({{"name", gpu.name}, {"compute_capability", gpu.compute_capability}});
    }
    return gpus;
}

// micromamba's keys where it has them ("virtual packages" as name=version=build strings),
// conda's `virtual_pkgs` triples, and ours for the sources and the driver.
nlohmann::json to_json(const Facts& facts) {
    nlohmann::json strings = nlohmann::json::array();
    nlohmann::json triples = nlohmann::json::array();
    nlohmann::json sources = nlohmann::json::object();
    for (const auto& vp : facts.virtual_packages) {
        strings.push_back(vp.str());
        triples.push_back({vp.name, vp.version, vp.build});
        sources[vp.name] = vp.source;
    }
    nlohmann::json cuda = {{"detected", facts.cuda.driver.has_value()},
                           {"from_cache", facts.cuda.from_cache},
                           {"log", facts.cuda.log}};
    if (facts.cuda.driver) {
        const auto& d = *facts.cuda.driver;
        cuda["cuda_version"] = d.cuda_version;
        cuda["driver_version"] = d.driver_version;
        cuda["source"] = d.source;
        cuda["gpus"] = gpus_json(d);
    }
    return {
        {"cenv version", CENV_VERSION},
        {"platform", std::string(specs::build_subdir())},
        {"root prefix", facts.root.string()},
        {"envs directories", {(facts.root / "envs").string()}},
        {"package cache", {(facts.root / "pkgs").string()}},
        {"active environment", facts.active_prefix.empty() ? nlohmann::json(nullptr)
                                                           : nlohmann::json(facts.active_prefix)},
        {"virtual packages", strings},
        {"virtual_pkgs", triples},
        {"virtual package sources", sources},
        {"cuda", cuda}};
}

void print_field(std::string_view key, std::string_view value) {
    std::cout << fmt::format("{:>22} {} {}\n", key, key.empty() ? ' ' : ':', value);
}

void print_text(const Facts& facts, bool verbose) {
    print_field("cenv version", CENV_VERSION);
    print_field("platform", specs::build_subdir());
    print_field("root prefix", facts.root.string());
    print_field("envs directories", (facts.root / "envs").string());
    print_field("package cache", (facts.root / "pkgs").string());
    print_field("active environment",
                facts.active_prefix.empty() ? std::string("None") : facts.active_prefix);
    std::size_t width = 0;
    for (const auto& vp : facts.virtual_packages) {
        width = std::max(width, vp.str().size());
    }
    const char* label = "virtual packages";
    for (const auto& vp : facts.virtual_packages) {
        print_field(label, fmt::format("{:<{}}  ({})", vp.str(), width, vp.source));
        label = "";
    }
    if (!facts.cuda.driver) {
        print_field("NVIDIA driver", "none found (no __cuda: CPU builds only)");
    } else {
        const auto& d = *facts.cuda.driver;
        print_field("NVIDIA driver",
                    fmt::format("{} (supports CUDA {})",
                                d.driver_version.empty() ? "version unknown" : d.driver_version,
                                d.cuda_version));
        label = "GPUs";
        for (std::size_t i = 0; i < d.gpus.size(); ++i) {
            const auto& gpu = d.gpus[i];
            print_field(label, fmt::format("{}: {}{}", i, gpu.name,
                                           gpu.compute_capability.empty()
                                               ? std::string{}
                                               : ", compute capability " + gpu.compute_capability));
            label = "";
        }
    }
    if (verbose) {
        label = "CUDA detection";
        for (const auto& line : facts.cuda.log) {
            print_field(label, line);
            label = "";
        }
    }
}

}  // namespace

void add_info_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<InfoOptions>();
    auto* cmd = app.add_subcommand(
        "info", "Show cenv's set-up and this machine's virtual packages (__cuda, __glibc, ...)");
    cmd->footer(
        "Each virtual package is shown with where its value came from (the driver library, an\n"
        "override variable such as CONDA_OVERRIDE_CUDA, uname, ...).\n\n"
        "Examples:\n  cenv info\n  cenv info -v          # also how the NVIDIA driver was probed\n"
        "  CONDA_OVERRIDE_CUDA=12.1 cenv info --json");
    cmd->add_option("-r,--root-prefix", options->root,
                    "Root prefix (default: $CENV_ROOT_PREFIX or ~/.cenv)");
    cmd->add_flag("--json", options->json, "Print JSON (micromamba's keys, plus sources and GPUs)");
    cmd->add_flag("-v,--verbose", options->verbose, "Also print each step of the CUDA detection");
    cmd->callback([options, &action] {
        action = [options] {
            const Facts facts = gather(*options);
            if (options->json) {
                std::cout << to_json(facts).dump(2) << '\n';
            } else {
                print_text(facts, options->verbose);
            }
            return 0;
        };
    });
}

}  // namespace cenv::cli

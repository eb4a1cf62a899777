#include "doctor/doctor.hpp"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "doctor/arch_table.hpp"
#include "doctor/checks.hpp"
#include "doctor/error.hpp"
#include "doctor/mirror_targets.hpp"
#include "doctor/torch_arch_flags.hpp"
#include "install/pip_packages.hpp"
#include "install/prefix_cuda.hpp"
#include "specs/prefix_record.hpp"
#include "system/cuda.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

namespace cenv::doctor {

namespace {

namespace fs = std::filesystem;

/// `CENV_OVERRIDE_CUDA` when set (even empty), else `CONDA_OVERRIDE_CUDA`, as detection reads
/// them (system/virtual_package.hpp).
std::optional<std::pair<std::string, std::string>> cuda_override(
    const system::DetectOptions& detect) {
    for (const char* variable : {"CENV_OVERRIDE_CUDA", "CONDA_OVERRIDE_CUDA"}) {
        if (auto value = detect.getenv(variable)) {
            return std::pair{std::string(variable), *value};
        }
    }
    return std::nullopt;
}

/// The architectures of the imported torch: from its libtorch_python.so (site-packages'
/// torch/lib for pip and the pytorch channel, the prefix's lib for conda-forge's split
/// build), else from cenv's table.
TorchArchFacts torch_archs(const fs::path& prefix, const EnvironmentFacts& env) {
    TorchArchFacts out;
    const auto torch = imported_torch(env.torch, env.torch_file);
    if (!torch || torch->kind != TorchKind::cuda) {
        return out;
    }
    std::vector<std::string> candidates;
    for (const auto& dir : install::site_packages_dirs(prefix)) {
        candidates.push_back(dir + "/torch/lib/libtorch_python.so");
    }
    candidates.emplace_back("lib/libtorch_python.so");
    std::error_code ec;
    for (const auto& candidate : candidates) {
        if (!fs::exists(prefix / candidate, ec)) {
            continue;
        }
        ArchFlagsRead read = read_torch_arch_flags(prefix / candidate);
        if (read.archs) {
            out.archs = std::move(read.archs);
            out.source = candidate;
            return out;
        }
        out.failure = std::move(read.failure);
        break;
    }
    if (out.failure.empty()) {
        out.failure = "no libtorch_python.so";
    }
    const BuildFamily family =
        torch->build != nullptr ? torch->build->family : BuildFamily::pytorch_org;
    // conda-forge's table is by the CUDA its build string names (the compiler's release).
    const auto cuda =
        torch->build != nullptr && torch->build->cuda ? torch->build->cuda : torch->cuda;
    if (cuda) {
        if (const auto* entry = ArchTable::builtin().find(family, torch->version, *cuda)) {
            out.archs = entry->archs;
            out.source =
                fmt::format("cenv's table of {} CUDA {} builds", to_string(family), cuda->str());
            out.reference = entry->source;
        }
    }
    return out;
}

MirrorFacts mirror_facts(const Options& options) {
    MirrorFacts m;
    m.targets = mirror_targets(options.channels);
    if (m.targets.empty()) {
        return m;
    }
    if (options.offline) {
        m.skipped_because = "--offline";
    } else if (!options.fetch) {
        m.skipped_because = options.no_fetch_reason;
    } else {
        m.results = channels::probe_mirrors(m.targets, options.fetch, options.mirror_timeout_secs);
        m.checked = true;
    }
    return m;
}

}  // namespace

EnvironmentFacts environment_facts(const EnvironmentTarget& target) {
    std::error_code ec;
    if (!fs::is_directory(target.prefix / "conda-meta", ec)) {
        throw DoctorError(fmt::format("no environment at {} (it has no conda-meta folder)",
                                      target.prefix.string()),
                          fmt::format("create it with `cenv create {} ...`, or name another "
                                      "with -n NAME or -p PATH",
                                      target.selector));
    }
    EnvironmentFacts env;
    env.prefix = target.prefix;
    env.selector = target.selector;

    std::vector<specs::PackageRecord> records;
    try {
        records = specs::load_prefix_records(target.prefix);
    } catch (const util::Error& e) {
        // One damaged record must not hide what the others say: fall back to the file names.
        env.problems.emplace_back(e.what());
        records = specs::list_prefix_records(target.prefix);
    }
    env.package_count = records.size();

    // conda's torch, and the files its record lists (which distributions are conda's).
    std::vector<std::string> conda_files;
    for (const auto& record : records) {
        if (record.name != "pytorch") {
            continue;
        }
        env.torch.push_back(torch_from_conda(record));
        const fs::path file = target.prefix / env.torch.back().where;
        try {
            auto files = specs::parse_prefix_record_files(util::read_file(file), file.string());
            conda_files.insert(conda_files.end(), files.begin(), files.end());
        } catch (const util::Error& e) {
            env.problems.emplace_back(e.what());
        }
    }

    const install::SitePackages site = install::read_site_packages(target.prefix);
    for (const auto& problem : site.problems) {
        env.problems.push_back(fmt::format("{}: {}", problem.path, problem.reason));
    }
    for (const auto& dist : site.distributions) {
        const bool conda =
            util::to_lower(dist.installer) == "conda" ||
            std::find(conda_files.begin(), conda_files.end(), dist.anchor) != conda_files.end();
        if (!conda && install::normalized_python_name(dist.name) == "torch") {
            TorchBuild build = torch_from_pip(dist.version);
            build.where = dist.metadata_dir;
            env.torch.push_back(std::move(build));
        }
    }

    if (const auto conda = install::prefix_cuda_runtime(records)) {
        env.runtime = RuntimeFacts{solver::CudaRelease{conda->major, conda->minor},
                                   fmt::format("conda {} {}", conda->package, conda->version)};
    }
    const auto pip = install::pip_cuda_runtime(site.distributions);
    const bool pip_torch = std::any_of(env.torch.begin(), env.torch.end(), [](const auto& b) {
        return b.installer == TorchBuild::Installer::pip;
    });
    if (pip && (!env.runtime || pip_torch)) {
        // pip's torch loads pip's runtime (its RPATH names nvidia/*/lib).
        env.runtime = RuntimeFacts{solver::CudaRelease{pip->major, pip->minor},
                                   fmt::format("pip {} {}", pip->package, pip->version)};
    }

    env.cuda_libraries = cuda_libraries_in(target.prefix / "lib");
    for (const auto& dir : install::site_packages_dirs(target.prefix)) {
        const fs::path site_packages = target.prefix / dir;
        if (!env.torch_file) {
            const fs::path version_py = site_packages / "torch" / "version.py";
            if (fs::is_regular_file(version_py, ec)) {
                env.torch_file = parse_torch_version_file(util::read_file(version_py));
                if (env.torch_file) {
                    env.torch_file->path = dir + "/torch/version.py";
                }
            }
        }
        for (fs::directory_iterator it(site_packages / "nvidia", ec), end; !ec && it != end;
             it.increment(ec)) {
            const auto libraries = cuda_libraries_in(it->path() / "lib");
            env.cuda_libraries.insert(env.cuda_libraries.end(), libraries.begin(), libraries.end());
        }
    }
    std::sort(env.cuda_libraries.begin(), env.cuda_libraries.end());
    env.cuda_libraries.erase(std::unique(env.cuda_libraries.begin(), env.cuda_libraries.end()),
                             env.cuda_libraries.end());

    env.torch_archs = torch_archs(target.prefix, env);
    return env;
}

Facts gather_facts(const Options& options) {
    Facts facts;
    facts.cuda = system::detect_cuda_detailed(options.detect);
    facts.cuda_override = cuda_override(options.detect);
    if (options.environment) {
        facts.environment = environment_facts(*options.environment);
    }
    facts.nvcc = probe_nvcc(options.program_timeout);
    if (const char* path = std::getenv("LD_LIBRARY_PATH"); path != nullptr) {
        facts.ld_library_path = path;
    }
    facts.library_dirs = scan_library_path(
        facts.ld_library_path, facts.environment ? facts.environment->prefix : fs::path());
    facts.mirrors = mirror_facts(options);
    return facts;
}

Report diagnose(const Options& options) {
    Report report;
    report.facts = gather_facts(options);
    report.findings = run_checks(report.facts);
    return report;
}

}  // namespace cenv::doctor

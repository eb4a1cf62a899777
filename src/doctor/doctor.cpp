#include "doctor/doctor.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "doctor/checks.hpp"
#include "doctor/error.hpp"
#include "doctor/mirror_targets.hpp"
#include "specs/prefix_record.hpp"
#include "system/cuda.hpp"

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
    const auto records = specs::load_prefix_records(target.prefix);
    env.package_count = records.size();
    for (const auto& record : records) {
        if (record.name == "pytorch") {
            env.torch.push_back(torch_from_conda(record));
        }
    }
    env.cuda_libraries = cuda_libraries_in(target.prefix / "lib");
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

#include "doctor/render.hpp"

#include <fmt/format.h>

namespace cenv::doctor {

namespace {

nlohmann::json optional_release(const std::optional<solver::CudaRelease>& release) {
    return release ? nlohmann::json(release->str()) : nlohmann::json(nullptr);
}

nlohmann::json machine_json(const Facts& facts) {
    nlohmann::json driver = nullptr;
    if (facts.cuda.driver) {
        const auto& d = *facts.cuda.driver;
        nlohmann::json gpus = nlohmann::json::array();
        for (const auto& gpu : d.gpus) {
            gpus.push_back({{"name", gpu.name}, {"compute_capability", gpu.compute_capability}});
        }
        driver = {{"driver_version", d.driver_version},
                  {"cuda_version", d.cuda_version},
                  {"source", d.source},
                  {"from_cache", facts.cuda.from_cache},
                  {"gpus", gpus}};
    }
    nlohmann::json override_json = nullptr;
    if (facts.cuda_override) {
        override_json = {{"variable", facts.cuda_override->first},
                         {"value", facts.cuda_override->second}};
    }
    nlohmann::json nvcc = nullptr;
    if (facts.nvcc) {
        nvcc = {{"path", facts.nvcc->path.string()},
                {"release", optional_release(facts.nvcc->release)},
                {"version", facts.nvcc->version},
                {"failure", facts.nvcc->failure}};
    }
    nlohmann::json dirs = nlohmann::json::array();
    for (const auto& dir : facts.library_dirs) {
        dirs.push_back({{"dir", dir.dir.string()},
                        {"in_environment", dir.in_environment},
                        {"cudart", optional_release(dir.cudart)},
                        {"libraries", dir.cuda_libraries}});
    }
    return {{"driver", driver},
            {"cuda_override", override_json},
            {"nvcc", nvcc},
            {"ld_library_path", facts.ld_library_path},
            {"library_dirs", dirs}};
}

nlohmann::json environment_json(const EnvironmentFacts& env) {
    nlohmann::json runtime = nullptr;
    if (env.runtime) {
        runtime = {{"release", env.runtime->release.str()}, {"source", env.runtime->source}};
    }
    nlohmann::json torch = nlohmann::json::array();
    for (const auto& t : env.torch) {
        torch.push_back({{"installer", t.installer == TorchBuild::Installer::pip ? "pip" : "conda"},
                         {"version", t.version},
                         {"build", t.build},
                         {"kind", to_string(t.kind)},
                         {"cuda", optional_release(t.cuda)},
                         {"family", to_string(t.family)},
                         {"where", t.where}});
    }
    nlohmann::json file = nullptr;
    if (env.torch_file) {
        const auto& f = *env.torch_file;
        file = {{"version", f.version},
                {"cuda", f.cuda ? nlohmann::json(*f.cuda) : nlohmann::json(nullptr)},
                {"hip", f.hip ? nlohmann::json(*f.hip) : nlohmann::json(nullptr)},
                {"path", f.path}};
    }
    nlohmann::json archs = nullptr;
    if (env.torch_archs.archs) {
        archs = nlohmann::json::array();
        for (const auto& a : env.torch_archs.archs->archs()) {
            archs.push_back(a.str());
        }
    }
    return {{"prefix", env.prefix.string()},
            {"selector", env.selector},
            {"packages", env.package_count},
            {"cuda_runtime", runtime},
            {"torch", torch},
            {"torch_imported", file},
            {"torch_archs",
             {{"archs", archs},
              {"source", env.torch_archs.source},
              {"failure", env.torch_archs.failure},
              {"reference", env.torch_archs.reference}}},
            {"cuda_libraries", env.cuda_libraries},
            {"problems", env.problems}};
}

nlohmann::json mirrors_json(const MirrorFacts& m) {
    nlohmann::json targets = nlohmann::json::array();
    for (const auto& t : m.targets) {
        targets.push_back({{"name", t.name}, {"url", t.url}});
    }
    nlohmann::json results = nlohmann::json::array();
    for (const auto& r : m.results) {
        results.push_back({{"name", r.name},
                           {"url", r.url},
                           {"ok", r.ok},
                           {"first_byte_secs", r.first_byte_secs},
                           {"total_secs", r.total_secs},
                           {"bytes", r.bytes},
                           {"error", r.error}});
    }
    return {{"checked", m.checked},
            {"skipped_because", m.skipped_because},
            {"targets", targets},
            {"results", results}};
}

std::string counted(std::size_t n, std::string_view one, std::string_view many) {
    if (n == 0) {
        return fmt::format("no {}", many);
    }
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace

std::string_view symbol(Status status) noexcept {
    switch (status) {
        case Status::ok:
            return "✓";
        case Status::info:
            return "·";
        case Status::warning:
            return "!";
        case Status::error:
            return "✗";
        case Status::skipped:
            break;
    }
    return "-";
}

std::string render_text(const Report& report) {
    std::string out;
    for (const Section section : {Section::machine, Section::environment, Section::network}) {
        bool header = false;
        for (const auto& f : report.findings) {
            if (f.section != section) {
                continue;
            }
            if (!header) {
                if (!out.empty()) {
                    out += '\n';
                }
                const std::string_view name = to_string(section);
                out += fmt::format("{}{}\n", static_cast<char>(name.front() - 'a' + 'A'),
                                   name.substr(1));
                header = true;
            }
            out += fmt::format("  {} {}\n", symbol(f.status), f.text);
            if (!f.fix.empty()) {
                const bool problem = f.status == Status::warning || f.status == Status::error;
                out += fmt::format("      {}: {}\n", problem ? "fix" : "hint", f.fix);
            }
        }
    }
    const std::size_t errors = report.count(Status::error);
    const std::size_t warnings = report.count(Status::warning);
    out += '\n';
    if (errors == 0 && warnings == 0) {
        out += "No problems found.\n";
    } else {
        out += fmt::format("{}, {}.\n", counted(errors, "error", "errors"),
                           counted(warnings, "warning", "warnings"));
    }
    return out;
}

nlohmann::json render_json(const Report& report) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : report.findings) {
        findings.push_back({{"section", to_string(f.section)},
                            {"check", f.check},
                            {"status", to_string(f.status)},
                            {"text", f.text},
                            {"fix", f.fix}});
    }
    const auto& facts = report.facts;
    return {{"success", report.count(Status::error) == 0},
            {"errors", report.count(Status::error)},
            {"warnings", report.count(Status::warning)},
            {"findings", findings},
            {"machine", machine_json(facts)},
            {"environment",
             facts.environment ? environment_json(*facts.environment) : nlohmann::json(nullptr)},
            {"mirrors", mirrors_json(facts.mirrors)}};
}

}  // namespace cenv::doctor

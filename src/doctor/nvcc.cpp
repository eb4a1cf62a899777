#include "doctor/nvcc.hpp"

#include "system/isolated.hpp"
#include "system/nvidia_smi.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace cenv::doctor {

std::optional<NvccFacts> parse_nvcc_version(std::string_view output) {
    constexpr std::string_view marker = "release ";
    for (const std::string_view line : util::split_any(output, "\n")) {
        const auto at = line.find(marker);
        if (at == std::string_view::npos ||
            line.find("compilation tools") == std::string_view::npos) {
            continue;
        }
        std::string_view rest = line.substr(at + marker.size());
        const auto release = solver::CudaRelease::parse(rest.substr(0, rest.find(',')));
        if (!release) {
            return std::nullopt;
        }
        NvccFacts facts;
        facts.release = release;
        if (const auto v = rest.find(", V"); v != std::string_view::npos) {
            facts.version = std::string(util::trim(rest.substr(v + 3)));
        }
        return facts;
    }
    return std::nullopt;
}

std::optional<NvccFacts> probe_nvcc(std::chrono::milliseconds timeout) {
    const auto program = system::find_program("nvcc");
    if (!program) {
        return std::nullopt;
    }
    NvccFacts facts;
    try {
        const system::ChildResult run = system::run_program(*program, {"-V"}, timeout);
        if (!run.ok()) {
            facts.failure = "nvcc -V " + run.describe();
        } else if (auto parsed = parse_nvcc_version(run.output)) {
            facts = std::move(*parsed);
        } else {
            facts.failure = "nvcc -V printed no \"release X.Y\" line";
        }
    } catch (const util::Error& e) {
        facts.failure = e.what();
    }
    facts.path = *program;
    return facts;
}

}  // namespace cenv::doctor

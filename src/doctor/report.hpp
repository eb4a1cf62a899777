#pragma once
// The outcome of a diagnosis: findings, each one line with a status and, for a problem, the
// fix (a command, or the exact requirement). Rendering is render.hpp's.

#include <string>
#include <string_view>
#include <vector>

#include "doctor/facts.hpp"

namespace cenv::doctor {

enum class Status {
    ok,       ///< ✓ checked and fine
    info,     ///< · a fact worth knowing that needs nothing done (no GPU, no torch)
    warning,  ///< ! works, but not as intended or not everywhere
    error,    ///< ✗ does not work: what it breaks and the fix
    skipped,  ///< - not checked, and why
};

/// "ok", "info", "warning", "error", "skipped" (the JSON values).
std::string_view to_string(Status status) noexcept;

/// Where a finding belongs.
enum class Section { machine, environment, network };

/// "machine", "environment", "network".
std::string_view to_string(Section section) noexcept;

struct Finding {
    Section section = Section::machine;
    std::string check;  ///< a stable id: "gpu", "driver", "cuda_runtime", "torch_arch", ...
    Status status = Status::ok;
    std::string text;  ///< one line: what was found
    std::string fix;   ///< what to do: commands in `backquotes`; empty when nothing
};

struct Report {
    Facts facts;
    std::vector<Finding> findings;

    [[nodiscard]] std::size_t count(Status status) const;
};

}  // namespace cenv::doctor

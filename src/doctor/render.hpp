#pragma once
// A report as people read it (one line per finding under Machine / Environment / Network,
// each problem followed by its fix) and as scripts read it (JSON). Both are plain values;
// printing them is the CLI's.

#include <string>

#include <nlohmann/json.hpp>

#include "doctor/report.hpp"

namespace cenv::doctor {

/// The symbol of a status: ✓ ok, · info, ! warning, ✗ error, - skipped.
std::string_view symbol(Status status) noexcept;

/// The report for a terminal:
///
///     Machine
///       ✓ GPU 0: NVIDIA GeForce RTX 3090, compute capability 8.6
///       ...
///     Environment
///       ✗ PyTorch 2.1.0 (conda, py3.10_cpu_0) is a CPU build: ...
///           fix: `cenv install -n comfy torch=cu121`
///
///     1 error, no warnings.
std::string render_text(const Report& report);

/// The report as JSON: `success` (no errors), `errors`, `warnings`, `findings` (section,
/// check, status, text, fix), and the facts behind them: `machine`, `environment` (null
/// without one) and `mirrors`.
nlohmann::json render_json(const Report& report);

}  // namespace cenv::doctor

#pragma once
// The CLI side of `torch=cu121` (the rules are in solver/variant.hpp): what the machine's
// driver is in words, the expansion of the user's specs before solving, and the notes after
// it (which variant was chosen and how to choose another), for humans and for --json.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "solver/database.hpp"
#include "solver/error.hpp"
#include "solver/request.hpp"
#include "solver/variant.hpp"
#include "system/virtual_package.hpp"

namespace cenv::cli {

struct VariantPlan {
    std::vector<solver::SpecExpansion> expansions;
    solver::MachineCuda machine;
    /// Before the solve: variants that rely on minor-version compatibility.
    std::vector<std::string> warnings;
    /// A pin that keeps the CUDA runtime within the driver's release (solver::runtime_cap).
    std::optional<std::string> cap;
    /// Whether the solution honours `cap` (false when the request needed to go without it).
    bool cap_used = false;

    /// The specs to solve, in the user's order.
    [[nodiscard]] std::vector<std::string> specs() const;
};

/// Expands `specs` against the channels in use and checks CUDA variants against the driver.
/// Throws solver::VariantError when a variant cannot work here. `detect` finds the driver's own
/// version for the messages (through its cache).
VariantPlan plan_variants(const std::vector<std::string>& specs, const solver::ChannelOffer& offer,
                          const std::vector<system::VirtualPackage>& virtual_packages,
                          const system::DetectOptions& detect);

/// Solves `request`, first with the plan's runtime cap as a pin when there is one, and
/// without it when that has no solution. Sets plan.cap_used.
solver::Solution solve_with_variants(solver::Database& db, const solver::Request& request,
                                     VariantPlan& plan);

/// After a solve: one line per variant package without a selector (which build, why, how to
/// choose another).
std::vector<std::string> choice_notes(const VariantPlan& plan, const solver::Solution& solution,
                                      const solver::ChannelOffer& offer);

/// Expansions (changed ones) and warnings to stderr, as "note:" / "warning:" lines.
void print_plan_notes(const VariantPlan& plan);

/// `{"spec_expansions": [{"spec", "solved_as", "route", "variant"}], "variant_warnings": [...]}`
/// members for the --json output.
void add_json(nlohmann::json& out, const VariantPlan& plan);

/// Prints a VariantError (error, details, hint on stderr; with `json` also micromamba-style
/// `{"success": false, ..., "variant_problem": {"message", "details", "hint"}}` on stdout).
/// Returns the exit status.
int report_variant_error(const solver::VariantError& error, bool json, bool dry_run,
                         const std::string& prefix);

}  // namespace cenv::cli

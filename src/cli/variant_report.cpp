#include "cli/variant_report.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "solver/solve.hpp"
#include "system/cuda.hpp"

namespace cenv::cli {

namespace {

// The override variable that decided `__cuda` (CENV_ wins over CONDA_, even when empty), or
// empty when detection decided.
std::string cuda_override_variable() {
    for (const char* var : {"CENV_OVERRIDE_CUDA", "CONDA_OVERRIDE_CUDA"}) {
        if (std::getenv(var) != nullptr) {
            return var;
        }
    }
    return {};
}

solver::MachineCuda machine_cuda(const std::vector<system::VirtualPackage>& virtual_packages,
                                 const system::DetectOptions& detect) {
    solver::MachineCuda machine;
    machine.source = cuda_override_variable();
    for (const auto& vp : virtual_packages) {
        if (vp.name == "__cuda") {
            machine.cuda = vp.version;
        }
    }
    if (machine.source.empty() && machine.cuda) {
        // The driver's own version makes the explanation concrete ("driver 525.60.13 ->
        // CUDA 12.0"); only asked for when a variant package is in the request.
        if (const auto driver = system::detect_cuda(detect)) {
            machine.driver_version = driver->driver_version;
            machine.source = driver->source;
        }
    }
    return machine;
}

}  // namespace

std::vector<std::string> VariantPlan::specs() const {
    std::vector<std::string> out;
    for (const auto& e : expansions) {
        out.insert(out.end(), e.specs.begin(), e.specs.end());
    }
    return out;
}

VariantPlan plan_variants(const std::vector<std::string>& specs, const solver::ChannelOffer& offer,
                          const std::vector<system::VirtualPackage>& virtual_packages,
                          const system::DetectOptions& detect) {
    const auto& table = solver::VariantTable::builtin();
    VariantPlan plan;
    plan.expansions = solver::expand_specs(specs, offer, table);
    const bool involved =
        std::any_of(plan.expansions.begin(), plan.expansions.end(),
                    [&](const auto& e) { return table.is_variant_package(e.package); });
    if (involved) {
        plan.machine = machine_cuda(virtual_packages, detect);
        plan.warnings = solver::check_driver(plan.expansions, plan.machine, offer, table);
        plan.cap = solver::runtime_cap(plan.expansions, plan.machine, offer, table);
    }
    return plan;
}

solver::Solution solve_with_variants(solver::Database& db, const solver::Request& request,
                                     VariantPlan& plan) {
    if (plan.cap) {
        solver::Request capped = request;
        capped.pins.push_back(*plan.cap);
        try {
            auto solution = solver::solve(db, capped);
            plan.cap_used = true;
            return solution;
        } catch (const solver::SolverError&) {
            // A runtime newer than the driver's release may still run (minor-version
            // compatibility): solve without the cap; choice_notes says so.
        }
    }
    plan.cap_used = false;
    return solver::solve(db, request);
}

std::vector<std::string> choice_notes(const VariantPlan& plan, const solver::Solution& solution,
                                      const solver::ChannelOffer& offer) {
    std::vector<std::string> notes;
    if (plan.cap_used) {
        notes.push_back(
            fmt::format("{}: the CUDA runtime stays within what the driver supports "
                        "({})",
                        *plan.cap, plan.machine.describe()));
    }
    for (const auto& e : plan.expansions) {
        if (auto note = solver::describe_choice(e, solution.final_state, plan.machine, offer);
            !note.empty()) {
            notes.push_back(std::move(note));
        }
    }
    return notes;
}

void print_plan_notes(const VariantPlan& plan) {
    for (const auto& e : plan.expansions) {
        if (e.changed()) {
            std::cerr << "note: " << e.str() << '\n';
        }
    }
    for (const auto& w : plan.warnings) {
        std::cerr << "warning: " << w << '\n';
    }
}

void add_json(nlohmann::json& out, const VariantPlan& plan) {
    nlohmann::json expansions = nlohmann::json::array();
    for (const auto& e : plan.expansions) {
        if (!e.changed()) {
            continue;
        }
        expansions.push_back({{"spec", e.written},
                              {"solved_as", e.specs},
                              {"route", e.route},
                              {"variant", e.selector ? e.selector->name : std::string{}}});
    }
    out["spec_expansions"] = std::move(expansions);
    out["variant_warnings"] = plan.warnings;
}

int report_variant_error(const solver::VariantError& error, bool json, bool dry_run,
                         const std::string& prefix) {
    if (json) {
        const nlohmann::json out = {
            {"success", false},
            {"dry_run", dry_run},
            {"prefix", prefix},
            {"error", error.what()},
            {"variant_problem",
             {{"message", error.what()}, {"details", error.details()}, {"hint", error.hint()}}}};
        std::cout << out.dump(2) << '\n';
    }
    std::cerr << "error: " << error.what() << '\n';
    for (const auto& line : error.details()) {
        std::cerr << "  - " << line << '\n';
    }
    std::cerr << "hint: " << error.hint() << '\n';
    return 1;
}

}  // namespace cenv::cli

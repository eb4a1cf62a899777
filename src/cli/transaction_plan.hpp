#pragma once
// How a planned transaction is shown: the table of packages (name, version, build, channel,
// size, action) with a summary, and the micromamba-layout `actions` object of --json.

#include <filesystem>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "solver/request.hpp"

namespace cenv::cli {

/// The plan as a table on stdout. `cached` holds the dist names whose archive or tree is in
/// the package cache already (their size column says so).
void print_plan(const std::filesystem::path& prefix, const solver::Solution& solution,
                const std::set<std::string>& cached);

/// One record as micromamba's JSON lists it under LINK, UNLINK and FETCH.
nlohmann::json action_entry(const specs::PackageRecord& record);

/// micromamba's `actions`: PREFIX, LINK, UNLINK, FETCH (the packages that are, or were,
/// fetched: those not in `cached`).
nlohmann::json actions_json(const std::filesystem::path& prefix, const solver::Solution& solution,
                            const std::set<std::string>& cached);

}  // namespace cenv::cli

#pragma once
// Solving a request against a Database.

#include "solver/database.hpp"
#include "solver/request.hpp"

namespace cenv::solver {

/// Solves `request`. Throws specs::ParseError for a spec that does not parse,
/// PackagesNotFoundError when a requested spec has no candidate at all, UnsolvableError
/// (with one line per incompatibility) when no solution exists.
Solution solve(Database& database, const Request& request);

}  // namespace cenv::solver

#pragma once
// Wording of failed solves, in terms a person can act on (internal to src/solver): the
// machine's virtual packages (`__cuda`: what the driver supports and how to solve for
// another machine), names close to a missing one, the channels and platforms searched.

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "solver/database_impl.hpp"
#include "solver/error.hpp"

namespace cenv::solver::detail {

/// The installed virtual package `name` (`__cuda`), or nullptr when the machine lacks it.
const specs::PackageRecord* find_virtual(const Database::Impl& db, std::string_view name);

/// One problem of a failed solve as readable lines: the requests (and pins, earlier
/// requests) first, then what packages depend on (builds of one version that need the
/// same thing on one line), then conflicts (builds of one name as one line of versions).
/// `history_deps` are the job dependencies that came from conda-meta/history. Dependency
/// lines that do not lead to the incompatibility (a rule list can hold hundreds) are left out.
std::vector<ProblemStep> describe_problem(Solver* solv, const Database::Impl& db, Id problem,
                                          const std::set<Id>& history_deps);

/// Why a dependency on a virtual package (`__cuda>=12`) cannot be met here:
/// "this machine provides __cuda 11.8" / "no NVIDIA driver was detected (no __cuda)".
/// Empty when `spec` does not name a virtual package.
std::string virtual_shortfall(const Database::Impl& db, std::string_view spec);

/// The hint for a failed solve whose problem lines are `problems`: CUDA advice when
/// `__cuda` is involved, generic advice otherwise.
std::string unsolvable_hint(const Database::Impl& db, const std::vector<std::string>& problems);

/// Package names in the database close to `name` (typo distance, or containing it), at
/// most five, best first.
std::vector<std::string> close_names(const Database::Impl& db, std::string_view name);

/// The distinct versions of `name` in the database, newest first, at most `max` (the last
/// entry says how many more there are). Call after Database::Impl::prepare().
std::vector<std::string> available_versions(Database::Impl& db, std::string_view name,
                                            std::size_t max);

/// {"channel-1 (linux-64, noarch)", "channel-2 (noarch)"}: the channels and subdirs searched.
std::vector<std::string> searched_list(const Database::Impl& db);

/// "channel-1 (linux-64, noarch), channel-2 (noarch)": the channels and subdirs searched.
std::string searched_channels(const Database::Impl& db);

}  // namespace cenv::solver::detail

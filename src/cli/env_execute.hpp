#pragma once
// What create, install, update and remove do once the solve has a plan: lock the prefix
// (recovering an interrupted transaction first), ask on a terminal, run the transaction
// with progress on stderr, and report what was done (human or micromamba's JSON).

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/env_solve.hpp"
#include "config/settings.hpp"
#include "install/package_cache.hpp"
#include "install/prefix_lock.hpp"
#include "solver/request.hpp"

namespace cenv::cli {

/// The package cache of the settings: pkgs_dirs, else <root>/pkgs.
install::PackageCache package_cache(const config::Settings& settings,
                                    const std::filesystem::path& root);

/// The dist names among `records` that the cache has (tree or archive).
std::set<std::string> cached_dists(const install::PackageCache& cache,
                                   const std::vector<specs::PackageRecord>& records);

/// Locks `prefix` when it exists (saying so on stderr when another cenv holds it) and
/// reports a recovered transaction on stderr; nullopt when there is no such folder.
std::optional<install::PrefixLock> lock_prefix_if_present(const std::filesystem::path& prefix);

/// For `create`: refuses a prefix that is a non-empty folder (unless it is an environment
/// and `force` is set). Throws util::Error with a hint.
void check_create_target(const std::filesystem::path& prefix, bool force);

/// Everything the execution needs from the solve.
struct PlannedTransaction {
    std::filesystem::path prefix;
    solver::Solution solution;
    std::vector<std::string> specs;  ///< the specs as solved (aliases expanded)
    bool create = false;
    bool remove = false;
};

/// Asks, runs and reports the transaction; returns the exit status. `lock` is the prefix's
/// lock when the prefix existed (create makes the folder and locks it).
int execute_transaction(const EnvOptions& options, const config::Settings& settings,
                        const PlannedTransaction& planned,
                        std::optional<install::PrefixLock>& lock);

}  // namespace cenv::cli

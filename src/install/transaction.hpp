#pragma once
// Executing a solved transaction on an environment, all or nothing.
//
// In order: the packages are prepared in the package cache (fetched and extracted, see
// prepare.hpp) before the prefix is touched; the plan is checked for clobbered paths; the
// journal is written (journal.hpp); pre-unlink scripts run and the removed packages' files
// are moved aside; the new packages are linked (in parallel, the last package in dependency
// order winning a shared path); .pyc files are compiled; post-link scripts run in dependency
// order; the conda-meta records and the history entry are written; the journal commits.
// Any failure before the commit (a package, a script, a full disk, Ctrl-C or SIGTERM) puts
// the prefix back as it was and throws.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "install/fetch.hpp"
#include "install/package_cache.hpp"
#include "install/prefix_lock.hpp"
#include "specs/package_record.hpp"

namespace cenv::install {

/// conda's safety_checks: what a clobbered path (two packages writing the same path, or a
/// package overwriting a file already there) does.
enum class SafetyChecks { warn, enabled, disabled };

/// `warn`, `enabled` or `disabled`. Throws InstallError for another word.
SafetyChecks parse_safety_checks(std::string_view text);

struct TransactionRequest {
    std::vector<specs::PackageRecord> unlink;       ///< installed; dependants first
    std::vector<specs::PackageRecord> link;         ///< dependencies first
    std::vector<specs::PackageRecord> final_state;  ///< the environment afterwards
    /// The specs the user named: each linked package they name records its spec
    /// (`requested_spec`), and history gets `# <history_action> specs: [...]`.
    std::vector<std::string> specs;
    std::string history_action = "update";  ///< `update` (create/install/update) or `remove`
    std::string command_line;               ///< for `# cmd:` in the history
    bool created_prefix = false;            ///< the prefix folder was made for this transaction
};

struct TransactionEvent {
    enum class Kind {
        prepared,     ///< a package's tree is ready in the cache (done of total)
        unlinking,    ///< `text`: the package being removed
        linked,       ///< `text`: a package whose files are in (done of total)
        compiling,    ///< .pyc files (total)
        script,       ///< `text`: the package whose post-link script runs
        warning,      ///< `text`: a warning for the user
        message,      ///< `text`: what a package's script asked to show (`package`: whose)
        rolling_back  ///< `text`: why
    };
    Kind kind;
    std::string text;
    std::string package;
    std::size_t done = 0;
    std::size_t total = 0;
};

struct TransactionOptions {
    std::filesystem::path root_prefix;  ///< ROOT_PREFIX for link scripts
    SafetyChecks safety_checks = SafetyChecks::warn;
    FetchArchives fetch = fetch_by_scheme();
    std::size_t threads = 0;  ///< 0: one per core
    std::function<void(const TransactionEvent&)> on_event;
};

struct TransactionResult {
    std::vector<std::size_t> fetched;   ///< indexes in `link` of the packages fetched
    std::vector<std::string> warnings;  ///< also sent as events
    std::size_t pyc_compiled = 0;
    /// Wall time of each phase (prepare, plan, unlink, link, pyc, scripts, records, commit),
    /// in seconds, for CENV_TIMINGS.
    std::vector<std::pair<std::string, double>> phases;
};

/// Runs `request` on the locked prefix. Throws InstallError naming the package and path
/// at fault (Interrupted after Ctrl-C/SIGTERM), after putting the prefix back as it was.
TransactionResult run_transaction(const PrefixLock& lock, PackageCache& cache,
                                  const TransactionRequest& request,
                                  const TransactionOptions& options);

}  // namespace cenv::install

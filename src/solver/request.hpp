#pragma once
// What the user asks of a solve, and what a solve answers: an ordered transaction.

#include <string>
#include <vector>

#include "specs/package_record.hpp"

namespace cenv::solver {

/// conda's channel_priority: `strict` never takes a package name from a lower-priority
/// channel when a higher one has that name; `flexible` prefers the higher channel but may
/// fall back; `disabled` ignores channel order (the best version wins).
enum class ChannelPriority { strict, flexible, disabled };

struct Request {
    enum class Op {
        install,  ///< create, or install into an environment: add or change the specs
        update,   ///< update the named packages (or all, see update_all)
        remove,   ///< remove the named packages and what depends on them
    };
    Op op = Op::install;
    /// The specs on the command line (match-spec syntax).
    std::vector<std::string> specs;
    /// What the user asked for before (conda-meta/history): kept satisfied by the solve.
    std::vector<std::string> history_specs;
    /// conda-meta/pinned and the pinned_packages setting: constraints, never installs.
    std::vector<std::string> pins;
    ChannelPriority channel_priority = ChannelPriority::strict;
    bool update_all = false;            ///< `update --all`
    bool freeze_installed = false;      ///< keep every installed package not named in specs
    bool no_deps = false;               ///< link only the requested packages
    bool only_deps = false;             ///< link only the dependencies of the requested packages
    bool force_reinstall = false;       ///< relink requested packages that are already installed
    bool force_remove = false;          ///< remove: unlink only the named packages, not dependants
    bool update_deps = false;           ///< also update the dependencies of the requested packages
    bool prune = false;                 ///< keep only what the given specs need (history ignored)
    bool satisfied_skip_solve = false;  ///< change nothing when installed packages satisfy specs
    /// Installed packages always updated to their newest build (conda's
    /// aggressive_update_packages; its default is ca-certificates, certifi, openssl).
    std::vector<std::string> aggressive_update_packages;
};

/// An ordered transaction. Packages replaced by another build appear in both lists.
struct Solution {
    /// Installed packages to remove, dependants before their dependencies.
    std::vector<specs::PackageRecord> unlink;
    /// Packages to install, dependencies before their dependants.
    std::vector<specs::PackageRecord> link;
    /// The environment after the transaction (virtual packages left out), by name.
    std::vector<specs::PackageRecord> final_state;
};

}  // namespace cenv::solver

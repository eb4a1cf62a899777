#pragma once
// Database's insides, shared by database.cpp and solve.cpp only (includes libsolv).

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "solver/database.hpp"
#include "solver/libsolv.hpp"
#include "specs/match_spec.hpp"
#include "specs/version.hpp"

namespace cenv::solver {

/// A libsolv Queue that frees itself.
struct OwnedQueue {
    Queue q;
    OwnedQueue() { queue_init(&q); }
    ~OwnedQueue() { queue_free(&q); }
    OwnedQueue(const OwnedQueue&) = delete;
    OwnedQueue& operator=(const OwnedQueue&) = delete;
};

struct Database::Impl {
    struct Entry {
        specs::PackageRecord record;
        std::optional<specs::Version> version;  // nullopt when it does not parse
        bool is_virtual = false;
        bool is_installed = false;  // in the installed repo (virtual packages too)
    };
    struct RepoInfo {
        Repo* repo = nullptr;
        int priority = 0;
    };

    Impl();
    ~Impl();
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    Pool* pool = nullptr;
    Repo* installed = nullptr;
    std::vector<RepoInfo> repos;
    Id ns_match = 0;    // providers: the candidates a spec matches
    Id ns_exclude = 0;  // providers: same-name candidates a spec does not match (constrains)
    std::deque<Entry> entries;
    std::vector<Entry*> by_id;                                       // solvable id -> entry
    std::unordered_map<Id, std::vector<Id>> by_name;                 // name id -> solvables
    std::unordered_map<Id, std::optional<specs::MatchSpec>> parsed;  // spec string id -> spec
    bool dirty = true;

    Repo* installed_repo();
    /// Adds `records` to `repo` as one block of solvables.
    void add_all(Repo* repo, std::vector<specs::PackageRecord> records, bool is_virtual);
    /// Fills solvable `id` (already allocated in `repo`) from `record`.
    void add(Repo* repo, specs::PackageRecord record, bool is_virtual, Id id);

    /// The namespace dependency "a package matching `spec`" / "a package of the same name not
    /// matching `spec`".
    Id match_dep(std::string_view spec);
    Id exclude_dep(std::string_view spec);

    /// Ranks, internalised repos and libsolv's provider index, when anything changed.
    void prepare();

    /// The spec behind a namespace dependency, for messages; empty when `dep` is not one.
    [[nodiscard]] std::string dep_to_string(Id dep) const;
    /// `name-version-build` of a solvable.
    [[nodiscard]] std::string solvable_to_string(Id id) const;

    Entry* entry(Id id) const {
        return id >= 0 && static_cast<std::size_t>(id) < by_id.size()
                   ? by_id[static_cast<std::size_t>(id)]
                   : nullptr;
    }

    Id providers(Id spec_id, bool exclude);
};

}  // namespace cenv::solver

#pragma once
// Database's insides, shared by database.cpp and solve.cpp only (includes libsolv).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "solver/database.hpp"
#include "solver/libsolv.hpp"
#include "solver/record_table.hpp"
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
    /// A solvable's record in full, made when something first asks for it (the namespace
    /// callback for the candidates of the names a solve touches, a solution's records):
    /// most of the pool's records never need one.
    struct Entry {
        specs::PackageRecord record;
        std::optional<specs::Version> version;  // nullopt when it does not parse
        bool is_virtual = false;
        bool is_installed = false;  // in the installed repo (virtual packages too)
    };
    /// Where a solvable's record is: its table and row.
    struct Slot {
        std::uint32_t table = no_table;
        std::uint32_t row = 0;
        bool is_virtual = false;
        bool is_installed = false;
    };
    static constexpr std::uint32_t no_table = 0xffffffffU;
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
    std::vector<std::unique_ptr<const RecordTable>> tables;
    std::vector<Slot> slots;                              // solvable id -> record
    mutable std::vector<std::unique_ptr<Entry>> entries;  // solvable id -> record, once made
    std::vector<Id> names;                                // every package name, once
    std::size_t record_count = 0;
    /// Per name whose builds are ranked: its solvables from least to most preferred. Ranks
    /// are made lazily, when a namespace dependency first looks at a name (and at once for
    /// installed names): a solve looks at a few hundred names of tens of thousands.
    std::unordered_map<Id, std::vector<Id>> ranked;
    std::unordered_map<Id, std::optional<specs::MatchSpec>> parsed;  // spec string id -> spec
    bool has_cuda = false;
    bool dirty = true;

    Repo* installed_repo();
    /// Adds `records` to `repo` as one block of solvables.
    void add_all(Repo* repo, std::vector<specs::PackageRecord> records, bool is_virtual);
    /// Adds the rows of `table` (but the dropped ones) to `repo` as one block of solvables.
    void add_table(Repo* repo, std::unique_ptr<const RecordTable> table, bool is_virtual);

    /// The namespace dependency "a package matching `spec`" / "a package of the same name not
    /// matching `spec`".
    Id match_dep(std::string_view spec);
    Id exclude_dep(std::string_view spec);

    /// Internalised repos and libsolv's provider index, when anything changed; ranks of the
    /// installed names.
    void prepare();

    /// The solvables named `name` (a pool string id), ranked, from least to most preferred;
    /// null when there are none. Only after prepare().
    const std::vector<Id>* builds(Id name);

    /// The spec behind a namespace dependency, for messages; empty when `dep` is not one.
    [[nodiscard]] std::string dep_to_string(Id dep) const;
    /// `name-version-build` of a solvable.
    [[nodiscard]] std::string solvable_to_string(Id id) const;

    /// The record of solvable `id` (made on first use); null when `id` has none.
    const Entry* entry(Id id) const;

    /// Calls `f(id, entry)` for each solvable of the installed repo (virtual packages too).
    template <typename F>
    void for_each_installed(F&& f) const {
        if (installed == nullptr) {
            return;
        }
        Id p = 0;
        Solvable* s = nullptr;
        FOR_REPO_SOLVABLES(installed, p, s) {
            if (const Entry* e = entry(p); e != nullptr) {
                f(p, *e);
            }
        }
    }

    Id providers(Id spec_id, bool exclude);
};

}  // namespace cenv::solver

#include "solver/solve.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>

#include <fmt/format.h>

#include "solver/database_impl.hpp"
#include "solver/error.hpp"
#include "solver/explain.hpp"
#include "specs/error.hpp"
#include "specs/match_spec.hpp"

namespace cenv::solver {

namespace {

bool has_providers(Pool* pool, Id dep) {
    Id p = 0;
    Id pp = 0;
    FOR_PROVIDES(p, pp, dep) {
        return true;
    }
    return false;
}

std::string spec_name(const std::string& text) {
    return specs::MatchSpec::parse(text).name().str();
}

// Drops installed packages that only a requested package, in the build it leaves, needed:
// not asked for by the user (history or this request), required by the unlinked build of a
// requested package (or by an orphan already dropped), and by nothing that stays. conda
// removes such orphans (test_freeze_deps_1) but keeps those of packages it merely updates
// along the way (test_update_deps_1).
void remove_orphans(const Request& request, const std::set<std::string>& requested_names,
                    Solution& solution) {
    std::set<std::string> user_names = requested_names;
    for (const auto& text : request.history_specs) {
        try {
            user_names.insert(spec_name(text));
        } catch (const specs::ParseError&) {
            continue;
        }
    }
    std::map<std::string, std::optional<specs::MatchSpec>> parsed;
    const auto requires_record = [&](const specs::PackageRecord& by,
                                     const specs::PackageRecord& record) {
        for (const auto& dep : by.depends) {
            auto it = parsed.find(dep);
            if (it == parsed.end()) {
                std::optional<specs::MatchSpec> spec;
                try {
                    spec = specs::MatchSpec::parse(dep);
                } catch (const specs::ParseError&) {
                    spec.reset();
                }
                it = parsed.emplace(dep, std::move(spec)).first;
            }
            if (it->second && it->second->contains(record)) {
                return true;
            }
        }
        return false;
    };
    std::set<std::string> linked;
    for (const auto& r : solution.link) {
        linked.insert(r.dist_str());
    }
    // Packages the request replaces or removes, and (as the loop goes) the orphans dropped.
    std::set<std::string> leaving_names = requested_names;
    for (bool changed = true; changed;) {
        changed = false;
        for (auto it = solution.final_state.begin(); it != solution.final_state.end(); ++it) {
            const specs::PackageRecord& r = *it;
            if (user_names.count(r.name) != 0 || linked.count(r.dist_str()) != 0) {
                continue;
            }
            const bool needed_by_leaving =
                std::any_of(solution.unlink.begin(), solution.unlink.end(), [&](const auto& u) {
                    return leaving_names.count(u.name) != 0 && requires_record(u, r);
                });
            if (!needed_by_leaving) {
                continue;
            }
            const bool needed_by_staying =
                std::any_of(solution.final_state.begin(), solution.final_state.end(),
                            [&](const auto& f) { return &f != &r && requires_record(f, r); });
            if (needed_by_staying) {
                continue;
            }
            leaving_names.insert(r.name);
            solution.unlink.push_back(r);
            solution.final_state.erase(it);
            changed = true;
            break;
        }
    }
}

// The names that `roots` need in `state`, directly or through other packages, roots included.
std::set<std::string> dependency_closure(const std::vector<specs::PackageRecord>& state,
                                         const std::set<std::string>& roots) {
    std::map<std::string, const specs::PackageRecord*> by_name;
    for (const auto& r : state) {
        by_name[r.name] = &r;
    }
    std::set<std::string> seen;
    std::vector<std::string> todo(roots.begin(), roots.end());
    while (!todo.empty()) {
        const std::string name = todo.back();
        todo.pop_back();
        const auto it = by_name.find(name);
        if (it == by_name.end() || !seen.insert(name).second) {
            continue;
        }
        for (const auto& dep : it->second->depends) {
            try {
                todo.push_back(spec_name(dep));
            } catch (const specs::ParseError&) {
                continue;
            }
        }
    }
    return seen;
}

// One libsolv solve. `also_update`: installed packages to move to their best build, their
// history specs reduced to the name (--update-deps, aggressive_update_packages).
Solution solve_once(Database& database, const Request& request,
                    const std::set<std::string>& also_update) {
    Database::Impl& db = database.impl();
    Pool* pool = db.pool;

    // Parse first: a malformed spec is the user's error, named with its text.
    for (const auto& text : request.specs) {
        (void)specs::MatchSpec::parse(text);
    }
    std::set<std::string> requested_names;
    for (const auto& text : request.specs) {
        requested_names.insert(spec_name(text));
    }

    // Job dependencies are made before the provider index, so it is built once.
    std::vector<Id> spec_deps;
    for (const auto& text : request.specs) {
        spec_deps.push_back(db.match_dep(text));
    }
    // What the user asked for before stays satisfied, except on remove (dependants of a
    // removed package go with it) and update --all (every package may move, by name only).
    std::vector<Id> history_deps;
    if (request.op != Request::Op::remove) {
        for (const auto& text : request.history_specs) {
            std::string name;
            try {
                name = spec_name(text);
            } catch (const specs::ParseError&) {
                continue;  // an old history entry we cannot read does not block a new request
            }
            if (requested_names.count(name) != 0) {
                continue;  // the new spec replaces the old one
            }
            const bool relax = request.update_all || also_update.count(name) != 0;
            history_deps.push_back(db.match_dep(relax ? name : text));
        }
        // conda's rule: python keeps its minor version unless python itself is requested.
        if (requested_names.count("python") == 0 && db.installed != nullptr) {
            db.for_each_installed([&](Id /*id*/, const Database::Impl::Entry& entry) {
                if (entry.is_virtual || entry.record.name != "python" ||
                    entry.record.version.empty()) {
                    return;
                }
                const auto& v = entry.record.version;
                const auto first = v.find('.');
                const auto second =
                    first == std::string::npos ? std::string::npos : v.find('.', first + 1);
                if (second != std::string::npos) {
                    history_deps.push_back(db.match_dep("python " + v.substr(0, second) + ".*"));
                }
            });
        }
    }
    // Which installed packages the user asked for: libsolv's cleandeps keeps them and drops
    // the dependencies nothing needs any more (conda removes such orphans too).
    std::vector<Id> user_deps;
    for (const auto& text : request.history_specs) {
        try {
            user_deps.push_back(db.match_dep(spec_name(text)));
        } catch (const specs::ParseError&) {
            continue;
        }
    }
    std::vector<Id> also_update_deps;
    for (const auto& name : also_update) {
        if (requested_names.count(name) == 0) {
            also_update_deps.push_back(db.match_dep(name));
        }
    }
    std::vector<Id> pin_deps;
    for (const auto& text : request.pins) {
        (void)specs::MatchSpec::parse(text);
        pin_deps.push_back(db.exclude_dep(text));
    }
    db.prepare();

    for (auto& info : db.repos) {
        info.repo->priority =
            request.channel_priority == ChannelPriority::disabled ? 0 : info.priority;
    }

    std::vector<std::string> missing;
    for (std::size_t i = 0; i < spec_deps.size(); ++i) {
        if (request.op != Request::Op::remove && !has_providers(pool, spec_deps[i])) {
            missing.push_back(request.specs[i]);
        }
    }
    if (request.op == Request::Op::remove) {
        // Removing what is not installed is a mistake worth saying (conda does too).
        std::vector<std::string> not_installed;
        for (std::size_t i = 0; i < spec_deps.size(); ++i) {
            bool installed = false;
            Id p = 0;
            Id pp = 0;
            FOR_PROVIDES(p, pp, spec_deps[i]) {
                const auto* e = db.entry(p);
                installed = installed || (e != nullptr && e->is_installed && !e->is_virtual);
            }
            if (!installed) {
                not_installed.push_back(request.specs[i]);
            }
        }
        if (!not_installed.empty()) {
            throw PackagesNotFoundError(
                fmt::format("no installed package matches {}",
                            fmt::format("'{}'", fmt::join(not_installed, "', '"))),
                "check the spelling: the environment's conda-meta/*.json files name what is "
                "installed",
                not_installed);
        }
    }
    if (!missing.empty()) {
        std::vector<std::string> suggestions;
        std::vector<std::string> existing;  // "python: 3.7.0, 3.6.6, ..." for names that exist
        for (const auto& text : missing) {
            const std::string name = spec_name(text);
            if (db.builds(pool_str2id(pool, name.c_str(), 0)) != nullptr) {
                // The name exists; the version or build does not.
                const auto versions = detail::available_versions(db, name, 6);
                if (!versions.empty()) {
                    existing.push_back(
                        fmt::format("{} has versions {}", name, fmt::join(versions, ", ")));
                }
                continue;
            }
            for (auto& close : detail::close_names(db, name)) {
                if (std::find(suggestions.begin(), suggestions.end(), close) == suggestions.end()) {
                    suggestions.push_back(std::move(close));
                }
            }
        }
        std::string hint =
            !existing.empty() ? fmt::format("{} (cenv search NAME -c CHANNEL lists every build)",
                                            fmt::join(existing, "; "))
            : suggestions.empty()
                ? std::string(
                      "check the spelling and the version (cenv search NAME -c "
                      "CHANNEL lists what a channel has), or add the channel that has "
                      "it with -c")
                : fmt::format(
                      "did you mean {}? (cenv search NAME -c CHANNEL lists what a "
                      "channel has)",
                      fmt::format("'{}'", fmt::join(suggestions, "', '")));
        throw PackagesNotFoundError(fmt::format("no package matches {} in {}",
                                                fmt::format("'{}'", fmt::join(missing, "', '")),
                                                detail::searched_channels(db)),
                                    std::move(hint), missing, detail::searched_list(db),
                                    !existing.empty() ? existing : suggestions);
    }

    OwnedQueue job;
    // Installed state.
    std::unordered_set<Id> installed_ids;
    if (db.installed != nullptr) {
        Id p = 0;
        Solvable* s = nullptr;
        FOR_REPO_SOLVABLES(db.installed, p, s) {
            installed_ids.insert(p);
            const auto* e = db.entry(p);
            if (e != nullptr && e->is_virtual) {
                queue_push2(&job.q, SOLVER_LOCK | SOLVER_SOLVABLE, p);
            } else if (request.freeze_installed && e != nullptr &&
                       requested_names.count(e->record.name) == 0) {
                queue_push2(&job.q, SOLVER_LOCK | SOLVER_SOLVABLE, p);
            }
        }
    }
    for (const Id dep : pin_deps) {
        queue_push2(&job.q, SOLVER_ERASE | SOLVER_SOLVABLE_PROVIDES, dep);
    }
    for (const Id dep : user_deps) {
        queue_push2(&job.q, SOLVER_USERINSTALLED | SOLVER_SOLVABLE_PROVIDES, dep);
    }
    for (const Id dep : history_deps) {
        if (has_providers(pool, dep)) {
            queue_push2(&job.q, SOLVER_INSTALL | SOLVER_SOLVABLE_PROVIDES, dep);
        }
    }
    for (const Id dep : also_update_deps) {
        queue_push2(&job.q, SOLVER_UPDATE | SOLVER_SOLVABLE_PROVIDES, dep);
    }
    switch (request.op) {
        case Request::Op::install:
            for (const Id dep : spec_deps) {
                queue_push2(&job.q, SOLVER_INSTALL | SOLVER_SOLVABLE_PROVIDES, dep);
                // conda updates an installed package that is named again (update_specs).
                queue_push2(&job.q, SOLVER_UPDATE | SOLVER_SOLVABLE_PROVIDES, dep);
            }
            break;
        case Request::Op::update:
            for (const Id dep : spec_deps) {
                queue_push2(&job.q, SOLVER_INSTALL | SOLVER_SOLVABLE_PROVIDES, dep);
                queue_push2(&job.q, SOLVER_UPDATE | SOLVER_SOLVABLE_PROVIDES, dep);
            }
            if (request.update_all) {
                queue_push2(&job.q, SOLVER_UPDATE | SOLVER_SOLVABLE_ALL, 0);
            }
            break;
        case Request::Op::remove:
            for (const Id dep : spec_deps) {
                queue_push2(&job.q, SOLVER_ERASE | SOLVER_SOLVABLE_PROVIDES, dep);
            }
            break;
    }

    const std::unique_ptr<Solver, void (*)(Solver*)> owned_solver(solver_create(pool), solver_free);
    Solver* solv = owned_solver.get();
    solver_set_flag(solv, SOLVER_FLAG_ALLOW_DOWNGRADE, 1);
    solver_set_flag(solv, SOLVER_FLAG_ALLOW_UNINSTALL, 1);
    solver_set_flag(solv, SOLVER_FLAG_STRICT_REPO_PRIORITY,
                    request.channel_priority == ChannelPriority::strict ? 1 : 0);
    const int problem_count = solver_solve(solv, &job.q);
    if (problem_count != 0) {
        std::vector<std::string> problems;
        std::vector<std::vector<ProblemStep>> tree;
        std::set<std::string> seen;
        const std::set<Id> history_set(history_deps.begin(), history_deps.end());
        for (Id problem = 1; problem <= problem_count; ++problem) {
            auto steps = detail::describe_problem(solv, db, problem, history_set);
            for (const auto& step : steps) {
                if (seen.insert(step.text).second) {
                    problems.push_back(step.text);
                }
            }
            tree.push_back(std::move(steps));
        }
        // Long rule lists repeat one pattern over many builds: show the first ones.
        constexpr std::size_t kMaxLines = 24;
        if (problems.size() > kMaxLines) {
            const std::size_t more = problems.size() - (kMaxLines - 1);
            problems.resize(kMaxLines - 1);
            problems.push_back(fmt::format("... and {} more lines like these", more));
        }
        std::string hint = detail::unsolvable_hint(db, problems);
        throw UnsolvableError(fmt::format("the request {} cannot be satisfied",
                                          fmt::format("'{}'", fmt::join(request.specs, "' '"))),
                              std::move(hint), std::move(problems), std::move(tree));
    }

    Solution solution;
    const std::unique_ptr<Transaction, void (*)(Transaction*)> owned_transaction(
        solver_create_transaction(solv), transaction_free);
    Transaction* trans = owned_transaction.get();
    transaction_order(trans, 0);
    for (int i = 0; i < trans->steps.count; ++i) {
        const Id p = trans->steps.elements[i];
        const auto* e = db.entry(p);
        if (e == nullptr || e->is_virtual) {
            continue;
        }
        if (installed_ids.count(p) != 0) {
            solution.unlink.push_back(e->record);
        } else {
            solution.link.push_back(e->record);
        }
    }
    std::reverse(solution.unlink.begin(), solution.unlink.end());

    OwnedQueue decisions;
    solver_get_decisionqueue(solv, &decisions.q);
    for (int i = 0; i < decisions.q.count; ++i) {
        const Id p = decisions.q.elements[i];
        if (p <= 0) {
            continue;
        }
        const auto* e = db.entry(p);
        if (e != nullptr && !e->is_virtual) {
            solution.final_state.push_back(e->record);
        }
    }
    if (!request.history_specs.empty()) {
        remove_orphans(request, requested_names, solution);
    }
    if (request.no_deps || request.only_deps) {
        // Keep the requested packages only (--no-deps) or everything but them (--only-deps).
        // --only-deps keeps requested packages that were installed before (they may change).
        std::set<std::string> installed_names;
        if (db.installed != nullptr) {
            Id p = 0;
            Solvable* s = nullptr;
            FOR_REPO_SOLVABLES(db.installed, p, s) {
                if (const auto* e = db.entry(p); e != nullptr) {
                    installed_names.insert(e->record.name);
                }
            }
        }
        const auto drop = [&](std::vector<specs::PackageRecord>& records) {
            std::erase_if(records, [&](const specs::PackageRecord& r) {
                if (request.only_deps) {
                    return requested_names.count(r.name) != 0 && installed_names.count(r.name) == 0;
                }
                return requested_names.count(r.name) == 0;
            });
        };
        drop(solution.link);
        drop(solution.unlink);
        std::set<std::string> linked;
        for (const auto& r : solution.link) {
            linked.insert(r.name);
        }
        std::set<std::string> unlinked;
        for (const auto& r : solution.unlink) {
            unlinked.insert(r.name);
        }
        std::vector<specs::PackageRecord> final_state;
        if (db.installed != nullptr) {
            Id p = 0;
            Solvable* s = nullptr;
            FOR_REPO_SOLVABLES(db.installed, p, s) {
                const auto* e = db.entry(p);
                if (e != nullptr && !e->is_virtual && unlinked.count(e->record.name) == 0) {
                    final_state.push_back(e->record);
                }
            }
        }
        for (const auto& r : solution.link) {
            final_state.push_back(r);
        }
        solution.final_state = std::move(final_state);
    }
    if (request.force_reinstall) {
        // Requested packages that the solve keeps as they are are unlinked and linked again,
        // from the channel's record of the same build when there is one.
        for (const auto& installed_record : std::vector(solution.final_state)) {
            if (requested_names.count(installed_record.name) == 0) {
                continue;
            }
            const bool changed =
                std::any_of(solution.link.begin(), solution.link.end(),
                            [&](const auto& r) { return r.name == installed_record.name; });
            if (changed) {
                continue;
            }
            const specs::PackageRecord* source = &installed_record;
            const auto* ids = db.builds(pool_str2id(pool, installed_record.name.c_str(), 0));
            for (const Id p : ids != nullptr ? *ids : std::vector<Id>{}) {
                const auto* entry = db.entry(p);
                if (!entry->is_virtual && entry->record.version == installed_record.version &&
                    entry->record.build == installed_record.build && !entry->is_installed) {
                    source = &entry->record;
                    break;
                }
            }
            solution.link.push_back(*source);
            solution.unlink.push_back(installed_record);
        }
    }
    std::sort(solution.final_state.begin(), solution.final_state.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return solution;
}

bool installed_satisfies(const Database::Impl& db, const std::string& text) {
    const auto spec = specs::MatchSpec::parse(text);
    bool found = false;
    db.for_each_installed([&](Id /*id*/, const Database::Impl::Entry& e) {
        found = found || (!e.is_virtual && (e.version ? spec.contains(e.record, *e.version)
                                                      : spec.contains(e.record)));
    });
    return found;
}

// The requested packages in `solution` that are older than the newest version their spec
// matches in the channels.
std::set<std::string> falls_short(Database::Impl& db, const Request& request,
                                  const Solution& solution) {
    std::set<std::string> short_names;
    for (const auto& text : request.specs) {
        const auto spec = specs::MatchSpec::parse(text);
        if (!spec.name().is_exact()) {
            continue;
        }
        const auto chosen =
            std::find_if(solution.final_state.begin(), solution.final_state.end(),
                         [&](const auto& r) { return r.name == spec.name().str(); });
        if (chosen == solution.final_state.end()) {
            continue;
        }
        std::optional<specs::Version> chosen_version;
        try {
            chosen_version = specs::Version::parse(chosen->version);
        } catch (const specs::ParseError&) {
            continue;
        }
        const auto* ids = db.builds(pool_str2id(db.pool, chosen->name.c_str(), 0));
        for (const Id p : ids != nullptr ? *ids : std::vector<Id>{}) {
            const auto& e = *db.entry(p);
            if (e.is_installed ||
                !(e.version ? spec.contains(e.record, *e.version) : spec.contains(e.record))) {
                continue;
            }
            if (e.version && *e.version > *chosen_version) {
                short_names.insert(chosen->name);  // a newer version exists that the spec allows
                break;
            }
        }
    }
    return short_names;
}

}  // namespace

Solution solve(Database& database, const Request& request) {
    Database::Impl& db = database.impl();
    if (request.satisfied_skip_solve && request.op != Request::Op::remove &&
        std::all_of(request.specs.begin(), request.specs.end(),
                    [&](const std::string& text) { return installed_satisfies(db, text); })) {
        Solution unchanged;
        db.for_each_installed([&](Id /*id*/, const Database::Impl::Entry& e) {
            if (!e.is_virtual) {
                unchanged.final_state.push_back(e.record);
            }
        });
        return unchanged;
    }
    if (request.op == Request::Op::remove && request.force_remove) {
        // No solve: exactly the installed packages the specs match go, whatever needs them.
        std::vector<specs::MatchSpec> specs;
        for (const auto& text : request.specs) {
            specs.push_back(specs::MatchSpec::parse(text));
        }
        Solution solution;
        db.for_each_installed([&](Id /*id*/, const Database::Impl::Entry& e) {
            if (e.is_virtual) {
                return;
            }
            const bool named = std::any_of(specs.begin(), specs.end(), [&](const auto& spec) {
                return e.version ? spec.contains(e.record, *e.version) : spec.contains(e.record);
            });
            (named ? solution.unlink : solution.final_state).push_back(e.record);
        });
        return solution;
    }
    Request effective = request;
    if (request.prune) {
        effective.history_specs.clear();  // only the given specs count
    }
    std::set<std::string> also_update;
    for (const auto& name : request.aggressive_update_packages) {
        bool installed = false;
        db.for_each_installed([&](Id /*id*/, const Database::Impl::Entry& e) {
            installed = installed || (!e.is_virtual && e.record.name == name);
        });
        if (installed) {
            also_update.insert(name);
        }
    }
    Solution solution;
    if (request.update_deps && request.op != Request::Op::remove) {
        // First pass: the whole environment, to find what the requested packages need.
        Request whole = effective;
        whole.no_deps = false;
        whole.only_deps = false;
        solution = solve_once(database, whole, also_update);
        // Second pass: the dependencies of what was asked for move to their newest builds.
        std::set<std::string> requested;
        for (const auto& text : request.specs) {
            requested.insert(spec_name(text));
        }
        for (const auto& name : dependency_closure(solution.final_state, requested)) {
            if (requested.count(name) == 0) {
                also_update.insert(name);
            }
        }
        solution = solve_once(database, effective, also_update);
    } else {
        solution = solve_once(database, effective, also_update);
        if (!effective.history_specs.empty() && request.op != Request::Op::remove &&
            !request.freeze_installed && !falls_short(db, request, solution).empty()) {
            // conda relaxes earlier requests that keep an explicitly requested package from
            // its newest version (test_fast_update_with_update_modifier_not_set): try once
            // with those history specs reduced to names; keep that answer when it does better.
            // Only the earlier requests on what the lagging packages depend on are relaxed (a
            // history `six=1.7` still holds when `python` lags: test_freeze_deps_1).
            const auto deps =
                dependency_closure(solution.final_state, falls_short(db, request, solution));
            Request relaxed = effective;
            for (auto& text : relaxed.history_specs) {
                try {
                    if (const auto name = spec_name(text); deps.count(name) != 0) {
                        text = name;
                    }
                } catch (const specs::ParseError&) {
                    continue;
                }
            }
            try {
                Solution retry = solve_once(database, relaxed, also_update);
                if (falls_short(db, request, retry).empty()) {
                    solution = std::move(retry);
                }
            } catch (const SolverError&) {
                // Keep the first answer.
            }
        }
    }
    if (request.prune && request.op != Request::Op::remove) {
        std::set<std::string> requested;
        for (const auto& text : request.specs) {
            requested.insert(spec_name(text));
        }
        const auto keep = dependency_closure(solution.final_state, requested);
        std::vector<specs::PackageRecord> final_state;
        for (auto& r : solution.final_state) {
            if (keep.count(r.name) != 0) {
                final_state.push_back(std::move(r));
                continue;
            }
            const bool linked_now =
                std::any_of(solution.link.begin(), solution.link.end(),
                            [&](const auto& l) { return l.dist_str() == r.dist_str(); });
            if (linked_now) {
                std::erase_if(solution.link,
                              [&](const auto& l) { return l.dist_str() == r.dist_str(); });
            } else {
                solution.unlink.push_back(r);
            }
        }
        solution.final_state = std::move(final_state);
    }
    return solution;
}

}  // namespace cenv::solver

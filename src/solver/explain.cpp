#include "solver/explain.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "specs/error.hpp"
#include "specs/match_spec.hpp"
#include "specs/version.hpp"
#include "util/strings.hpp"

namespace cenv::solver::detail {

namespace {

std::string spec_name(std::string_view spec) {
    try {
        return specs::MatchSpec::parse(spec).name().str();
    } catch (const specs::ParseError&) {
        return {};
    }
}

// `texts` in conda's version order (1.7.0b2 < 1.7.0rc1 < 1.7.0), unparsable ones last.
std::vector<std::string> in_version_order(const std::vector<std::string>& texts) {
    std::vector<std::pair<std::optional<specs::Version>, std::string>> versions;
    for (const auto& text : texts) {
        std::optional<specs::Version> parsed;
        try {
            parsed = specs::Version::parse(text);
        } catch (const specs::ParseError&) {
            parsed.reset();
        }
        versions.emplace_back(std::move(parsed), text);
    }
    std::sort(versions.begin(), versions.end(), [](const auto& a, const auto& b) {
        if (a.first.has_value() != b.first.has_value()) {
            return a.first.has_value();
        }
        return a.first ? *a.first < *b.first : a.second < b.second;
    });
    std::vector<std::string> out;
    for (auto& v : versions) {
        out.push_back(std::move(v.second));
    }
    return out;
}

}  // namespace

const specs::PackageRecord* find_virtual(const Database::Impl& db, std::string_view name) {
    const specs::PackageRecord* found = nullptr;
    db.for_each_installed([&](Id /*id*/, const Database::Impl::Entry& entry) {
        if (found == nullptr && entry.is_virtual && entry.record.name == name) {
            found = &entry.record;
        }
    });
    return found;
}

std::string virtual_shortfall(const Database::Impl& db, std::string_view spec) {
    const std::string name = spec_name(spec);
    if (name.size() < 3 || name.compare(0, 2, "__") != 0) {
        return {};
    }
    if (const auto* vp = find_virtual(db, name)) {
        return fmt::format("this machine provides {} {}", name, vp->version);
    }
    if (name == "__cuda") {
        return "no NVIDIA driver was detected (no __cuda)";
    }
    return fmt::format("this machine has no {}", name);
}

// One problem's rules as readable lines.
std::vector<ProblemStep> describe_problem(Solver* solv, const Database::Impl& db, Id problem,
                                          const std::set<Id>& history_deps) {
    OwnedQueue rules;
    solver_findallproblemrules(solv, problem, &rules.q);
    std::vector<ProblemStep> lines;
    std::set<std::string> seen;
    // Names at the incompatibility: a dependency line matters when it leads to one of them.
    std::set<std::string> ends;
    const auto name_of = [&](Id id) {
        const auto* e = db.entry(id);
        return e != nullptr ? e->record.name : std::string{};
    };
    std::map<std::string, std::set<std::string>> same_name;  // name -> versions in conflict
    // (name version, dependency) -> builds: one line for the builds of a version alike.
    std::map<std::pair<std::string, std::string>, std::vector<std::string>> requires_lines;
    std::map<std::string, std::string> requires_names;  // "numba 0.5.0" -> "numba"
    struct MissingGroup {
        std::pair<std::string, std::string> key;  // (package name, dependency)
        std::vector<std::string> solvables;       // name-version-build of each build
        std::vector<std::string> versions;
    };
    std::vector<MissingGroup> missing_groups;
    for (int i = 0; i < rules.q.count; ++i) {
        Id source = 0;
        Id target = 0;
        Id dep = 0;
        const SolverRuleinfo type =
            solver_ruleinfo(solv, rules.q.elements[i], &source, &target, &dep);
        std::string line;
        ProblemStep step;
        switch (type) {
            case SOLVER_RULE_JOB:
            case SOLVER_RULE_JOB_NOTHING_PROVIDES_DEP: {
                Id what = 0;
                const Id how = solver_rule2job(solv, rules.q.elements[i], &what);
                const Id select = how & SOLVER_SELECTMASK;
                const Id verb = how & SOLVER_JOBMASK;
                if (select == SOLVER_SOLVABLE && verb == SOLVER_LOCK) {
                    const auto* e = db.entry(what);
                    line = fmt::format("{} is {}", db.solvable_to_string(what),
                                       e != nullptr && e->is_virtual
                                           ? "what this machine provides (a virtual package)"
                                           : "installed and frozen");
                    step = {e != nullptr && e->is_virtual ? "virtual" : "locked",
                            db.solvable_to_string(what), "", ""};
                    ends.insert(name_of(what));
                } else if (select == SOLVER_SOLVABLE_PROVIDES) {
                    const char* what_kind = "the request";
                    step.kind = "request";
                    if (verb == SOLVER_ERASE) {
                        const bool pin =
                            ISRELDEP(what) && GETRELDEP(db.pool, what)->name == db.ns_exclude;
                        what_kind = pin ? "the pin" : "the removal of";
                        step.kind = pin ? "pin" : "removal";
                    } else if (history_deps.count(what) != 0) {
                        what_kind = "the earlier request (conda-meta/history)";
                        step.kind = "history";
                    } else if (verb == SOLVER_UPDATE) {
                        what_kind = "the update of";
                        step.kind = "update";
                    }
                    step.spec = db.dep_to_string(what);
                    line = fmt::format("{} '{}'", what_kind, db.dep_to_string(what));
                    if (type == SOLVER_RULE_JOB_NOTHING_PROVIDES_DEP) {
                        line += " matches no package";
                        step.kind = "missing";
                    }
                }
                break;
            }
            case SOLVER_RULE_PKG_NOTHING_PROVIDES_DEP: {
                // Grouped below: every build of a package often lacks the same thing.
                ends.insert(name_of(source));
                const std::pair<std::string, std::string> key{name_of(source),
                                                              db.dep_to_string(dep)};
                auto it = std::find_if(missing_groups.begin(), missing_groups.end(),
                                       [&](const auto& g) { return g.key == key; });
                if (it == missing_groups.end()) {
                    missing_groups.push_back({key, {}, {}});
                    it = std::prev(missing_groups.end());
                }
                it->solvables.push_back(db.solvable_to_string(source));
                if (const auto* e = db.entry(source);
                    e != nullptr && std::find(it->versions.begin(), it->versions.end(),
                                              e->record.version) == it->versions.end()) {
                    it->versions.push_back(e->record.version);
                }
                break;
            }
            case SOLVER_RULE_PKG_REQUIRES:
                if (const auto* e = db.entry(source); e != nullptr) {
                    requires_lines[{e->record.name + " " + e->record.version,
                                    db.dep_to_string(dep)}]
                        .push_back(e->record.build);
                    requires_names[e->record.name + " " + e->record.version] = e->record.name;
                }
                break;
            case SOLVER_RULE_PKG_CONFLICTS:
                ends.insert(name_of(source));
                ends.insert(name_of(target));
                step = {"constrains", db.solvable_to_string(source), db.dep_to_string(dep), ""};
                if (const auto* e = db.entry(target); e != nullptr && e->is_virtual) {
                    step.kind = "virtual";
                    line = fmt::format("{} needs '{}', but {}", db.solvable_to_string(source),
                                       db.dep_to_string(dep),
                                       detail::virtual_shortfall(db, db.dep_to_string(dep)));
                } else {
                    line = fmt::format("{} constrains '{}', which {} does not satisfy",
                                       db.solvable_to_string(source), db.dep_to_string(dep),
                                       db.solvable_to_string(target));
                }
                break;
            case SOLVER_RULE_PKG_SAME_NAME:
            case SOLVER_RULE_PKG_IMPLICIT_OBSOLETES:
            case SOLVER_RULE_PKG_INSTALLED_OBSOLETES:
            case SOLVER_RULE_PKG_OBSOLETES: {
                const auto* a = db.entry(source);
                const auto* b = db.entry(target);
                ends.insert(name_of(source));
                ends.insert(name_of(target));
                if (a != nullptr && b != nullptr && a->record.name == b->record.name) {
                    auto& versions = same_name[a->record.name];
                    versions.insert(a->record.version);
                    versions.insert(b->record.version);
                } else {
                    line =
                        fmt::format("{} and {} cannot both be installed",
                                    db.solvable_to_string(source), db.solvable_to_string(target));
                    step = {"conflict", db.solvable_to_string(source),
                            db.solvable_to_string(target), ""};
                }
                break;
            }
            case SOLVER_RULE_PKG_NOT_INSTALLABLE:
                line = fmt::format("{} cannot be installed", db.solvable_to_string(source));
                step = {"not_installable", db.solvable_to_string(source), "", ""};
                ends.insert(name_of(source));
                break;
            case SOLVER_RULE_UPDATE:
            case SOLVER_RULE_FEATURE:
                line = fmt::format("{} is installed and kept", db.solvable_to_string(source));
                step = {"installed", db.solvable_to_string(source), "", ""};
                ends.insert(name_of(source));
                break;
            case SOLVER_RULE_STRICT_REPO_PRIORITY:
                line = fmt::format(
                    "{} comes from a channel of lower priority (strict channel "
                    "priority)",
                    db.solvable_to_string(source));
                step = {"priority", db.solvable_to_string(source), "", ""};
                ends.insert(name_of(source));
                break;
            default:
                break;
        }
        if (!line.empty() && seen.insert(line).second) {
            step.text = std::move(line);
            lines.push_back(std::move(step));
        }
    }
    const auto shorten = [](const auto& items, std::size_t max) {
        std::vector<std::string> shown(items.begin(), items.end());
        if (shown.size() > max) {
            const std::size_t more = shown.size() - max;
            shown.resize(max);
            shown.push_back(fmt::format("{} more", more));
        }
        return fmt::format("{}", fmt::join(shown, ", "));
    };
    for (const auto& g : missing_groups) {
        const auto& [name, spec] = g.key;
        const std::string who =
            g.solvables.size() == 1
                ? g.solvables.front()
                : fmt::format("{} {} ({} builds)", name,
                              fmt::join(in_version_order(g.versions), ", "), g.solvables.size());
        const auto why = detail::virtual_shortfall(db, spec);
        ProblemStep step{why.empty() ? "missing" : "virtual", who, spec, ""};
        step.text = why.empty()
                        ? fmt::format("{} depends on '{}', which no package provides", who, spec)
                        : fmt::format("{} needs '{}', but {}", who, spec, why);
        if (seen.insert(step.text).second) {
            lines.push_back(std::move(step));
        }
    }
    // Prune to the chain that matters: a dependency counts when it leads, through other
    // dependencies, to a package at the incompatibility. Requested names are starts, not ends.
    for (const auto& [name, versions] : same_name) {
        ends.insert(name);
    }
    std::set<std::pair<std::string, std::string>> kept;
    for (bool grew = true; grew && !ends.empty();) {
        grew = false;
        for (const auto& entry : requires_lines) {
            const auto& key = entry.first;
            if (kept.count(key) == 0 && ends.count(spec_name(key.second)) != 0) {
                kept.insert(key);
                ends.insert(requires_names[key.first]);
                grew = true;
            }
        }
    }
    for (const auto& [key, builds] : requires_lines) {
        if (!ends.empty() && kept.count(key) == 0) {
            continue;
        }
        ProblemStep step{"depends", key.first, key.second, ""};
        if (builds.size() == 1) {
            step.package += " " + builds.front();
        }
        step.text =
            builds.size() == 1
                ? fmt::format("{} {} depends on '{}'", key.first, builds.front(), key.second)
                : fmt::format("{} ({} builds: {}) depends on '{}'", key.first, builds.size(),
                              shorten(builds, 4), key.second);
        lines.push_back(std::move(step));
    }
    for (const auto& [name, version_set] : same_name) {
        const auto texts = in_version_order({version_set.begin(), version_set.end()});
        lines.push_back({"conflict", name, "",
                         fmt::format("only one {} can be installed, and the lines above need "
                                     "different ones (versions {})",
                                     name, shorten(texts, 8))});
    }
    // The requests first, then what the packages need, then what they exclude.
    const auto rank = [](const ProblemStep& step) {
        const std::string& line = step.text;
        if (line.rfind("the ", 0) == 0) {
            return 0;
        }
        if (line.find(" needs ") != std::string::npos ||
            line.find(" depends on ") != std::string::npos) {
            return 1;
        }
        return 2;
    };
    std::stable_sort(lines.begin(), lines.end(),
                     [&](const ProblemStep& a, const ProblemStep& b) { return rank(a) < rank(b); });
    return lines;
}

std::string unsolvable_hint(const Database::Impl& db, const std::vector<std::string>& problems) {
    const bool cuda = std::any_of(problems.begin(), problems.end(), [](const std::string& line) {
        return line.find("__cuda") != std::string::npos;
    });
    // The pytorch channel's CUDA builds need NVIDIA's cuda-* packages, which live in the
    // nvidia channel; mirrors often carry pytorch but not nvidia (../shared/reference).
    const bool nvidia_missing =
        std::any_of(problems.begin(), problems.end(), [](const std::string& line) {
            return line.find("which no package provides") != std::string::npos &&
                   (line.find("depends on 'cuda-") != std::string::npos ||
                    line.find("depends on 'libcublas") != std::string::npos ||
                    line.find("depends on 'libcufft") != std::string::npos ||
                    line.find("depends on 'libcusparse") != std::string::npos);
        });
    if (nvidia_missing) {
        return "the CUDA builds of the pytorch channel need NVIDIA's cuda-* packages from the "
               "nvidia channel, which the channels in use do not have: add -c nvidia (or its "
               "mirror), or use conda-forge's CUDA builds of pytorch, which depend on "
               "cuda-version from conda-forge instead";
    }
    if (!cuda) {
        const bool pinned =
            std::any_of(problems.begin(), problems.end(),
                        [](const std::string& line) { return line.rfind("the pin ", 0) == 0; });
        const bool history = std::any_of(
            problems.begin(), problems.end(),
            [](const std::string& line) { return line.rfind("the earlier request", 0) == 0; });
        if (pinned) {
            return "a pin (conda-meta/pinned or pinned_packages) excludes what the request "
                   "needs: change the pin, or solve once without pins with --no-pin";
        }
        if (history) {
            return "an earlier request of this environment conflicts: name that package again "
                   "with the version you want now, so that the new spec replaces the old one";
        }
        const auto missing =
            std::find_if(problems.begin(), problems.end(), [](const std::string& line) {
                return line.find("which no package provides") != std::string::npos;
            });
        if (missing != problems.end()) {
            const auto open = missing->find(" depends on '");
            const auto close = missing->find("', which");
            if (open != std::string::npos && close != std::string::npos) {
                const auto start = open + std::string_view(" depends on '").size();
                return fmt::format(
                    "'{}' is in none of the channels searched ({}): add the channel that has "
                    "it (usually the one its dependants come from, with its own dependencies)",
                    missing->substr(start, close - start), searched_channels(db));
            }
        }
        return "relax a version constraint, or add a channel that has compatible builds";
    }
    const auto* vp = find_virtual(db, "__cuda");
    if (vp == nullptr) {
        return "no NVIDIA driver was detected, and CUDA builds need one: install the driver, "
               "ask for a CPU build, or solve for another machine with "
               "CONDA_OVERRIDE_CUDA=<version> (for example CONDA_OVERRIDE_CUDA=12.1)";
    }
    return fmt::format(
        "the NVIDIA driver here supports CUDA up to {0}, and builds for a newer CUDA need a "
        "newer driver: update the driver, ask for a build for CUDA {0} or older (or a CPU "
        "build), or solve for another machine with CONDA_OVERRIDE_CUDA=<version> (for "
        "example CONDA_OVERRIDE_CUDA=12.1)",
        vp->version);
}

std::vector<std::string> close_names(const Database::Impl& db, std::string_view name) {
    std::vector<std::pair<std::size_t, std::string>> scored;
    const std::size_t limit = name.size() <= 4 ? 1 : 2;
    for (const Id id : db.names) {
        const std::string candidate = pool_id2str(db.pool, id);
        if (candidate == name || candidate.compare(0, 2, "__") == 0) {
            continue;
        }
        const std::size_t d = util::edit_distance(name, candidate);
        if (d <= limit) {
            scored.emplace_back(d, candidate);
        } else if (name.size() >= 3 && candidate.find(name) != std::string::npos) {
            scored.emplace_back(limit + 1, candidate);
        }
    }
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> out;
    for (std::size_t i = 0; i < scored.size() && i < 5; ++i) {
        out.push_back(scored[i].second);
    }
    return out;
}

std::vector<std::string> available_versions(Database::Impl& db, std::string_view name,
                                            std::size_t max) {
    const std::string key(name);
    const Id id = pool_str2id(db.pool, key.c_str(), 0);
    const auto* ids = db.builds(id);
    std::vector<std::string> versions;
    if (ids == nullptr) {
        return versions;
    }
    // builds() lists a name's builds from least to most preferred.
    std::size_t total = 0;
    for (auto p = ids->rbegin(); p != ids->rend(); ++p) {
        const auto* e = db.entry(*p);
        if (e == nullptr || e->is_virtual) {
            continue;
        }
        const auto& v = e->record.version;
        if (std::find(versions.begin(), versions.end(), v) != versions.end()) {
            continue;
        }
        ++total;
        if (versions.size() < max) {
            versions.push_back(v);
        }
    }
    if (total > versions.size()) {
        versions.push_back(fmt::format("{} older", total - versions.size()));
    }
    return versions;
}

std::vector<std::string> searched_list(const Database::Impl& db) {
    std::vector<std::pair<std::string, std::vector<std::string>>> channels;
    for (const auto& info : db.repos) {
        const std::string repo_name = info.repo->name;
        const auto slash = repo_name.rfind('/');
        std::string channel = slash == std::string::npos ? repo_name : repo_name.substr(0, slash);
        std::string subdir =
            slash == std::string::npos ? std::string{} : repo_name.substr(slash + 1);
        auto it = std::find_if(channels.begin(), channels.end(),
                               [&](const auto& c) { return c.first == channel; });
        if (it == channels.end()) {
            channels.emplace_back(std::move(channel), std::vector<std::string>{});
            it = std::prev(channels.end());
        }
        if (!subdir.empty()) {
            it->second.push_back(std::move(subdir));
        }
    }
    std::vector<std::string> parts;
    for (const auto& [channel, subdirs] : channels) {
        parts.push_back(
            subdirs.empty() ? channel : fmt::format("{} ({})", channel, fmt::join(subdirs, ", ")));
    }
    return parts;
}

std::string searched_channels(const Database::Impl& db) {
    const auto parts = searched_list(db);
    return parts.empty() ? std::string("no channel") : fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace cenv::solver::detail

#include "solver/explain.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "specs/error.hpp"
#include "specs/match_spec.hpp"

namespace cenv::solver::detail {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string spec_name(std::string_view spec) {
    try {
        return specs::MatchSpec::parse(spec).name().str();
    } catch (const specs::ParseError&) {
        return {};
    }
}

}  // namespace

const specs::PackageRecord* find_virtual(const Database::Impl& db, std::string_view name) {
    for (const auto& entry : db.entries) {
        if (entry.is_virtual && entry.record.name == name) {
            return &entry.record;
        }
    }
    return nullptr;
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
    for (const auto& [id, ids] : db.by_name) {
        const std::string candidate = pool_id2str(db.pool, id);
        if (candidate == name || candidate.compare(0, 2, "__") == 0) {
            continue;
        }
        const std::size_t d = edit_distance(name, candidate);
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

std::vector<std::string> available_versions(const Database::Impl& db, std::string_view name,
                                            std::size_t max) {
    const std::string key(name);
    const Id id = pool_str2id(db.pool, key.c_str(), 0);
    const auto it = db.by_name.find(id);
    std::vector<std::string> versions;
    if (id == 0 || it == db.by_name.end()) {
        return versions;
    }
    // by_name lists each name's builds from least to most preferred (see prepare()).
    std::size_t total = 0;
    for (auto p = it->second.rbegin(); p != it->second.rend(); ++p) {
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

std::string searched_channels(const Database::Impl& db) {
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
    if (channels.empty()) {
        return "no channel";
    }
    std::vector<std::string> parts;
    for (const auto& [channel, subdirs] : channels) {
        parts.push_back(
            subdirs.empty() ? channel : fmt::format("{} ({})", channel, fmt::join(subdirs, ", ")));
    }
    return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace cenv::solver::detail

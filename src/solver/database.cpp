#include "solver/database.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "solver/database_impl.hpp"
#include "solver/preference.hpp"
#include "specs/error.hpp"

namespace cenv::solver {

namespace {

Id namespace_callback(Pool* /*pool*/, void* data, Id name, Id evr) {
    auto* impl = static_cast<Database::Impl*>(data);
    if (name == impl->ns_match) {
        return impl->providers(evr, false);
    }
    if (name == impl->ns_exclude) {
        return impl->providers(evr, true);
    }
    return 0;
}

}  // namespace

Database::Impl::Impl() : pool(pool_create()) {
    ns_match = pool_str2id(pool, "cenv:match", 1);
    ns_exclude = pool_str2id(pool, "cenv:exclude", 1);
    pool_setnamespacecallback(pool, namespace_callback, this);
}

Database::Impl::~Impl() {
    pool_free(pool);
}

Repo* Database::Impl::installed_repo() {
    if (installed == nullptr) {
        installed = repo_create(pool, "installed");
        pool_set_installed(pool, installed);
    }
    return installed;
}

Id Database::Impl::match_dep(std::string_view spec) {
    const Id text = pool_strn2id(pool, spec.data(), static_cast<unsigned>(spec.size()), 1);
    return pool_rel2id(pool, ns_match, text, REL_NAMESPACE, 1);
}

Id Database::Impl::exclude_dep(std::string_view spec) {
    const Id text = pool_strn2id(pool, spec.data(), static_cast<unsigned>(spec.size()), 1);
    return pool_rel2id(pool, ns_exclude, text, REL_NAMESPACE, 1);
}

void Database::Impl::add(Repo* repo, specs::PackageRecord record, bool is_virtual, Id id) {
    Solvable* s = pool_id2solvable(pool, id);
    Entry& e = entries.emplace_back();
    e.record = std::move(record);
    e.is_virtual = is_virtual;
    e.is_installed = repo == installed;
    try {
        e.version = specs::Version::parse(e.record.version);
    } catch (const specs::ParseError&) {
        e.version.reset();  // matches no version constraint; least preferred
    }
    s->name =
        pool_strn2id(pool, e.record.name.data(), static_cast<unsigned>(e.record.name.size()), 1);
    s->arch = ARCH_NOARCH;
    s->evr = ID_EMPTY;
    s->provides = repo_addid_dep(repo, s->provides, s->name, 0);
    for (const auto& dep : e.record.depends) {
        s->requires_ = repo_addid_dep(repo, s->requires_, match_dep(dep), 0);
    }
    for (const auto& con : e.record.constrains) {
        s->conflicts = repo_addid_dep(repo, s->conflicts, exclude_dep(con), 0);
    }
    if (by_id.size() <= static_cast<std::size_t>(id)) {
        by_id.resize(static_cast<std::size_t>(id) + 1, nullptr);
    }
    by_id[static_cast<std::size_t>(id)] = &e;
    by_name[s->name].push_back(id);
    dirty = true;
}

void Database::Impl::add_all(Repo* repo, std::vector<specs::PackageRecord> records,
                             bool is_virtual) {
    if (records.empty()) {
        return;
    }
    // One block of solvables: adding them one by one reallocates the pool's array often.
    const Id first = repo_add_solvable_block(repo, static_cast<int>(records.size()));
    by_id.resize(static_cast<std::size_t>(first) + records.size(), nullptr);
    for (std::size_t i = 0; i < records.size(); ++i) {
        add(repo, std::move(records[i]), is_virtual, first + static_cast<Id>(i));
    }
}

void Database::Impl::prepare() {
    if (!dirty) {
        return;
    }
    // Ranks: per name, the least preferred build gets 0; equal preference, equal rank.
    char buffer[16];
    const bool has_cuda = std::any_of(entries.begin(), entries.end(), [](const Entry& e) {
        return e.is_virtual && e.record.name == "__cuda";
    });
    for (auto& [name, ids] : by_name) {
        std::sort(ids.begin(), ids.end(), [this, has_cuda](Id a, Id b) {
            const Entry& ea = *entry(a);
            const Entry& eb = *entry(b);
            const int c =
                compare_preference(ea.record, ea.version, eb.record, eb.version, has_cuda);
            return c != 0 ? c < 0 : a < b;
        });
        unsigned rank = 0;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (i > 0) {
                const Entry& prev = *entry(ids[i - 1]);
                const Entry& cur = *entry(ids[i]);
                if (compare_preference(prev.record, prev.version, cur.record, cur.version,
                                       has_cuda) != 0) {
                    ++rank;
                }
            }
            std::snprintf(buffer, sizeof buffer, "%010u", rank);
            pool_id2solvable(pool, ids[i])->evr = pool_str2id(pool, buffer, 1);
        }
    }
    for (const auto& info : repos) {
        repo_internalize(info.repo);
    }
    if (installed != nullptr) {
        repo_internalize(installed);
    }
    pool_createwhatprovides(pool);
    dirty = false;
}

Id Database::Impl::providers(Id spec_id, bool exclude) {
    auto it = parsed.find(spec_id);
    if (it == parsed.end()) {
        std::optional<specs::MatchSpec> spec;
        try {
            spec = specs::MatchSpec::parse(pool_id2str(pool, spec_id));
        } catch (const specs::ParseError&) {
            spec.reset();  // a record's malformed dependency: nothing provides it
        }
        it = parsed.emplace(spec_id, std::move(spec)).first;
    }
    if (!it->second) {
        return 0;
    }
    const specs::MatchSpec& spec = *it->second;
    Queue q;
    queue_init(&q);
    const auto consider = [&](Id p) {
        const Entry* e = entry(p);
        if (e == nullptr) {
            return;
        }
        const bool match =
            e->version ? spec.contains(e->record, *e->version) : spec.contains(e->record);
        if (match != exclude) {
            queue_push(&q, p);
        }
    };
    if (spec.name().is_exact()) {
        const Id name = pool_str2id(pool, spec.name().str().c_str(), 0);
        if (auto found = by_name.find(name); name != 0 && found != by_name.end()) {
            for (const Id p : found->second) {
                consider(p);
            }
        }
    } else {
        for (const auto& [name, ids] : by_name) {
            if (spec.name().contains(pool_id2str(pool, name))) {
                for (const Id p : ids) {
                    consider(p);
                }
            }
        }
    }
    // pool_queuetowhatprovides of an empty queue means "provided by the system": return 0.
    const Id result = q.count == 0 ? 0 : pool_queuetowhatprovides(pool, &q);
    queue_free(&q);
    return result;
}

std::string Database::Impl::dep_to_string(Id dep) const {
    if (ISRELDEP(dep)) {
        const Reldep* rd = GETRELDEP(pool, dep);
        if (rd->flags == REL_NAMESPACE && (rd->name == ns_match || rd->name == ns_exclude)) {
            return pool_id2str(pool, rd->evr);
        }
    }
    return pool_dep2str(pool, dep);
}

std::string Database::Impl::solvable_to_string(Id id) const {
    const Entry* e = entry(id);
    if (e == nullptr) {
        return pool_solvid2str(pool, id);
    }
    return e->record.dist_str();
}

Database::Database() : impl_(std::make_unique<Impl>()) {}
Database::~Database() = default;
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;

void Database::add_repo(std::string_view name, int priority,
                        std::vector<specs::PackageRecord> records) {
    const std::string repo_name(name);
    Repo* repo = repo_create(impl_->pool, repo_name.c_str());
    repo->priority = priority;
    impl_->repos.push_back({repo, priority});
    impl_->add_all(repo, std::move(records), false);
}

void Database::add_installed(std::vector<specs::PackageRecord> records) {
    impl_->add_all(impl_->installed_repo(), std::move(records), false);
}

void Database::add_virtual_packages(std::vector<specs::PackageRecord> records) {
    impl_->add_all(impl_->installed_repo(), std::move(records), true);
}

std::size_t Database::size() const noexcept {
    return impl_->entries.size();
}

}  // namespace cenv::solver

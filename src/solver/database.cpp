#include "solver/database.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <span>
#include <utility>

#include "solver/database_impl.hpp"
#include "solver/preference.hpp"
#include "solver/repo_cache.hpp"
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

void Database::Impl::add_all(Repo* repo, std::vector<specs::PackageRecord> records,
                             bool is_virtual) {
    if (records.empty()) {
        return;
    }
    RecordTable::Builder builder;
    for (const auto& r : records) {
        builder.add(r);
    }
    records = {};
    add_table(repo, builder.finish(), is_virtual);
}

void Database::Impl::add_table(Repo* repo, std::unique_ptr<const RecordTable> table,
                               bool is_virtual) {
    const RecordTable& t = *table;
    std::size_t live = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        live += t.hot(i).dropped == 0 ? 1 : 0;
    }
    if (live == 0) {
        return;
    }
    const auto table_index = static_cast<std::uint32_t>(tables.size());
    tables.push_back(std::move(table));
    // One block of solvables: adding them one by one reallocates the pool's array often.
    const Id first = repo_add_solvable_block(repo, static_cast<int>(live));
    slots.resize(static_cast<std::size_t>(first) + live);
    entries.resize(slots.size());
    // Each distinct string is made a pool id once per table (names, specs as namespace deps).
    const std::size_t strings = t.view().shared.count();
    std::vector<Id> name_ids(strings, 0);
    std::vector<Id> match_ids(strings, 0);
    std::vector<Id> exclude_ids(strings, 0);
    const bool in_installed = repo == installed;
    Id id = first;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const RecordTable::Hot& h = t.hot(i);
        if (h.dropped != 0) {
            continue;
        }
        Solvable* s = pool_id2solvable(pool, id);
        Id& name = name_ids[h.name < strings ? h.name : 0];
        if (name == 0) {
            const std::string_view text = t.shared(h.name);
            name = pool_strn2id(pool, text.data(), static_cast<unsigned>(text.size()), 1);
            names.push_back(name);
        }
        s->name = name;
        s->arch = ARCH_NOARCH;
        s->evr = ID_EMPTY;
        s->provides = repo_addid_dep(repo, s->provides, s->name, 0);
        for (const std::uint32_t d : t.depends(i)) {
            Id& dep = match_ids[d < strings ? d : 0];
            if (dep == 0) {
                dep = match_dep(t.shared(d));
            }
            s->requires_ = repo_addid_dep(repo, s->requires_, dep, 0);
        }
        for (const std::uint32_t c : t.constrains(i)) {
            Id& dep = exclude_ids[c < strings ? c : 0];
            if (dep == 0) {
                dep = exclude_dep(t.shared(c));
            }
            s->conflicts = repo_addid_dep(repo, s->conflicts, dep, 0);
        }
        slots[static_cast<std::size_t>(id)] = {table_index, static_cast<std::uint32_t>(i),
                                               is_virtual, in_installed};
        ++id;
    }
    // A name in several tables is listed once.
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    record_count += live;
    dirty = true;
}

const Database::Impl::Entry* Database::Impl::entry(Id id) const {
    if (id < 0 || static_cast<std::size_t>(id) >= slots.size()) {
        return nullptr;
    }
    const auto at = static_cast<std::size_t>(id);
    if (entries[at] != nullptr) {
        return entries[at].get();
    }
    const Slot& slot = slots[at];
    if (slot.table == no_table) {
        return nullptr;
    }
    auto e = std::make_unique<Entry>();
    e->record = tables[slot.table]->record(slot.row);
    e->is_virtual = slot.is_virtual;
    e->is_installed = slot.is_installed;
    try {
        e->version = specs::Version::parse(e->record.version);
    } catch (const specs::ParseError&) {
        e->version.reset();  // matches no version constraint; least preferred
    }
    entries[at] = std::move(e);
    return entries[at].get();
}

void Database::Impl::prepare() {
    if (!dirty) {
        return;
    }
    has_cuda = false;
    for (const auto& info : repos) {
        repo_internalize(info.repo);
    }
    if (installed != nullptr) {
        repo_internalize(installed);
    }
    pool_createwhatprovides(pool);
    ranked.clear();
    dirty = false;
    for_each_installed([this](Id /*id*/, const Entry& e) {
        has_cuda = has_cuda || (e.is_virtual && e.record.name == "__cuda");
    });
    // Installed names are ranked at once: libsolv's update rules compare them with their
    // candidates without asking the namespace callback.
    std::vector<Id> installed_names;
    for_each_installed(
        [&](Id id, const Entry& /*e*/) { installed_names.push_back(pool->solvables[id].name); });
    for (const Id name : installed_names) {
        builds(name);
    }
}

const std::vector<Id>* Database::Impl::builds(Id name) {
    if (name <= 0) {
        return nullptr;
    }
    auto [it, fresh] = ranked.try_emplace(name);
    std::vector<Id>& ids = it->second;
    if (fresh) {
        Id p = 0;
        Id pp = 0;
        FOR_PROVIDES(p, pp, name) {
            if (pool->solvables[p].name == name && entry(p) != nullptr) {
                ids.push_back(p);
            }
        }
        // Ranks: the least preferred build gets 0; equal preference, equal rank.
        const auto compare = [this](Id a, Id b) {
            const Entry& ea = *entry(a);
            const Entry& eb = *entry(b);
            return compare_preference(ea.record, ea.version, eb.record, eb.version, has_cuda);
        };
        std::sort(ids.begin(), ids.end(), [&](Id a, Id b) {
            const int c = compare(a, b);
            return c != 0 ? c < 0 : a < b;
        });
        char buffer[16];
        unsigned rank = 0;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (i > 0 && compare(ids[i - 1], ids[i]) != 0) {
                ++rank;
            }
            std::snprintf(buffer, sizeof buffer, "%010u", rank);
            pool_id2solvable(pool, ids[i])->evr = pool_str2id(pool, buffer, 1);
        }
    }
    return ids.empty() ? nullptr : &ids;
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
    const auto consider = [&](const std::vector<Id>* ids) {
        if (ids == nullptr) {
            return;
        }
        for (const Id p : *ids) {
            const Entry* e = entry(p);
            const bool match =
                e->version ? spec.contains(e->record, *e->version) : spec.contains(e->record);
            if (match != exclude) {
                queue_push(&q, p);
            }
        }
    };
    if (spec.name().is_exact()) {
        const Id name = pool_str2id(pool, spec.name().str().c_str(), 0);
        consider(builds(name));
    } else {
        for (const Id name : names) {
            if (spec.name().contains(pool_id2str(pool, name))) {
                consider(builds(name));
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

namespace {

// Hands repodata records to a table builder as the parser makes them.
class TableSink final : public specs::RecordSink {
  public:
    explicit TableSink(RecordTable::Builder& builder) : builder_(builder) {}
    void add(std::size_t /*first*/, std::span<specs::PackageRecord> records) override {
        for (const auto& r : records) {
            builder_.add(r);
        }
    }
    void restart() override { builder_.clear(); }
    [[nodiscard]] std::string_view fn(std::size_t index) const override {
        return builder_.fn(index);
    }
    void relocate(std::size_t index, std::string_view url, std::string_view subdir) override {
        builder_.relocate(index, url, subdir);
    }
    void drop(std::size_t index) override { builder_.drop(index); }

  private:
    RecordTable::Builder& builder_;
};

}  // namespace

Database::RepoLoad Database::add_repodata(std::string_view name, int priority,
                                          const std::filesystem::path& repodata,
                                          const specs::RepodataSource& source,
                                          const std::filesystem::path& cache_dir) {
    RepoLoad load;
    std::unique_ptr<const RecordTable> table;
    std::optional<CacheKey> key;
    std::filesystem::path cache_file;
    if (!cache_dir.empty()) {
        key = cache_key(repodata, source);
        cache_file = cache_path(cache_dir, *key);
        table = read_cache(cache_file, *key, &load.cache_note);
        load.from_cache = table != nullptr;
    }
    if (table == nullptr) {
        RecordTable::Builder builder;
        std::error_code ec;
        const auto bytes = std::filesystem::file_size(repodata, ec);
        builder.reserve_for_json(ec ? 0 : static_cast<std::size_t>(bytes));
        TableSink sink(builder);
        specs::stream_repodata(repodata, source, sink);
        auto fresh = builder.finish();
        if (key) {
            // The key was taken before the parse: a file replaced meanwhile gives a cache
            // that the next run finds stale, never one that claims the new file.
            std::string why;
            load.cache_written = write_cache(cache_file, *key, *fresh, &why);
            if (!load.cache_written) {
                load.cache_note = why;
            }
        }
        table = std::move(fresh);
    }
    const std::string repo_name(name);
    Repo* repo = repo_create(impl_->pool, repo_name.c_str());
    repo->priority = priority;
    impl_->repos.push_back({repo, priority});
    const std::size_t before = impl_->record_count;
    impl_->add_table(repo, std::move(table), false);
    load.records = impl_->record_count - before;
    return load;
}

std::vector<specs::PackageRecord> Database::records_named(std::string_view name) {
    impl_->prepare();
    const std::string text(name);
    std::vector<specs::PackageRecord> out;
    if (const auto* ids = impl_->builds(pool_str2id(impl_->pool, text.c_str(), 0))) {
        for (const Id p : *ids) {
            out.push_back(impl_->entry(p)->record);
        }
    }
    return out;
}

void Database::add_installed(std::vector<specs::PackageRecord> records) {
    impl_->add_all(impl_->installed_repo(), std::move(records), false);
}

void Database::add_virtual_packages(std::vector<specs::PackageRecord> records) {
    impl_->add_all(impl_->installed_repo(), std::move(records), true);
}

std::size_t Database::size() const noexcept {
    return impl_->record_count;
}

}  // namespace cenv::solver

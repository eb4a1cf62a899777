#include "install/transaction.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "install/environments_file.hpp"
#include "install/error.hpp"
#include "install/interrupt.hpp"
#include "install/journal.hpp"
#include "install/link_package.hpp"
#include "install/link_scripts.hpp"
#include "install/prepare.hpp"
#include "install/pyc_compile.hpp"
#include "specs/error.hpp"
#include "specs/match_spec.hpp"
#include "specs/prefix_record.hpp"
#include "specs/record_json.hpp"
#include "util/file.hpp"
#include "util/parallel.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

namespace {

using Kind = PlannedPath::Kind;

// A record in conda-meta: where it is and what it says.
struct Installed {
    std::string file;  // relative to the prefix: conda-meta/<name>-<version>-<build>.json
    specs::PrefixRecord record;
    std::string dist;  // name-version-build
};

std::vector<Installed> read_installed(const fs::path& prefix) {
    std::vector<Installed> out;
    const fs::path meta = prefix / "conda-meta";
    std::error_code ec;
    for (fs::directory_iterator it(meta, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.ends_with(".json") || name.starts_with(".") || !it->is_regular_file()) {
            continue;
        }
        try {
            Installed installed;
            installed.file = "conda-meta/" + name;
            installed.record =
                specs::parse_full_prefix_record(util::read_file(it->path()), it->path().string());
            const auto& m = installed.record.metadata;
            installed.dist = m.value("name", "") + "-" + m.value("version", "") + "-" +
                             m.value("build", m.value("build_string", ""));
            out.push_back(std::move(installed));
        } catch (const specs::ParseError& e) {
            throw InstallError(e.what(), e.hint());
        }
    }
    std::sort(out.begin(), out.end(),
              [](const Installed& a, const Installed& b) { return a.file < b.file; });
    return out;
}

// Empty, or nothing but an empty conda-meta folder.
bool is_fresh(const fs::path& prefix) {
    std::error_code ec;
    for (fs::directory_iterator it(prefix, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().filename() == ".cenv-transaction") {
            continue;
        }
        if (it->path().filename() != "conda-meta" || !it->is_directory() ||
            !fs::is_empty(it->path())) {
            return false;
        }
    }
    return true;
}

enum class Existing { none, directory, other };

Existing existing(const fs::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        return Existing::none;
    }
    if (S_ISDIR(st.st_mode)) {
        return Existing::directory;
    }
    // A link to a folder counts as the folder (lib/python3 -> python3.11).
    if (S_ISLNK(st.st_mode) && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        return Existing::directory;
    }
    return Existing::other;
}

// Whether every file under the folder `path` (`rel` in the prefix) is among `paths`.
bool holds_only(const fs::path& path, const std::string& rel,
                const std::unordered_set<std::string>& paths) {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_directory() &&
            paths.count(rel + "/" + it->path().lexically_relative(path).string()) == 0) {
            return false;
        }
    }
    return !ec;
}

std::string local_time_now() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::localtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
    return text;
}

// The parent folders of `path`, nearest last: "a/b/c" -> "a", "a/b".
template <typename F>
void for_each_parent(std::string_view path, F&& f) {
    for (std::size_t slash = path.find('/'); slash != std::string_view::npos;
         slash = path.find('/', slash + 1)) {
        f(path.substr(0, slash));
    }
}

std::string spec_name(const std::string& spec) {
    try {
        return specs::MatchSpec::parse(spec).name().str();
    } catch (const specs::ParseError&) {
        return {};
    }
}

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
        throw InstallError(fmt::format("cannot write '{}'", path.string()),
                           "check the free space of the environment's filesystem");
    }
}

void rename_into(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::rename(from, to, ec);
    if (ec) {
        throw InstallError(fmt::format("cannot write '{}': {}", to.string(), ec.message()),
                           "check the permissions of the environment folder");
    }
}

class Transaction {
  public:
    Transaction(const PrefixLock& lock, PackageCache& cache, const TransactionRequest& request,
                const TransactionOptions& options)
        : prefix_(lock.prefix()), cache_(cache), request_(request), options_(options) {}

    TransactionResult run() {
        const InterruptGuard guard;
        try {
            prepare();
            phase("prepare");
            plan();
            phase("plan");
        } catch (const std::exception&) {
            // Nothing was written yet; a folder made for this transaction goes again.
            if (request_.created_prefix) {
                std::error_code ec;
                fs::remove_all(prefix_, ec);
            }
            throw;
        }
        Journal journal = Journal::begin(prefix_, journal_plan_);
        try {
            execute(journal);
            journal.commit();
            phase("commit");
        } catch (const std::exception& e) {
            emit({TransactionEvent::Kind::rolling_back, e.what(), {}, 0, 0});
            journal.rollback();
            if (dynamic_cast<const Interrupted*>(&e) == nullptr && interrupted()) {
                throw Interrupted("interrupted: the environment was left as it was", "");
            }
            throw;
        }
        journal.finish();
        register_environment(prefix_);
        phase("finish");
        return std::move(result_);
    }

  private:
    // Notes the time since the previous phase ended under `name`.
    void phase(const char* name) {
        const auto now = std::chrono::steady_clock::now();
        result_.phases.emplace_back(name, std::chrono::duration<double>(now - mark_).count());
        mark_ = now;
    }

    [[nodiscard]] bool interrupted() const { return InterruptGuard::flag().load(); }

    void check_interrupt() const {
        if (interrupted()) {
            throw Interrupted("interrupted: the environment was left as it was", "");
        }
    }

    void emit(const TransactionEvent& event) const {
        if (options_.on_event) {
            const std::lock_guard lock(event_mutex_);
            options_.on_event(event);
        }
    }

    void warn(const std::string& text) {
        result_.warnings.push_back(text);
        emit({TransactionEvent::Kind::warning, text, {}, 0, 0});
    }

    // The packages' trees in the cache, fetched and extracted as needed.
    void prepare() {
        std::atomic<std::size_t> ready{0};
        PrepareOptions prepare;
        prepare.fetch = options_.fetch;
        prepare.threads = options_.threads;
        prepare.interrupted = &InterruptGuard::flag();
        prepare.on_ready = [&](std::size_t i) {
            emit({TransactionEvent::Kind::prepared,
                  request_.link[i].dist_str(),
                  {},
                  ++ready,
                  request_.link.size()});
        };
        const auto prepared = prepare_packages(cache_, request_.link, prepare);
        trees_.reserve(prepared.size());
        for (std::size_t i = 0; i < prepared.size(); ++i) {
            trees_.push_back(prepared[i].tree);
            if (prepared[i].fetched) {
                result_.fetched.push_back(i);
            }
        }
        check_interrupt();
    }

    void plan() {
        fresh_ = is_fresh(prefix_);
        python_ = python_layout(request_.final_state);
        links_.resize(request_.link.size());
        util::parallel_for(links_.size(), threads(), [&](std::size_t i) {
            links_[i] = plan_package_link(request_.link[i], trees_[i], python_);
        });
        if (!fresh_) {
            installed_ = read_installed(prefix_);
        }
        plan_unlink();
        plan_clobbers();
        plan_folders();
        plan_records();
    }

    [[nodiscard]] std::size_t threads() const {
        return options_.threads == 0 ? util::default_threads() : options_.threads;
    }

    // The installed records to remove, and their paths that no remaining package lists.
    void plan_unlink() {
        std::unordered_set<std::string> removed;
        for (const auto& record : request_.unlink) {
            const std::string dist = record.dist_str();
            const auto it = std::find_if(installed_.begin(), installed_.end(),
                                         [&](const Installed& i) { return i.dist == dist; });
            if (it == installed_.end()) {
                warn(fmt::format("{} is not recorded in {}: nothing of it to remove", dist,
                                 (prefix_ / "conda-meta").string()));
                continue;
            }
            unlinked_.push_back(&*it);
            removed.insert(dist);
        }
        for (const auto& installed : installed_) {
            if (removed.count(installed.dist) == 0) {
                for (const auto& file : installed.record.files) {
                    remaining_owner_.emplace(file, &installed);
                }
            }
        }
        for (const Installed* installed : unlinked_) {
            for (const auto& file : installed->record.files) {
                if (remaining_owner_.count(file) == 0 && unlink_paths_.insert(file).second) {
                    journal_plan_.moved.push_back(file);
                }
            }
            journal_plan_.moved.push_back(installed->file);
        }
    }

    // Paths written by two packages of the transaction, or already in the prefix.
    void plan_clobbers() {
        std::unordered_map<std::string_view, std::size_t> writer;  // path -> last package
        std::map<std::pair<std::size_t, std::size_t>, std::vector<std::string>> shared;
        for (std::size_t p = 0; p < links_.size(); ++p) {
            for (auto& planned : links_[p].paths) {
                if (planned.kind == Kind::directory) {
                    continue;
                }
                const auto [it, inserted] = writer.emplace(planned.target, p);
                if (!inserted && it->second != p) {
                    // The earlier package's copy is not written; the later one wins.
                    for (auto& earlier : links_[it->second].paths) {
                        if (earlier.target == planned.target) {
                            earlier.write = false;
                        }
                    }
                    shared[{it->second, p}].push_back(planned.target);
                    it->second = p;
                }
            }
        }
        std::vector<std::string> problems;
        for (const auto& [pair, paths] : shared) {
            problems.push_back(fmt::format(
                "{} and {} both install '{}'{}; the copy of {} is kept",
                links_[pair.first].record.dist_str(), links_[pair.second].record.dist_str(),
                paths.front(),
                paths.size() > 1 ? fmt::format(" (and {} more paths)", paths.size() - 1) : "",
                links_[pair.second].record.dist_str()));
        }
        if (!fresh_) {
            // Paths that are there and that no removed package takes away.
            std::map<std::pair<std::size_t, std::string>, std::vector<std::string>> existing_by;
            for (std::size_t p = 0; p < links_.size(); ++p) {
                for (const auto& planned : links_[p].paths) {
                    if (!planned.write || unlink_paths_.count(planned.target) != 0) {
                        continue;
                    }
                    const Existing there = existing(prefix_ / planned.target);
                    if (there == Existing::none ||
                        (there == Existing::directory && planned.kind == Kind::directory)) {
                        continue;
                    }
                    if (there == Existing::directory &&
                        holds_only(prefix_ / planned.target, planned.target, unlink_paths_)) {
                        continue;  // a folder the removed packages empty: the file replaces it
                    }
                    if (there == Existing::directory) {
                        throw InstallError(
                            fmt::format("{} installs the file '{}', where the environment has a "
                                        "folder",
                                        links_[p].record.dist_str(), planned.target),
                            "remove the package that owns the folder first");
                    }
                    const auto owner = remaining_owner_.find(planned.target);
                    existing_by[{p, owner == remaining_owner_.end() ? std::string()
                                                                    : owner->second->dist}]
                        .push_back(planned.target);
                    displaced_.push_back(planned.target);
                }
            }
            for (const auto& [key, paths] : existing_by) {
                problems.push_back(fmt::format(
                    "{} overwrites '{}'{}, {}", links_[key.first].record.dist_str(), paths.front(),
                    paths.size() > 1 ? fmt::format(" (and {} more paths)", paths.size() - 1) : "",
                    key.second.empty() ? "which is in the environment but belongs to no package"
                                       : "which " + key.second + " installed"));
            }
            for (const auto& path : displaced_) {
                journal_plan_.moved.push_back(path);
            }
        }
        if (problems.empty() || options_.safety_checks == SafetyChecks::disabled) {
            return;
        }
        if (options_.safety_checks == SafetyChecks::enabled) {
            throw InstallError(
                fmt::format("clobbered path{}: {}", problems.size() > 1 ? "s" : "",
                            problems.front()) +
                    (problems.size() > 1
                         ? fmt::format(" (and {} more conflicts)", problems.size() - 1)
                         : ""),
                "safety_checks is 'enabled'; set it to 'warn' (--safety-checks warn) to let the "
                "later package win, or leave one of the packages out");
        }
        for (const auto& problem : problems) {
            warn("clobber: " + problem);
        }
    }

    // The folders to make, parents first; on a used prefix, only those not there yet.
    void plan_folders() {
        std::unordered_set<std::string_view> seen;
        for (const auto& link : links_) {
            for (const auto& planned : link.paths) {
                for_each_parent(planned.target, [&](std::string_view parent) {
                    if (seen.insert(parent).second) {
                        folders_.emplace_back(parent);
                    }
                });
                if (planned.kind == Kind::directory && seen.insert(planned.target).second) {
                    folders_.push_back(planned.target);
                }
            }
        }
        folders_.emplace_back("conda-meta");
        std::sort(folders_.begin(), folders_.end());
        folders_.erase(std::unique(folders_.begin(), folders_.end()), folders_.end());
        if (fresh_) {
            return;
        }
        std::vector<std::string> missing;
        for (const auto& folder : folders_) {
            const Existing there = existing(prefix_ / folder);
            if (there == Existing::directory) {
                continue;
            }
            if (there == Existing::other && unlink_paths_.count(folder) == 0) {
                throw InstallError(
                    fmt::format("the transaction needs a folder '{}', where the environment has "
                                "a file",
                                folder),
                    "remove the package that owns the file first");
            }
            missing.push_back(folder);
        }
        folders_ = std::move(missing);
        journal_plan_.folders = folders_;
        for (const auto& link : links_) {
            for (const auto& planned : link.paths) {
                if (planned.write && planned.kind != Kind::directory) {
                    journal_plan_.created.push_back(planned.target);
                }
            }
        }
    }

    // conda-meta records and history: written into the journal's scratch, renamed in.
    void plan_records() {
        journal_plan_.fresh = fresh_;
        journal_plan_.remove_prefix = request_.created_prefix;
        // A new prefix's folder holds its "new" marker: not a reason to call it used.
        if (fresh_) {
            return;
        }
        for (const auto& link : links_) {
            journal_plan_.created.push_back("conda-meta/" + link.record.dist_str() + ".json");
        }
        if (existing(prefix_ / "conda-meta/history") != Existing::none) {
            journal_plan_.moved.emplace_back("conda-meta/history");
        }
        journal_plan_.created.emplace_back("conda-meta/history");
    }

    void execute(const Journal& journal) {
        phase("journal");
        unlink_packages(journal);
        for (const auto& path : displaced_) {
            journal.displace(path);
        }
        phase("unlink");
        make_folders();
        link_packages();
        phase("link");
        compile_pycs();
        run_post_link_scripts();
        phase("pyc and scripts");
        write_records(journal);
        write_history(journal);
        phase("records");
        check_interrupt();
    }

    void unlink_packages(const Journal& journal) {
        for (const Installed* installed : unlinked_) {
            check_interrupt();
            const specs::PackageRecord record = installed->record.package();
            emit({TransactionEvent::Kind::unlinking, installed->dist, {}, 0, 0});
            if (auto run = run_link_script(prefix_, record, LinkScript::pre_unlink,
                                           options_.root_prefix, &InterruptGuard::flag())) {
                if (!run->messages.empty()) {
                    emit({TransactionEvent::Kind::message, run->messages, installed->dist, 0, 0});
                }
                if (run->exit_code != 0) {
                    warn(fmt::format("the pre-unlink script of {} failed (exit status {}): {}",
                                     installed->dist, run->exit_code, run->err));
                }
            }
        }
        for (const Installed* installed : unlinked_) {
            for (const auto& file : installed->record.files) {
                if (unlink_paths_.count(file) != 0) {
                    journal.displace(file);
                }
            }
            journal.displace(installed->file);
        }
    }

    void make_folders() const {
        for (const auto& folder : folders_) {
            const fs::path path = prefix_ / folder;
            if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
                throw InstallError(fmt::format("cannot create the folder '{}': {}", path.string(),
                                               std::strerror(errno)),
                                   "check the permissions and free space of the environment");
            }
        }
    }

    void link_packages() {
        std::atomic<bool> hard_links_work{true};
        LinkContext context{prefix_, python_, &hard_links_work, &InterruptGuard::flag()};
        linked_.resize(links_.size());
        std::atomic<std::size_t> done{0};
        util::parallel_for(links_.size(), threads(), [&](std::size_t i) {
            linked_[i] = link_package(links_[i], context);
            emit({TransactionEvent::Kind::linked,
                  links_[i].record.dist_str(),
                  {},
                  ++done,
                  links_.size()});
        });
        check_interrupt();
    }

    void compile_pycs() {
        std::vector<PycJob> jobs;
        std::vector<std::pair<std::size_t, std::size_t>> owner;  // (package, planned path)
        for (std::size_t p = 0; p < links_.size(); ++p) {
            const auto& paths = links_[p].paths;
            for (std::size_t i = 0; i < paths.size(); ++i) {
                if (paths[i].kind == Kind::pyc && paths[i].write) {
                    jobs.push_back({paths[paths[i].source].target, paths[i].target});
                    owner.emplace_back(p, i);
                }
            }
        }
        if (jobs.empty()) {
            return;
        }
        const fs::path python = prefix_ / python_->executable;
        if (::access(python.c_str(), X_OK) != 0) {
            warn(fmt::format("{} is not there, so {} .pyc files were not compiled", python.string(),
                             jobs.size()));
            return;
        }
        emit({TransactionEvent::Kind::compiling, {}, {}, 0, jobs.size()});
        const PycResult compiled = compile_pyc(python, prefix_, jobs, &InterruptGuard::flag());
        check_interrupt();
        for (const auto& problem : compiled.problems) {
            warn("a .pyc file was not compiled: " + problem);
        }
        for (std::size_t j = 0; j < jobs.size(); ++j) {
            if (compiled.compiled[j]) {
                auto& linked = linked_[owner[j].first];
                linked.files.push_back(jobs[j].target);
                specs::PathEntry entry;
                entry.path = jobs[j].target;
                entry.type = specs::PathType::pyc_file;
                linked.paths_data.paths.push_back(std::move(entry));
                ++result_.pyc_compiled;
            }
        }
    }

    void run_post_link_scripts() {
        for (const auto& link : links_) {
            check_interrupt();
            const auto script = link_script_path(prefix_, link.record, LinkScript::post_link);
            if (!fs::exists(script)) {
                continue;
            }
            emit({TransactionEvent::Kind::script, link.record.dist_str(), {}, 0, 0});
            const auto run = run_link_script(prefix_, link.record, LinkScript::post_link,
                                             options_.root_prefix, &InterruptGuard::flag());
            if (!run) {
                continue;
            }
            if (!run->messages.empty()) {
                emit(
                    {TransactionEvent::Kind::message, run->messages, link.record.dist_str(), 0, 0});
            }
            if (run->exit_code != 0) {
                check_interrupt();
                throw InstallError(
                    fmt::format("the post-link script of {} failed (exit status {})\n"
                                "  script: {}\n"
                                "  messages: {}\n"
                                "  stdout: {}\n"
                                "  stderr: {}",
                                link.record.dist_str(), run->exit_code, run->script.string(),
                                run->messages.empty() ? "<none>" : run->messages, run->out,
                                run->err),
                    "the package's own script failed; the environment was left as it was. "
                    "Report it to the package's maintainers, or leave the package out");
            }
        }
    }

    void write_records(const Journal& journal) {
        std::unordered_map<std::string, std::string> requested;
        for (const auto& spec : request_.specs) {
            const std::string name = spec_name(spec);
            if (!name.empty()) {
                requested[name] = spec;
            }
        }
        util::parallel_for(links_.size(), threads(), [&](std::size_t i) {
            const auto& link = links_[i];
            auto& linked = linked_[i];
            specs::PrefixRecord record;
            // The solution's record over the package's own: the channel it came from now.
            record.metadata = link.contents.metadata;
            const nlohmann::json solved = specs::record_to_json(link.record);
            for (const auto& [key, value] : solved.items()) {
                record.metadata[key] = value;
            }
            record.files = std::move(linked.files);
            record.paths_data = std::move(linked.paths_data);
            record.link = specs::PrefixRecord::Link{link.tree.string(), linked.link_type};
            const auto spec = requested.find(link.record.name);
            record.requested_spec = spec == requested.end() ? "None" : spec->second;
            record.extracted_package_dir = link.tree.string();
            const std::string fn = record.metadata.value("fn", link.record.fn);
            record.package_tarball_full_path = (link.tree.parent_path() / fn).string();
            const std::string name = link.record.dist_str() + ".json";
            const fs::path scratch = journal.scratch(name);
            write_text(scratch, specs::prefix_record_text(record));
            rename_into(scratch, prefix_ / "conda-meta" / name);
        });
    }

    void write_history(const Journal& journal) {
        specs::HistoryEntry entry;
        entry.when = local_time_now();
        entry.command = request_.command_line;
        for (const Installed* installed : unlinked_) {
            entry.removed.push_back(specs::history_dist(installed->record.package()));
        }
        for (const auto& link : links_) {
            entry.added.push_back(specs::history_dist(link.record));
        }
        entry.specs_action = request_.history_action;
        entry.specs = request_.specs;
        const fs::path history = prefix_ / "conda-meta" / "history";
        std::string text;
        if (existing(history) == Existing::other) {
            text = util::read_file(history);
            if (!text.empty() && text.back() != '\n') {
                text += '\n';
            }
        }
        text += specs::format_history_entry(entry);
        const fs::path scratch = journal.scratch("history");
        write_text(scratch, text);
        journal.displace("conda-meta/history");
        rename_into(scratch, history);
    }

    fs::path prefix_;
    PackageCache& cache_;
    const TransactionRequest& request_;
    const TransactionOptions& options_;
    mutable std::mutex event_mutex_;
    TransactionResult result_;
    std::chrono::steady_clock::time_point mark_ = std::chrono::steady_clock::now();

    bool fresh_ = false;
    std::optional<PythonLayout> python_;
    std::vector<fs::path> trees_;
    std::vector<PackageLink> links_;
    std::vector<LinkedPackage> linked_;
    std::vector<Installed> installed_;
    std::vector<const Installed*> unlinked_;
    std::unordered_map<std::string, const Installed*> remaining_owner_;
    std::unordered_set<std::string> unlink_paths_;
    std::vector<std::string> displaced_;
    std::vector<std::string> folders_;
    JournalPlan journal_plan_;
};

}  // namespace

SafetyChecks parse_safety_checks(std::string_view text) {
    if (text == "warn") {
        return SafetyChecks::warn;
    }
    if (text == "enabled") {
        return SafetyChecks::enabled;
    }
    if (text == "disabled") {
        return SafetyChecks::disabled;
    }
    throw InstallError(fmt::format("unknown safety_checks value '{}'", text),
                       "use warn, enabled or disabled");
}

TransactionResult run_transaction(const PrefixLock& lock, PackageCache& cache,
                                  const TransactionRequest& request,
                                  const TransactionOptions& options) {
    return Transaction(lock, cache, request, options).run();
}

}  // namespace cenv::install

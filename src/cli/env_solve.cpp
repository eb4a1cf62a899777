#include "cli/env_solve.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "channels/channel_location.hpp"
#include "channels/error.hpp"
#include "cli/table.hpp"
#include "solver/database.hpp"
#include "solver/error.hpp"
#include "solver/solve.hpp"
#include "specs/error.hpp"
#include "specs/platform.hpp"
#include "specs/prefix_record.hpp"
#include "system/virtual_package.hpp"
#include "util/file.hpp"

namespace cenv::cli {

namespace {

std::filesystem::path root_prefix(const EnvOptions& options) {
    if (!options.root.empty()) {
        return options.root;
    }
    if (const char* env = std::getenv("CENV_ROOT_PREFIX"); env != nullptr && *env != '\0') {
        return env;
    }
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home != nullptr ? home : ".") / ".cenv";
}

// The solver's binary caches of channel subdirs (one .solv file each).
std::filesystem::path solv_cache_dir(const EnvOptions& options) {
    return root_prefix(options) / "pkgs" / "cache";
}

// Elapsed wall time since construction.
class PhaseClock {
  public:
    PhaseClock() : start_(std::chrono::steady_clock::now()) {}
    [[nodiscard]] double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

  private:
    std::chrono::steady_clock::time_point start_;
};

// Phase timings on stderr, one line each, when CENV_TIMINGS is set (not empty, not 0): for
// the benchmarks and for a user who wants to see where the time goes.
class Timings {
  public:
    Timings() {
        const char* v = std::getenv("CENV_TIMINGS");
        on_ = v != nullptr && *v != '\0' && std::string_view(v) != "0";
    }
    void note(const std::string& what, const PhaseClock& clock) const {
        if (on_) {
            std::cerr << fmt::format("timing: {:.3f} s {}\n", clock.seconds(), what);
        }
    }

  private:
    bool on_ = false;
};

std::filesystem::path target_prefix(const EnvOptions& options) {
    if (!options.prefix.empty()) {
        return std::filesystem::absolute(options.prefix);
    }
    if (!options.name.empty()) {
        return root_prefix(options) / "envs" / options.name;
    }
    throw util::Error("no environment given",
                      "name one with -n NAME (under the root prefix) or -p PATH");
}

solver::ChannelPriority parse_priority(const std::string& text) {
    if (text == "strict") {
        return solver::ChannelPriority::strict;
    }
    if (text == "flexible") {
        return solver::ChannelPriority::flexible;
    }
    if (text == "disabled") {
        return solver::ChannelPriority::disabled;
    }
    throw util::Error(fmt::format("unknown channel priority '{}'", text),
                      "use strict, flexible or disabled");
}

std::string read_optional(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec) ? util::read_file(path) : std::string{};
}

// The non-empty items of `text` split at any of `separators`, trimmed of spaces.
std::vector<std::string> split_list(std::string_view text, std::string_view separators) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find_first_of(separators, start), text.size());
        std::string_view item = text.substr(start, end - start);
        while (!item.empty() && item.front() == ' ') {
            item.remove_prefix(1);
        }
        while (!item.empty() && item.back() == ' ') {
            item.remove_suffix(1);
        }
        if (!item.empty()) {
            items.emplace_back(item);
        }
        start = end + 1;
    }
    return items;
}

// conda's aggressive_update_packages: CENV_, CONDA_ or MAMBA_AGGRESSIVE_UPDATE_PACKAGES
// (comma-separated; empty for none), else conda's default.
std::vector<std::string> aggressive_update_packages() {
    for (const char* var : {"CENV_AGGRESSIVE_UPDATE_PACKAGES", "CONDA_AGGRESSIVE_UPDATE_PACKAGES",
                            "MAMBA_AGGRESSIVE_UPDATE_PACKAGES"}) {
        if (const char* value = std::getenv(var); value != nullptr) {
            return split_list(value, ", ");
        }
    }
    return {"ca-certificates", "certifi", "openssl"};
}

nlohmann::json action_entry(const specs::PackageRecord& r) {
    return {{"name", r.name},
            {"version", r.version},
            {"build", r.build},
            {"build_string", r.build},
            {"build_number", r.build_number},
            {"channel", r.channel},
            {"subdir", r.subdir},
            {"fn", r.fn},
            {"url", r.url},
            {"md5", r.md5},
            {"sha256", r.sha256},
            {"dist_name", r.dist_str()}};
}

void print_plan(const std::filesystem::path& prefix, const solver::Solution& solution) {
    if (solution.link.empty() && solution.unlink.empty()) {
        std::cout << "Nothing to do: the environment " << prefix.string()
                  << " already satisfies the request.\n";
        return;
    }
    std::cout << "Transaction for " << prefix.string() << ":\n\n";
    std::vector<std::vector<std::string>> rows;
    std::map<std::string, const specs::PackageRecord*> linked;
    for (const auto& r : solution.link) {
        linked[r.name] = &r;
    }
    std::set<std::string> changed;
    for (const auto& r : solution.unlink) {
        if (const auto it = linked.find(r.name); it != linked.end()) {
            const auto& to = *it->second;
            rows.push_back({"~ " + r.name,
                            r.version == to.version ? to.version : r.version + " -> " + to.version,
                            r.build == to.build ? to.build : r.build + " -> " + to.build,
                            to.channel});
            changed.insert(r.name);
        } else {
            rows.push_back({"- " + r.name, r.version, r.build, r.channel});
        }
    }
    for (const auto& r : solution.link) {
        if (changed.count(r.name) == 0) {
            rows.push_back({"+ " + r.name, r.version, r.build, r.channel});
        }
    }
    std::cout << render_table({"Package", "Version", "Build", "Channel"}, rows);
    std::cout << fmt::format("\n{} to link, {} to unlink.\n", solution.link.size(),
                             solution.unlink.size());
}

}  // namespace

void add_env_options(CLI::App& cmd, EnvOptions& options, bool with_channels) {
    cmd.add_option("specs", options.specs, "Package specs (conda match-spec syntax)");
    auto* name = cmd.add_option("-n,--name", options.name, "Environment name (under <root>/envs)");
    cmd.add_option("-p,--prefix", options.prefix, "Environment path")->excludes(name);
    cmd.add_option("-r,--root-prefix", options.root,
                   "Root prefix (default: $CENV_ROOT_PREFIX or ~/.cenv)");
    cmd.add_flag("--dry-run", options.dry_run, "Solve and show the plan; change nothing");
    cmd.add_flag("--json", options.json, "Print the result as JSON (micromamba's layout)");
    cmd.add_flag("-y,--yes", options.yes, "Do not ask for confirmation");
    cmd.add_flag("--offline", options.offline, "Use no network (local channels only for now)");
    if (with_channels) {
        cmd.add_option("-c,--channel", options.channels,
                       "Channel: a folder or file:// URL (repeatable, in priority order)")
            ->allow_extra_args(false);
        cmd.add_flag("--override-channels", options.override_channels,
                     "Use only the channels given with -c");
        cmd.add_option("--platform", options.platform,
                       "Subdir to solve for besides noarch (default: this machine's)");
        cmd.add_option("--channel-priority", options.channel_priority,
                       "strict (default), flexible or disabled")
            ->check(CLI::IsMember({"strict", "flexible", "disabled"}));
        cmd.add_flag("--freeze-installed", options.freeze_installed,
                     "Keep every installed package that the specs do not name");
        cmd.add_flag("--no-deps", options.no_deps, "Link the requested packages only");
        cmd.add_flag("--only-deps", options.only_deps,
                     "Link only the dependencies of the requested packages");
        cmd.add_flag("--force-reinstall", options.force_reinstall,
                     "Relink requested packages even when already installed");
        cmd.add_flag("--no-pin", options.no_pin, "Ignore conda-meta/pinned");
        cmd.add_flag("--update-deps", options.update_deps,
                     "Also update the dependencies of the requested packages");
        cmd.add_flag("--prune", options.prune,
                     "Keep only what the given specs need (earlier requests are forgotten)");
        cmd.add_flag("--satisfied-skip-solve", options.satisfied_skip_solve,
                     "Change nothing when the installed packages already satisfy the specs");
    }
}

int run_env_command(const EnvOptions& options, solver::Request::Op op, const char* command) {
    const std::filesystem::path prefix = target_prefix(options);
    const bool create = std::string_view(command) == "create";
    if (!create && options.specs.empty() && !options.all) {
        throw util::Error(
            fmt::format("'cenv {}' needs at least one package spec", command),
            op == solver::Request::Op::update
                ? std::string("name the packages to update, or update everything with --all")
                : fmt::format("for example: cenv {} -n myenv numpy", command));
    }

    solver::Request request;
    request.op = op;
    request.specs = options.specs;
    request.channel_priority = parse_priority(options.channel_priority);
    request.update_all = options.all;
    request.freeze_installed = options.freeze_installed;
    request.no_deps = options.no_deps;
    request.only_deps = options.only_deps;
    request.force_reinstall = options.force_reinstall;
    request.force_remove = options.force;
    request.update_deps = options.update_deps;
    request.prune = options.prune;
    request.satisfied_skip_solve = options.satisfied_skip_solve;
    request.aggressive_update_packages = aggressive_update_packages();

    Timings timings;
    solver::Database db;
    // Virtual packages first: detection may start a helper process, which is cheaper to
    // fork before the channels fill this one's memory.
    std::vector<specs::PackageRecord> virtuals;
    for (const auto& vp : system::detect_virtual_packages(system::DetectOptions{})) {
        specs::PackageRecord r;
        r.name = vp.name;
        r.version = vp.version;
        r.build = vp.build;
        r.channel = "@";
        virtuals.push_back(std::move(r));
    }
    db.add_virtual_packages(std::move(virtuals));
    if (!create) {
        std::error_code ec;
        if (!std::filesystem::is_directory(prefix / "conda-meta", ec)) {
            throw util::Error(
                fmt::format("{} is not an environment (it has no conda-meta folder)",
                            prefix.string()),
                fmt::format("create it first: cenv create -p {} SPEC...", prefix.string()));
        }
        db.add_installed(specs::load_prefix_records(prefix));
        request.history_specs =
            specs::parse_history_specs(read_optional(prefix / "conda-meta" / "history"));
        if (!options.no_pin) {
            request.pins =
                specs::parse_pinned_specs(read_optional(prefix / "conda-meta" / "pinned"));
        }
    }
    if (!options.no_pin) {
        // The pinned_packages setting (comma-separated), as conda reads it from the
        // environment; the config module will bring ~/.condarc's list too.
        for (const char* var : {"CENV_PINNED_PACKAGES", "CONDA_PINNED_PACKAGES"}) {
            if (const char* value = std::getenv(var); value != nullptr) {
                for (auto& spec : split_list(value, ",&")) {
                    request.pins.push_back(std::move(spec));
                }
                break;
            }
        }
    }

    if (op != solver::Request::Op::remove) {
        if (options.channels.empty()) {
            throw channels::ChannelError(
                "no channel given",
                "name a local channel with -c PATH or -c file:///PATH (remote channels come "
                "in a later version)");
        }
        const std::string platform =
            options.platform.empty() ? std::string(specs::build_subdir()) : options.platform;
        if (!specs::is_known_subdir(platform)) {
            throw specs::ParseError(fmt::format("unknown platform '{}'", platform),
                                    "use a conda subdir such as linux-64, linux-aarch64, "
                                    "osx-arm64 or win-64");
        }
        std::vector<std::string> subdirs{platform};
        if (platform != "noarch") {
            subdirs.emplace_back("noarch");
        }
        // Each subdir goes straight from its repodata.json (or its binary cache under
        // <root>/pkgs/cache) into the solver's pool: no PackageRecord per package.
        const std::filesystem::path cache_dir = solv_cache_dir(options);
        const int count = static_cast<int>(options.channels.size());
        for (int i = 0; i < count; ++i) {
            const auto location =
                channels::ChannelLocation::parse(options.channels[static_cast<std::size_t>(i)]);
            std::error_code ec;
            if (!std::filesystem::is_directory(location.directory, ec)) {
                throw channels::ChannelError(
                    fmt::format("channel '{}' does not exist: no folder '{}'", location.url,
                                location.directory.string()),
                    "check the path given with -c");
            }
            bool found = false;
            for (const auto& subdir : subdirs) {
                const auto file = location.directory / subdir / "repodata.json";
                if (!std::filesystem::exists(file, ec)) {
                    continue;
                }
                found = true;
                const specs::RepodataSource source{location.url, location.subdir_url(subdir),
                                                   file.string()};
                const PhaseClock clock;
                const auto load = db.add_repodata(location.url + "/" + subdir, count - i, file,
                                                  source, cache_dir);
                timings.note(
                    fmt::format("load {}/{}: {} records, {}{}", location.url, subdir, load.records,
                                load.from_cache
                                    ? "from the binary cache"
                                    : (load.cache_written ? "parsed, cache written" : "parsed"),
                                load.cache_note.empty() || load.from_cache
                                    ? std::string{}
                                    : " (cache: " + load.cache_note + ")"),
                    clock);
            }
            if (!found) {
                throw channels::ChannelError(
                    fmt::format("channel '{}' has no repodata.json for {}", location.url,
                                fmt::join(subdirs, " or ")),
                    "a channel folder holds <subdir>/repodata.json; check the path and "
                    "--platform");
            }
        }
    }

    solver::Solution solution;
    try {
        // Noted however the solve ends (an unsolvable request takes time too).
        const struct SolveTiming {
            const Timings& timings;
            PhaseClock clock;
            ~SolveTiming() { timings.note("solve", clock); }
        } solve_timing{timings, {}};
        solution = solver::solve(db, request);
    } catch (const solver::UnsolvableError& e) {
        if (options.json) {
            nlohmann::json out = {{"success", false},
                                  {"dry_run", options.dry_run},
                                  {"prefix", prefix.string()},
                                  {"error", e.what()},
                                  {"solver_problems", e.problems()}};
            std::cout << out.dump(2) << '\n';
        }
        std::cerr << "error: " << e.what() << '\n';
        for (const auto& line : e.problems()) {
            std::cerr << "  - " << line << '\n';
        }
        if (!e.hint().empty()) {
            std::cerr << "hint: " << e.hint() << '\n';
        }
        return 1;
    } catch (const solver::PackagesNotFoundError& e) {
        if (options.json) {
            nlohmann::json out = {{"success", false},
                                  {"dry_run", options.dry_run},
                                  {"prefix", prefix.string()},
                                  {"error", e.what()},
                                  {"packages_not_found", e.specs()}};
            std::cout << out.dump(2) << '\n';
        }
        throw;
    }

    if (options.json) {
        nlohmann::json link = nlohmann::json::array();
        nlohmann::json unlink = nlohmann::json::array();
        for (const auto& r : solution.link) {
            link.push_back(action_entry(r));
        }
        for (const auto& r : solution.unlink) {
            unlink.push_back(action_entry(r));
        }
        nlohmann::json out = {
            {"success", true},
            {"dry_run", options.dry_run},
            {"prefix", prefix.string()},
            {"actions",
             {{"PREFIX", prefix.string()}, {"LINK", link}, {"UNLINK", unlink}, {"FETCH", link}}}};
        std::cout << out.dump(2) << '\n';
    } else {
        print_plan(prefix, solution);
    }
    if (options.dry_run) {
        return 0;
    }
    std::cerr << fmt::format(
        "error: this version of cenv only plans transactions; 'cenv {}' cannot install or "
        "remove packages yet (that comes in a later version)\n"
        "hint: run it with --dry-run to see the plan without this error\n",
        command);
    return 1;
}

}  // namespace cenv::cli

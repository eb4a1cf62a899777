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

#include "cli/channel_args.hpp"
#include "cli/detection.hpp"
#include "cli/table.hpp"
#include "cli/timings.hpp"
#include "cli/variant_report.hpp"
#include "config/settings.hpp"
#include "shell/project.hpp"
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

// Without -n and -p: the environment the project here names (.cenv, environment.yml), as
// `cenv activate` finds it.
EnvOptions with_project(EnvOptions options) {
    std::error_code ec;
    if (options.name.empty() && options.prefix.empty()) {
        if (const auto project = shell::find_project(std::filesystem::current_path(ec))) {
            options.name = project->name;
            options.prefix = project->prefix.string();
        }
    }
    return options;
}

std::filesystem::path target_prefix(const EnvOptions& given, const config::Settings& settings) {
    const EnvOptions options = with_project(given);
    if (!options.prefix.empty()) {
        return std::filesystem::absolute(options.prefix);
    }
    if (!options.name.empty()) {
        // The first envs_dirs folder that holds the environment, else the first of them.
        const auto& dirs = settings.list("envs_dirs");
        for (const auto& dir : dirs) {
            std::error_code ec;
            if (std::filesystem::is_directory(std::filesystem::path(dir) / options.name, ec)) {
                return std::filesystem::absolute(std::filesystem::path(dir) / options.name);
            }
        }
        if (!dirs.empty()) {
            return std::filesystem::absolute(std::filesystem::path(dirs.front()) / options.name);
        }
        return config::root_prefix(options.root) / "envs" / options.name;
    }
    throw util::Error("no environment given",
                      "name one with -n NAME (under the root prefix) or -p PATH, or in a .cenv "
                      "file (or environment.yml's name:) of this folder or above");
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

// The structured explanation of a failed solve: per problem, its steps (kind, package,
// spec, text), requests first and the incompatibility last.
nlohmann::json problem_tree_json(const solver::UnsolvableError& e) {
    nlohmann::json tree = nlohmann::json::array();
    for (const auto& problem : e.tree()) {
        nlohmann::json steps = nlohmann::json::array();
        for (const auto& s : problem) {
            steps.push_back(
                {{"kind", s.kind}, {"package", s.package}, {"spec", s.spec}, {"text", s.text}});
        }
        tree.push_back({{"steps", std::move(steps)}});
    }
    return tree;
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
                   "Root prefix (default: $CENV_ROOT_PREFIX or ~/.cenv); its .condarc is read");
    cmd.add_flag("--dry-run", options.dry_run, "Solve and show the plan; change nothing");
    cmd.add_flag("--json", options.json, "Print the result as JSON (micromamba's layout)");
    cmd.add_flag("-y,--yes", options.yes, "Do not ask for confirmation");
    cmd.add_flag("--offline", options.offline, "Use no network (local channels only for now)");
    if (with_channels) {
        cmd.add_option("-c,--channel", options.channels,
                       "Channel: a folder, file:// URL or name (repeatable, in priority order; "
                       "before the configured channels)")
            ->allow_extra_args(false);
        cmd.add_flag("--override-channels", options.override_channels,
                     "Use only the channels given with -c, not the configured ones");
        cmd.add_option("--platform", options.platform,
                       "Subdir to solve for besides noarch (default: this machine's)");
        cmd.add_option("--channel-priority", options.channel_priority,
                       "strict, flexible or disabled (default: the channel_priority setting, "
                       "strict)")
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
    config::LoadOptions load;
    load.root = options.root;
    if (!options.channel_priority.empty()) {
        load.overrides.push_back(
            {"channel_priority", options.channel_priority, "--channel-priority"});
    }
    if (options.offline) {
        load.overrides.push_back({"offline", "true", "--offline"});
    }
    const config::Settings settings = config::Settings::load(load);
    const std::filesystem::path prefix = target_prefix(options, settings);
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
    request.channel_priority = parse_priority(settings.string("channel_priority"));
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
    const system::DetectOptions detect = detect_options(config::root_prefix(options.root));
    const auto detected = system::detect_virtual_packages(detect);
    std::vector<specs::PackageRecord> virtuals;
    for (const auto& vp : detected) {
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
        // pinned_packages from the settings files and CENV_/CONDA_PINNED_PACKAGES.
        for (const auto& spec : settings.list("pinned_packages")) {
            request.pins.push_back(spec);
        }
    }

    solver::ChannelOffer offer;  // what `torch=cu121` can be solved with (cli/variant_report)
    offer.set_strict(request.channel_priority == solver::ChannelPriority::strict);
    if (op != solver::Request::Op::remove) {
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
        const auto cache_dir = config::root_prefix(options.root) / "pkgs" / "cache";
        const auto located =
            locate_channels(channel_texts(options.channels, options.override_channels, settings),
                            subdirs, settings);
        const int count = static_cast<int>(located.size());
        for (int i = 0; i < count; ++i) {
            const auto& channel = located[static_cast<std::size_t>(i)];
            offer.add_channel(channel.url);
            for (const auto& file : channel.files) {
                const PhaseClock clock;
                const auto load = db.add_repodata(channel.url + "/" + file.subdir, count - i,
                                                  file.repodata, file.source, cache_dir);
                timings.note(
                    fmt::format(
                        "load {}/{}: {} records, {}{}", channel.url, file.subdir, load.records,
                        load.from_cache ? "from the binary cache"
                                        : (load.cache_written ? "parsed, cache written" : "parsed"),
                        load.cache_note.empty() || load.from_cache
                            ? std::string{}
                            : " (cache: " + load.cache_note + ")"),
                    clock);
            }
        }
        // What `torch=cu121` can be solved with: the few names the variant rules mention.
        for (const auto& name : offer.names()) {
            offer.add(db.records_named(name));
        }
    }

    VariantPlan variants;
    if (op != solver::Request::Op::remove) {
        try {
            variants = plan_variants(options.specs, offer, detected, detect);
        } catch (const solver::VariantError& e) {
            return report_variant_error(e, options.json, options.dry_run, prefix.string());
        }
        request.specs = variants.specs();
    } else {
        variants.expansions = solver::expand_aliases(options.specs);
        request.specs = variants.specs();
    }
    if (!options.json) {
        print_plan_notes(variants);
    }

    solver::Solution solution;
    try {
        // Noted however the solve ends (an unsolvable request takes time too).
        const struct SolveTiming {
            const Timings& timings;
            PhaseClock clock;
            ~SolveTiming() { timings.note("solve", clock); }
        } solve_timing{timings, {}};
        solution = solve_with_variants(db, request, variants);
    } catch (const solver::UnsolvableError& e) {
        if (options.json) {
            nlohmann::json out = {{"success", false},
                                  {"dry_run", options.dry_run},
                                  {"prefix", prefix.string()},
                                  {"error", e.what()},
                                  {"solver_problems", e.problems()},
                                  {"problem_tree", problem_tree_json(e)}};
            add_json(out, variants);
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
                                  {"packages_not_found", e.specs()},
                                  {"channels_searched", e.searched()},
                                  {"suggestions", e.suggestions()},
                                  {"hint", e.hint()}};
            add_json(out, variants);
            std::cout << out.dump(2) << '\n';
        }
        throw;
    }

    const auto notes = choice_notes(variants, solution, offer);
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
        add_json(out, variants);
        out["variant_notes"] = notes;
        std::cout << out.dump(2) << '\n';
    } else {
        print_plan(prefix, solution);
        for (const auto& note : notes) {
            std::cerr << "note: " << note << '\n';
        }
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

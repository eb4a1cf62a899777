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
#include "cli/env_execute.hpp"
#include "cli/env_target.hpp"
#include "cli/table.hpp"
#include "cli/timings.hpp"
#include "cli/transaction_plan.hpp"
#include "cli/variant_report.hpp"
#include "config/env_location.hpp"
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

}  // namespace

void add_env_options(CLI::App& cmd, EnvOptions& options, bool with_channels) {
    cmd.add_option("specs", options.specs, "Package specs (conda match-spec syntax)");
    auto* name = cmd.add_option("-n,--name", options.name, "Environment name (under <root>/envs)");
    cmd.add_option("-p,--prefix", options.prefix, "Environment path")->excludes(name);
    cmd.add_option("-r,--root-prefix", options.root,
                   "Root prefix (default: $CENV_ROOT_PREFIX or ~/.cenv); its .condarc is read");
    cmd.add_flag("--dry-run", options.dry_run, "Solve and show the plan; change nothing");
    cmd.add_flag("--json", options.json, "Print the result as JSON (micromamba's layout)");
    cmd.add_flag("-y,--yes", options.yes,
                 "Do not ask for confirmation (cenv asks only when stdin is a terminal)");
    cmd.add_flag("--offline", options.offline,
                 "Use no network: cached channel indexes and local channels only");
    cmd.add_flag("-v,--verbose", options.verbose,
                 "Say where each channel index came from (which mirror, cache, 304)");
    if (with_channels) {
        cmd.add_option("-c,--channel", options.channels,
                       "Channel: a folder, file:// URL or name (repeatable, in priority order; "
                       "before the configured channels)")
            ->allow_extra_args(false);
        cmd.add_flag("--override-channels", options.override_channels,
                     "Use only the channels given with -c, not the configured ones");
        cmd.add_flag("--mirror-only", options.mirror_only,
                     "Never fall back to a channel's own URL when it has mirrors");
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
        cmd.add_option("--safety-checks", options.safety_checks,
                       "A path installed by two packages: warn (the later package wins), "
                       "enabled (an error) or disabled (default: the safety_checks setting, "
                       "warn)")
            ->check(CLI::IsMember({"warn", "enabled", "disabled"}));
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
    if (options.mirror_only) {
        load.overrides.push_back({"mirror_only", "true", "--mirror-only"});
    }
    const config::Settings settings = config::Settings::load(load);
    const EnvOptions located_options = with_project(options);
    const std::filesystem::path prefix = target_prefix(located_options.name, located_options.prefix,
                                                       settings, config::root_prefix(options.root));
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

    // The environment is locked (and an interrupted transaction in it finished or undone)
    // before its records are read; create checks that it may use the folder.
    std::optional<install::PrefixLock> lock = lock_prefix_if_present(prefix);
    if (create) {
        check_create_target(prefix, options.force);
    }

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

    std::vector<channels::LocatedChannel> located;
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
        located =
            locate_channels(channel_texts(options.channels, options.override_channels, settings),
                            subdirs, settings, {options.root, options.verbose});
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
            out["repodata"] = fetch_report_json(located);
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
            out["repodata"] = fetch_report_json(located);
            std::cout << out.dump(2) << '\n';
        }
        throw;
    }

    const auto notes = choice_notes(variants, solution, offer);
    const install::PackageCache cache = package_cache(settings, config::root_prefix(options.root));
    const std::set<std::string> cached = cached_dists(cache, solution.link);
    if (options.json && options.dry_run) {
        nlohmann::json out = {{"success", true},
                              {"dry_run", true},
                              {"prefix", prefix.string()},
                              {"actions", actions_json(prefix, solution, cached)}};
        add_json(out, variants);
        out["repodata"] = fetch_report_json(located);
        out["variant_notes"] = notes;
        std::cout << out.dump(2) << '\n';
    } else if (!options.json) {
        print_plan(prefix, solution, cached);
        for (const auto& note : notes) {
            std::cerr << "note: " << note << '\n';
        }
    }
    if (options.dry_run) {
        return 0;
    }
    if (!create && solution.link.empty() && solution.unlink.empty()) {
        if (options.json) {
            std::cout << nlohmann::json{{"success", true},
                                        {"dry_run", false},
                                        {"prefix", prefix.string()},
                                        {"actions", actions_json(prefix, solution, cached)}}
                             .dump(2)
                      << '\n';
        }
        return 0;
    }
    PlannedTransaction planned;
    planned.prefix = prefix;
    planned.solution = std::move(solution);
    planned.specs = request.specs;
    planned.create = create;
    planned.remove = op == solver::Request::Op::remove;
    return execute_transaction(options, settings, planned, lock);
}

}  // namespace cenv::cli

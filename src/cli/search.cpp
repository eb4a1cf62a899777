// `cenv search SPEC... -c CHANNEL`: the records of channels that match conda specs, newest
// first, as a table, as detailed blocks (--info) or as micromamba-style JSON (--json).

#include <ctime>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "channels/channel_index.hpp"
#include "channels/record_search.hpp"
#include "cli/channel_args.hpp"
#include "cli/commands.hpp"
#include "cli/table.hpp"
#include "specs/error.hpp"
#include "specs/match_spec.hpp"
#include "specs/platform.hpp"
#include "specs/record_json.hpp"
#include "util/redact.hpp"

namespace cenv::cli {

namespace {

struct SearchOptions {
    std::vector<std::string> specs;
    std::vector<std::string> channels;
    std::string platform;
    std::string root;
    bool override_channels = false;
    bool offline = false;
    bool mirror_only = false;
    bool verbose = false;
    bool json = false;
    bool info = false;
};

std::string format_timestamp(std::uint64_t milliseconds) {
    const auto seconds = static_cast<std::time_t>(milliseconds / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S UTC", &utc);
    return buffer;
}

std::string render_info(const specs::PackageRecord& r) {
    std::string out;
    const std::string title = fmt::format("{} {} {}", r.name, r.version, r.build);
    out += title + '\n' + std::string(title.size(), '-') + '\n';
    const auto field = [&out](std::string_view key, const std::string& value) {
        if (!value.empty()) {
            out += fmt::format("{:<14}: {}\n", key, value);
        }
    };
    field("file name", r.fn);
    field("name", r.name);
    field("version", r.version);
    field("build", r.build);
    field("build number", std::to_string(r.build_number));
    field("size", r.size != 0 ? format_bytes(r.size) : std::string{});
    field("license", r.license);
    field("subdir", r.subdir);
    field("noarch", std::string(specs::to_string(r.noarch)));
    field("url", r.url);
    field("md5", r.md5);
    field("sha256", r.sha256);
    field("timestamp", r.timestamp != 0 ? format_timestamp(r.timestamp) : std::string{});
    if (!r.track_features.empty()) {
        field("track_features", fmt::format("{}", fmt::join(r.track_features, " ")));
    }
    const auto list = [&out](std::string_view key, const std::vector<std::string>& items) {
        if (items.empty()) {
            return;
        }
        out += fmt::format("{}:\n", key);
        for (const auto& item : items) {
            out += fmt::format("  - {}\n", item);
        }
    };
    list("dependencies", r.depends);
    list("constraints", r.constrains);
    return out;
}

int run_search(const SearchOptions& options) {
    std::vector<specs::MatchSpec> specs;
    specs.reserve(options.specs.size());
    for (const auto& text : options.specs) {
        specs.push_back(specs::MatchSpec::parse(text));
    }
    const std::string platform =
        options.platform.empty() ? std::string(specs::build_subdir()) : options.platform;
    if (!specs::is_known_subdir(platform)) {
        throw specs::ParseError(fmt::format("unknown platform '{}'", platform),
                                "use a conda subdir such as linux-64, linux-aarch64, osx-arm64 "
                                "or win-64");
    }
    std::vector<std::string> subdirs{platform};
    if (platform != "noarch") {
        subdirs.emplace_back("noarch");
    }
    config::LoadOptions load;
    load.root = options.root;
    if (options.offline) {
        load.overrides.push_back({"offline", "true", "--offline"});
    }
    if (options.mirror_only) {
        load.overrides.push_back({"mirror_only", "true", "--mirror-only"});
    }
    const auto settings = config::Settings::load(load);
    const auto channel_list = channel_texts(options.channels, options.override_channels, settings);
    const auto located =
        locate_channels(channel_list, subdirs, settings, {options.root, options.verbose});
    const auto indexes = load_channels(located);
    const auto found = channels::find_records(indexes, specs);

    if (options.json) {
        nlohmann::json pkgs = nlohmann::json::array();
        for (const auto* record : found) {
            pkgs.push_back(specs::record_to_json(*record));
        }
        std::vector<std::string> queries;
        for (const auto& spec : specs) {
            queries.push_back(spec.str());
        }
        nlohmann::json out = {
            {"query", {{"query", fmt::format("{}", fmt::join(queries, " "))}, {"type", "search"}}},
            {"result",
             {{"msg", found.empty() ? "no package matches the query" : ""},
              {"pkgs", std::move(pkgs)},
              {"status", "OK"}}},
            {"repodata", fetch_report_json(located)}};
        std::cout << out.dump(2) << '\n';
        return found.empty() ? 1 : 0;
    }
    if (found.empty()) {
        std::vector<std::string> queries;
        for (const auto& spec : specs) {
            queries.push_back(spec.str());
        }
        std::cerr << fmt::format("error: no package matches '{}' in {} ({})\n",
                                 fmt::join(queries, "' or '"),
                                 util::redact_url(fmt::format("{}", fmt::join(channel_list, ", "))),
                                 fmt::join(subdirs, ", "))
                  << "hint: check the spelling, or search with a glob: cenv search '*name*'\n";
        return 1;
    }
    if (options.info) {
        for (std::size_t i = 0; i < found.size(); ++i) {
            std::cout << (i == 0 ? "" : "\n") << render_info(*found[i]);
        }
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    rows.reserve(found.size());
    for (const auto* r : found) {
        rows.push_back({r->name, r->version, r->build, r->channel, r->subdir});
    }
    std::cout << render_table({"Name", "Version", "Build", "Channel", "Subdir"}, rows);
    return 0;
}

}  // namespace

void add_search_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<SearchOptions>();
    auto* cmd = app.add_subcommand("search", "Find packages in channels by conda spec");
    cmd->footer(
        "Examples:\n"
        "  cenv search pytorch -c ./pytorch                 every pytorch build, newest first\n"
        "  cenv search 'pytorch=2.1=*cuda12.1*' -c ./pytorch  CUDA 12.1 builds of 2.1\n"
        "  cenv search '*torch*' -c file:///srv/chan          names that contain 'torch'\n"
        "  cenv search 'numpy>=1.20,<2' -c ./chan --info      details of each record\n"
        "  cenv search numpy -c conda-forge -v               which mirror served the index\n"
        "  cenv search numpy -c https://host/chan --offline  only what is cached\n"
        "\n"
        "Specs use conda's match-spec syntax: name, name=1.2 (1.2.*), name==1.2, "
        "name>=1.2,<2,\n"
        "name=1.2=build, channel::name, name[build=*cuda*]. Quote specs that hold <, > or *.\n"
        "\n"
        "Channels are local folders or file:// URLs holding <subdir>/repodata.json, or names\n"
        "and URLs resolved with your settings (cenv config list); without -c the configured\n"
        "channels are searched. Remote indexes are cached in <root>/pkgs/cache and fetched\n"
        "from the configured mirrors first (cenv config get mirrors).");
    cmd->add_option("specs", options->specs, "Package specs (conda match-spec syntax)")->required();
    cmd->add_option("-c,--channel", options->channels,
                    "Channel to search: a folder, file:// URL or name (repeatable, in priority "
                    "order; before the configured channels)")
        ->allow_extra_args(false);
    cmd->add_flag("--override-channels", options->override_channels,
                  "Search only the channels given with -c, not the configured ones");
    cmd->add_option("--platform", options->platform,
                    "Subdir to search besides noarch (default: this machine's, e.g. linux-64)");
    cmd->add_option(
        "-r,--root-prefix", options->root,
        "Root prefix (default: $CENV_ROOT_PREFIX or ~/.cenv): where indexes are cached");
    cmd->add_flag("--offline", options->offline,
                  "Use no network: cached indexes and local channels");
    cmd->add_flag("--mirror-only", options->mirror_only,
                  "Never fall back to a channel's own URL when it has mirrors");
    cmd->add_flag("-v,--verbose", options->verbose,
                  "Say where each channel index came from (which mirror, cache, 304)");
    cmd->add_flag("--json", options->json, "Print the result as JSON (micromamba's layout)");
    cmd->add_flag("--info", options->info, "Print every field of each matching record");
    cmd->callback([options, &action] { action = [options] { return run_search(*options); }; });
}

}  // namespace cenv::cli

// `cenv list [-n NAME|-p PREFIX] [REGEX]`: the packages of an environment, conda's and those
// pip (or another installer) put into its site-packages (channel `pypi`), as a table,
// micromamba's JSON (--json) or an explicit file (--explicit [--md5|--sha256]).

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/env_target.hpp"
#include "cli/table.hpp"
#include "config/settings.hpp"
#include "install/environment_export.hpp"
#include "install/prefix_listing.hpp"
#include "specs/prefix_record.hpp"
#include "specs/spec_file.hpp"
#include "util/error.hpp"
#include "util/regex.hpp"

namespace cenv::cli {

namespace {

struct ListOptions {
    std::string name;
    std::string prefix;
    std::string root;
    std::string regex;
    bool json = false;
    bool explicit_file = false;
    bool md5 = false;
    bool sha256 = false;
    bool no_pip = false;
};

/// A case-insensitive search for `text` (conda's `list REGEX`); matches everything when empty.
class NameFilter {
  public:
    explicit NameFilter(const std::string& text) : empty_(text.empty()) {
        if (empty_) {
            return;
        }
        try {
            regex_ = std::regex(text, std::regex::ECMAScript | std::regex::icase);
        } catch (const std::regex_error& e) {
            throw util::Error(fmt::format("'{}' is not a regular expression: {}", text, e.what()),
                              "list names matching a pattern, e.g. cenv list '^py' or "
                              "cenv list 'torch|cuda'");
        }
    }
    [[nodiscard]] bool matches(const std::string& name) const {
        return empty_ || std::regex_search(name, regex_);
    }

  private:
    bool empty_;
    std::regex regex_;
};

int print_explicit(const std::filesystem::path& prefix, const ListOptions& options,
                   const NameFilter& filter, std::size_t pip_packages) {
    std::vector<specs::PackageRecord> records;
    const auto all = specs::load_prefix_records(prefix);
    for (const auto& record : all) {
        if (!filter.matches(record.name)) {
            continue;
        }
        if (record.url.empty()) {
            std::cerr << fmt::format("warning: {} has no URL in its record; left out\n",
                                     record.dist_str());
            continue;
        }
        records.push_back(record);
    }
    const auto hash = options.sha256 ? specs::ExplicitHash::sha256
                      : options.md5  ? specs::ExplicitHash::md5
                                     : specs::ExplicitHash::none;
    std::cout << specs::explicit_file_text(std::move(records), install::prefix_platform(all), hash);
    if (pip_packages > 0) {
        std::cerr << fmt::format(
            "note: {} package{} installed with pip {} not in the explicit file (it holds conda "
            "packages only); cenv env export writes them in its pip section\n",
            pip_packages, pip_packages == 1 ? "" : "s", pip_packages == 1 ? "is" : "are");
    }
    return 0;
}

int run_list(const ListOptions& options) {
    const auto root = config::root_prefix(options.root);
    config::LoadOptions load;
    load.root = options.root;
    const auto settings = config::Settings::load(load);
    const auto prefix = existing_environment(options.name, options.prefix, settings, root);
    const NameFilter filter(options.regex);

    install::PrefixListing listing = install::list_prefix(prefix);
    for (const auto& problem : listing.problems) {
        std::cerr << fmt::format("warning: {}: {}; not listed\n", (prefix / problem.path).string(),
                                 problem.reason);
    }
    std::vector<install::ListedPackage> shown;
    std::size_t pip_packages = 0;
    for (auto& package : listing.packages) {
        pip_packages += package.pypi ? 1 : 0;
        if (filter.matches(package.name) && !(package.pypi && options.no_pip)) {
            shown.push_back(std::move(package));
        }
    }
    if (options.explicit_file) {
        return print_explicit(prefix, options, filter, options.no_pip ? 0 : pip_packages);
    }
    if (options.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& p : shown) {
            out.push_back({{"base_url", p.base_url},
                           {"build_number", p.build_number},
                           {"build_string", p.build},
                           {"channel", p.channel},
                           {"dist_name", p.name + "-" + p.version + "-" + p.build},
                           {"name", p.name},
                           {"platform", p.platform},
                           {"version", p.version}});
        }
        std::cout << out.dump(2) << '\n';
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    rows.reserve(shown.size());
    for (const auto& p : shown) {
        rows.push_back({p.name, p.version, p.build, p.channel});
    }
    std::cout << fmt::format("Packages in environment {}:\n\n", prefix.string())
              << render_table({"Name", "Version", "Build", "Channel"}, rows);
    return 0;
}

}  // namespace

void add_list_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<ListOptions>();
    auto* cmd = app.add_subcommand("list", "List the packages of an environment");
    cmd->footer(
        "Packages that pip (or uv, ...) installed are listed too, with channel 'pypi' and\n"
        "build 'pypi_0', as conda lists them.\n"
        "\n"
        "Examples:\n"
        "  cenv list -n comfy                      every package, as a table\n"
        "  cenv list -n comfy 'torch|cuda'         names matching a pattern (case-insensitive)\n"
        "  cenv list -n comfy --json               micromamba's JSON, for scripts\n"
        "  cenv list -n comfy --explicit --md5 > comfy.txt\n"
        "                                          an explicit file: cenv create -n copy --file "
        "comfy.txt\n"
        "                                          makes the same environment without a solve\n"
        "\n"
        "Without -n or -p, the active environment ($CONDA_PREFIX) is listed.");
    cmd->add_option("regex", options->regex, "List only names matching this regular expression");
    auto* name = cmd->add_option("-n,--name", options->name, "Environment name");
    cmd->add_option("-p,--prefix", options->prefix, "Environment path")->excludes(name);
    cmd->add_option("-r,--root-prefix", options->root,
                    "Root prefix (default: $CENV_ROOT_PREFIX or ~/.cenv)");
    auto* json = cmd->add_flag("--json", options->json, "Print JSON (micromamba's layout)");
    auto* explicit_file = cmd->add_flag(
        "--explicit", options->explicit_file,
        "Print an explicit file (the package URLs, dependencies first) to recreate the "
        "environment exactly");
    explicit_file->excludes(json);
    auto* md5 =
        cmd->add_flag("--md5", options->md5, "With --explicit: add each package's md5 (#<md5>)");
    md5->needs(explicit_file);
    cmd->add_flag("--sha256", options->sha256,
                  "With --explicit: add each package's sha256 (#sha256:<hex>)")
        ->needs(explicit_file)
        ->excludes(md5);
    cmd->add_flag("--no-pip", options->no_pip, "Leave out what pip installed");
    cmd->callback([options, &action] { action = [options] { return run_list(*options); }; });
}

}  // namespace cenv::cli

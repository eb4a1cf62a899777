// `cenv clean`: remove downloaded archives, extracted packages, lock files and leftovers of
// interrupted extractions from the package cache, reporting the space freed.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/table.hpp"
#include "config/settings.hpp"
#include "install/cache_contents.hpp"
#include "install/error.hpp"
#include "install/package_cache.hpp"

namespace cenv::cli {

namespace {

struct CleanOptions {
    std::string root;
    bool all = false;
    bool tarballs = false;
    bool pkgs = false;
    bool locks = false;
    bool dry_run = false;
    bool json = false;
};

std::vector<install::CacheItemKind> kinds_of(const CleanOptions& options) {
    using install::CacheItemKind;
    std::vector<CacheItemKind> kinds;
    if (options.all || options.tarballs) {
        kinds.push_back(CacheItemKind::tarball);
    }
    if (options.all || options.pkgs) {
        kinds.push_back(CacheItemKind::extracted);
    }
    if (options.all || options.locks) {
        kinds.push_back(CacheItemKind::lock);
        kinds.push_back(CacheItemKind::partial);
    }
    return kinds;
}

nlohmann::json items_json(const std::vector<install::CacheItem>& items) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : items) {
        out.push_back({{"path", item.path.string()},
                       {"kind", std::string(install::to_string(item.kind))},
                       {"bytes", item.bytes}});
    }
    return out;
}

int run_clean(const CleanOptions& options) {
    const auto kinds = kinds_of(options);
    if (kinds.empty()) {
        throw install::InstallError("nothing to clean: no kind of cache item was chosen",
                                    "add --all, --tarballs, --pkgs or --locks (see cenv clean "
                                    "--help)");
    }
    const auto cache = install::PackageCache::at_root(config::root_prefix(options.root));
    const auto report = install::clean_cache(cache.dirs(), kinds, options.dry_run);
    if (options.json) {
        nlohmann::json pkgs_dirs = nlohmann::json::array();
        for (const auto& dir : cache.dirs()) {
            pkgs_dirs.push_back(dir.string());
        }
        const nlohmann::json out = {{"dry_run", options.dry_run},
                                    {"pkgs_dirs", pkgs_dirs},
                                    {"removed", items_json(report.removed)},
                                    {"busy", items_json(report.busy)},
                                    {"bytes_freed", report.bytes_freed},
                                    {"success", true}};
        std::cout << out.dump(2) << '\n';
        return 0;
    }
    const char* verb = options.dry_run ? "would remove" : "removed";
    for (const auto& item : report.removed) {
        std::cout << fmt::format("{} {:<9} {:>10}  {}\n", verb, install::to_string(item.kind),
                                 format_bytes(item.bytes), item.path.string());
    }
    for (const auto& item : report.busy) {
        std::cout << fmt::format("skipped (in use by another cenv) {}\n", item.path.string());
    }
    const std::string count =
        fmt::format("{} item{}", report.removed.size(), report.removed.size() == 1 ? "" : "s");
    if (options.dry_run) {
        std::cout << fmt::format("Would remove {}, freeing {} (dry run: nothing was removed)\n",
                                 count, format_bytes(report.bytes_freed));
    } else {
        std::cout << fmt::format("Removed {}, freed {}\n", count, format_bytes(report.bytes_freed));
    }
    return 0;
}

}  // namespace

void add_clean_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<CleanOptions>();
    auto* cmd = app.add_subcommand("clean",
                                   "Remove archives and extracted packages from the "
                                   "package cache (<root>/pkgs)");
    cmd->footer(
        "A package another cenv process is working on (its lock is held) is skipped.\n"
        "Environments are not checked yet: --pkgs may remove trees an environment was\n"
        "linked from (the environment keeps working; hard links keep the files).\n\n"
        "Examples:\n  cenv clean --all --dry-run\n  cenv clean --tarballs --json");
    cmd->add_option("-r,--root-prefix", options->root,
                    "Root prefix (default: $CENV_ROOT_PREFIX or ~/.cenv)");
    cmd->add_flag("-a,--all", options->all,
                  "Remove archives, extracted trees, free locks and leftovers");
    cmd->add_flag("-t,--tarballs", options->tarballs, "Remove downloaded .conda/.tar.bz2 archives");
    cmd->add_flag("-p,--pkgs", options->pkgs, "Remove extracted package trees");
    cmd->add_flag("-l,--locks", options->locks,
                  "Remove free lock files and leftovers of interrupted extractions");
    cmd->add_flag("-d,--dry-run", options->dry_run, "Only say what would be removed");
    cmd->add_flag("--json", options->json, "Print JSON");
    cmd->callback([options, &action] { action = [options] { return run_clean(*options); }; });
}

}  // namespace cenv::cli

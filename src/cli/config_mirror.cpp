// `cenv config mirror list|use|off`: the domestic mirror presets (TUNA, Aliyun, USTC, BFSU,
// SJTUG, NJU, SUSTech), and writing their `mirrors:` (and pip settings) to ~/.cenvrc.

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/table.hpp"
#include "config/mirror_setup.hpp"
#include "config/rc_edit.hpp"
#include "config/settings.hpp"

namespace cenv::cli {

namespace {

struct MirrorOptions {
    std::vector<std::string> names;
    std::string file;
    bool pip = false;
    bool json = false;
};

std::filesystem::path target_file(const MirrorOptions& options) {
    return options.file.empty() ? config::user_rc_file() : std::filesystem::path(options.file);
}

int run_list(const MirrorOptions& options) {
    const auto settings = config::Settings::load();
    const auto used = config::presets_in_use(settings.get("mirrors").value);
    const auto in_use = [&](const config::MirrorPreset& p) {
        return std::find(used.begin(), used.end(), &p) != used.end();
    };
    if (options.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& p : config::mirror_presets()) {
            out.push_back({{"name", p.name},
                           {"title", p.title},
                           {"endpoint", p.endpoint},
                           {"pkgs", p.pkgs},
                           {"cloud", p.cloud},
                           {"pypi", p.pypi},
                           {"note", p.note},
                           {"in_use", in_use(p)}});
        }
        std::cout << out.dump(2) << '\n';
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : config::mirror_presets()) {
        std::vector<std::string> channels;
        if (!p.pkgs.empty()) {
            channels.push_back(fmt::format("defaults ({})", fmt::join(p.pkgs, ", ")));
        }
        channels.insert(channels.end(), p.cloud.begin(), p.cloud.end());
        std::string shown = fmt::format("{}", fmt::join(channels, ", "));
        if (shown.size() > 60) {
            shown = shown.substr(0, 57) + "...";
        }
        rows.push_back(
            {(in_use(p) ? "* " : "  ") + p.name, p.title, shown, p.pypi.empty() ? "-" : p.pypi});
    }
    std::cout << render_table({"Preset", "Provider", "Channels", "PyPI"}, rows);
    std::cout << "\n* in use. Channels a preset lacks (nvidia, labels) go to their own URL.\n"
                 "Use one: cenv config mirror use tuna --pip   (several: use tuna sustech)\n";
    return 0;
}

int run_use(const MirrorOptions& options) {
    std::vector<const config::MirrorPreset*> presets;
    for (const auto& name : options.names) {
        presets.push_back(&config::find_mirror_preset(name));
    }
    const auto file = target_file(options);
    config::update_rc_file(file, [&](std::string_view text, const std::string& source) {
        return config::use_mirror_presets(text, source, presets, options.pip);
    });
    std::size_t channels = config::mirrors_value(presets).map.size();
    std::vector<std::string> names;
    for (const auto* p : presets) {
        names.push_back(p->name);
    }
    std::cout << fmt::format("{}: mirrors of {} channels through {}", file.string(), channels,
                             fmt::join(names, ", "));
    if (options.pip) {
        const auto it = std::find_if(presets.begin(), presets.end(),
                                     [](const auto* p) { return !p->pypi.empty(); });
        std::cout << fmt::format("; pip index {}", (*it)->pypi);
    }
    std::cout << ".\nChannels these mirrors lack go to their own URL; see: cenv config get "
                 "mirrors\n";
    return 0;
}

int run_off(const MirrorOptions& options) {
    const auto file = target_file(options);
    config::update_rc_file(file, [&](std::string_view text, const std::string& source) {
        return config::mirrors_off(text, source, options.pip);
    });
    std::cout << fmt::format("{}: mirrors removed{}.\n", file.string(),
                             options.pip ? " (and the pip index)" : "");
    return 0;
}

}  // namespace

void add_config_mirror_commands(CLI::App& config, Action& action) {
    auto* mirror = config.add_subcommand(
        "mirror", "Domestic mirror presets: list them, use one or several, turn them off");
    mirror->require_subcommand(1);
    mirror->footer(
        "Examples:\n"
        "  cenv config mirror list\n"
        "  cenv config mirror use tuna --pip      Tsinghua for conda and pip\n"
        "  cenv config mirror use tuna sustech    Tsinghua, plus SUSTech for nvidia\n"
        "  cenv config mirror use aliyun tuna     Aliyun first, Tsinghua where Aliyun fails\n"
        "  cenv config mirror off --pip");

    auto list_options = std::make_shared<MirrorOptions>();
    auto* list = mirror->add_subcommand("list", "List the presets and what each mirrors");
    list->add_flag("--json", list_options->json, "Print as JSON");
    list->callback(
        [list_options, &action] { action = [list_options] { return run_list(*list_options); }; });

    auto use_options = std::make_shared<MirrorOptions>();
    auto* use = mirror->add_subcommand(
        "use", "Send channels to these presets' mirrors, in the order given (writes ~/.cenvrc)");
    use->footer(
        "Examples:\n  cenv config mirror use tuna --pip\n  cenv config mirror use bfsu "
        "tuna sustech");
    use->add_option("names", use_options->names, "Preset names (cenv config mirror list)")
        ->required();
    use->add_flag("--pip", use_options->pip,
                  "Also set pip_index_url and pip_trusted_host to the first preset's PyPI mirror");
    use->add_option("--file", use_options->file, "Settings file to edit (default: ~/.cenvrc)");
    use->callback(
        [use_options, &action] { action = [use_options] { return run_use(*use_options); }; });

    auto off_options = std::make_shared<MirrorOptions>();
    auto* off = mirror->add_subcommand("off", "Remove 'mirrors:' from ~/.cenvrc");
    off->add_flag("--pip", off_options->pip, "Also remove pip_index_url and pip_trusted_host");
    off->add_option("--file", off_options->file, "Settings file to edit (default: ~/.cenvrc)");
    off->callback(
        [off_options, &action] { action = [off_options] { return run_off(*off_options); }; });
}

}  // namespace cenv::cli

// `cenv mirror test [PRESET|URL...]`: how fast each domestic mirror answers from here
// (time to the first byte, then throughput over a small file), best first; with --use, the
// ones that answered become the configured mirrors in that order.

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "channels/downloader.hpp"
#include "channels/mirror_probe.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/table.hpp"
#include "config/mirror_setup.hpp"
#include "config/rc_edit.hpp"
#include "config/settings.hpp"

namespace cenv::cli {

namespace {

struct MirrorTestOptions {
    std::vector<std::string> names;
    double timeout = 5;
    std::uint64_t bytes = 256 * 1024;
    bool json = false;
    bool use = false;
    std::string file;
};

std::string result_text(const channels::ProbeResult& r) {
    return r.ok ? "ok" : r.error;
}

// `tuna bfsu` (with `separator` between them).
std::string preset_names(const std::vector<const config::MirrorPreset*>& presets,
                         std::string_view separator) {
    std::string out;
    for (const auto* p : presets) {
        out += (out.empty() ? "" : std::string(separator)) + p->name;
    }
    return out;
}

int run_mirror_test(const MirrorTestOptions& options) {
    if (options.timeout <= 0) {
        throw util::Error(fmt::format("--timeout must be more than 0 (got {})", options.timeout),
                          "give seconds, e.g. --timeout 5");
    }
    std::vector<const config::MirrorPreset*> presets;
    std::vector<channels::ProbeTarget> urls;
    if (options.names.empty()) {
        for (const auto& preset : config::mirror_presets()) {
            presets.push_back(&preset);
        }
    }
    for (const auto& name : options.names) {
        if (name.find("://") != std::string::npos) {
            urls.push_back({name, name, options.bytes});
        } else {
            presets.push_back(&config::find_mirror_preset(name));
        }
    }
    if (options.use && !urls.empty()) {
        throw util::Error("--use takes preset names only, not URLs",
                          "name presets (cenv config mirror list), or add URLs to mirrors: "
                          "yourself (cenv config set)");
    }
    auto targets = channels::probe_targets(presets);
    for (auto& t : targets) {
        t.max_bytes = options.bytes;
    }
    targets.insert(targets.end(), urls.begin(), urls.end());

    const auto settings = config::Settings::load();
    channels::Downloader downloader(settings.remote());
    const bool terminal = StderrProgress::stderr_is_terminal();
    std::size_t done = 0;
    const auto results = channels::probe_mirrors(
        targets,
        [&](const channels::ProbeTarget& target, double timeout) {
            if (terminal) {
                std::cerr << fmt::format("\r\x1b[2Ktesting {} ({}/{})...", target.name, ++done,
                                         targets.size())
                          << std::flush;
            }
            return downloader.probe(target, timeout);
        },
        options.timeout);
    if (terminal) {
        std::cerr << "\r\x1b[2K" << std::flush;
    }

    std::vector<const config::MirrorPreset*> answered;
    for (const auto& r : results) {
        if (r.ok && r.name.find("://") == std::string::npos) {
            answered.push_back(&config::find_mirror_preset(r.name));
        }
    }
    const bool any_ok = std::any_of(results.begin(), results.end(),
                                    [](const channels::ProbeResult& r) { return r.ok; });
    if (options.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& r : results) {
            out.push_back({{"name", r.name},
                           {"url", r.url},
                           {"ok", r.ok},
                           {"first_byte_secs", r.first_byte_secs},
                           {"total_secs", r.total_secs},
                           {"bytes", r.bytes},
                           {"bytes_per_second", r.bytes_per_second()},
                           {"error", r.error}});
        }
        std::cout << out.dump(2) << '\n';
    } else {
        std::vector<std::vector<std::string>> rows;
        for (std::size_t i = 0; i < results.size(); ++i) {
            const auto& r = results[i];
            rows.push_back(
                {r.ok ? std::to_string(i + 1) : "-", r.name,
                 r.ok ? fmt::format("{:.0f} ms", r.first_byte_secs * 1000) : "-",
                 r.ok ? format_bytes(static_cast<std::uint64_t>(r.bytes_per_second())) + "/s" : "-",
                 result_text(r)});
        }
        std::cout << render_table({"#", "Mirror", "First byte", "Speed", "Result"}, rows);
        std::cout << fmt::format(
            "\nEach mirror was asked for up to {} of a small index file, {} s at most.\n",
            format_bytes(options.bytes), options.timeout);
        if (!options.use && !answered.empty()) {
            std::cout << fmt::format("Use them in this order: cenv config mirror use {}\n",
                                     preset_names(answered, " "));
        }
    }
    if (!any_ok) {
        std::cerr << "error: no mirror answered\n"
                  << "hint: check the network and proxy settings (proxy_servers, https_proxy), "
                     "or try a longer --timeout\n";
        return 1;
    }
    if (options.use) {
        if (answered.empty()) {
            throw util::Error("no preset answered: mirrors left as they were",
                              "try a longer --timeout, or other presets");
        }
        const auto file =
            options.file.empty() ? config::user_rc_file() : std::filesystem::path(options.file);
        config::update_rc_file(file, [&](std::string_view text, const std::string& source) {
            return config::use_mirror_presets(text, source, answered, false);
        });
        (options.json ? std::cerr : std::cout) << fmt::format(
            "{}: mirrors now {} (fastest first)\n", file.string(), preset_names(answered, ", "));
    }
    return 0;
}

}  // namespace

void add_mirror_command(CLI::App& app, Action& action) {
    auto* mirror = app.add_subcommand("mirror", "Measure the domestic mirrors from here");
    mirror->require_subcommand(1);
    auto options = std::make_shared<MirrorTestOptions>();
    auto* test = mirror->add_subcommand(
        "test", "Time each mirror (first byte, then speed) on a small file, best first");
    test->footer(
        "Examples:\n"
        "  cenv mirror test                       every preset (cenv config mirror list)\n"
        "  cenv mirror test tuna bfsu aliyun      these presets only\n"
        "  cenv mirror test --use                 and use the ones that answered, fastest first\n"
        "  cenv mirror test https://my.mirror/anaconda/pkgs/main/noarch/repodata.json\n"
        "  cenv mirror test --timeout 10 --json\n"
        "\n"
        "Each mirror is asked for the first bytes (--bytes, 256 KiB) of the noarch index of a\n"
        "channel it carries, through your proxy and TLS settings. Mirrors are ranked by the\n"
        "time to the first byte (latency), near ties by speed; those that failed or took longer\n"
        "than --timeout come last with the reason. A mirror that is slow here today may be fast\n"
        "tomorrow: rerun it when downloads crawl, and see docs/en/downloads.md for stale mirrors.");
    test->add_option("mirrors", options->names,
                     "Presets (tuna, bfsu, ustc, sjtug, nju, aliyun, sustech) or file URLs; "
                     "default: every preset");
    test->add_option("--timeout", options->timeout, "Seconds each mirror gets (default 5)");
    test->add_option("--bytes", options->bytes, "Bytes to fetch from each (default 262144)");
    test->add_flag("--json", options->json, "Print the results as JSON");
    test->add_flag("--use", options->use,
                   "Write the presets that answered to mirrors: in ~/.cenvrc, fastest first");
    test->add_option("--file", options->file, "Settings file for --use (default: ~/.cenvrc)");
    test->callback(
        [options, &action] { action = [options] { return run_mirror_test(*options); }; });
}

}  // namespace cenv::cli

// `cenv config`: show the merged settings and where each came from (list, get), and edit a
// settings file (set, append, prepend, remove, remove-key; ~/.cenvrc unless --file).
// `cenv config mirror ...` lives in config_mirror.cpp.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "channels/channel_resolve.hpp"
#include "cli/channel_args.hpp"
#include "cli/commands.hpp"
#include "config/keys.hpp"
#include "config/rc_edit.hpp"
#include "config/settings.hpp"
#include "specs/platform.hpp"
#include "util/redact.hpp"

namespace cenv::cli {

namespace {

struct ConfigOptions {
    std::vector<std::string> channels;
    std::string platform;
    bool override_channels = false;
    std::string key;
    std::string value;
    std::string file;
    std::string root;
    bool sources = false;
    bool json = false;
};

std::string r(const std::string& text) {
    return util::redact_url(text);
}

std::string comment(bool sources, const config::Origin& origin) {
    return sources ? fmt::format("  # {}", origin.str()) : std::string{};
}

std::string render(const config::KeyInfo& key, const config::Setting& s, bool sources) {
    const auto& v = s.value;
    if (config::is_scalar(key.type)) {
        return fmt::format("{}: {}{}\n", key.name, r(v.scalar), comment(sources, s.origin));
    }
    if (key.type == config::KeyType::list) {
        if (v.list.empty()) {
            return fmt::format("{}: []{}\n", key.name, comment(sources, s.origin));
        }
        std::string out = fmt::format("{}:{}\n", key.name, comment(sources, s.origin));
        for (const auto& item : v.list) {
            out += fmt::format("  - {}\n", r(item));
        }
        return out;
    }
    if (v.map.empty()) {
        return fmt::format("{}: {{}}{}\n", key.name, comment(sources, s.origin));
    }
    std::string out = fmt::format("{}:\n", key.name);
    for (std::size_t i = 0; i < v.map.size(); ++i) {
        const auto& [name, items] = v.map[i];
        const std::string origin =
            i < s.entry_origins.size() ? comment(sources, s.entry_origins[i]) : std::string{};
        if (key.type == config::KeyType::string_map) {
            out += fmt::format("  {}: {}{}\n", r(name),
                               items.empty() ? std::string{} : r(items.front()), origin);
        } else {
            out += fmt::format("  {}:{}\n", r(name), origin);
            for (const auto& item : items) {
                out += fmt::format("    - {}\n", r(item));
            }
        }
    }
    return out;
}

nlohmann::json to_json(const config::KeyInfo& key, const config::Setting& s) {
    const auto& v = s.value;
    if (config::is_scalar(key.type)) {
        switch (key.type) {
            case config::KeyType::boolean:
                return v.scalar == "true";
            case config::KeyType::integer:
                return std::stoll(v.scalar);
            case config::KeyType::number:
                return std::stod(v.scalar);
            case config::KeyType::ssl:
                if (v.scalar == "true" || v.scalar == "false") {
                    return v.scalar == "true";
                }
                return r(v.scalar);
            default:
                return r(v.scalar);
        }
    }
    if (key.type == config::KeyType::list) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : v.list) {
            out.push_back(r(item));
        }
        return out;
    }
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, items] : v.map) {
        if (key.type == config::KeyType::string_map) {
            out[r(name)] = items.empty() ? std::string{} : r(items.front());
        } else {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& item : items) {
                list.push_back(r(item));
            }
            out[r(name)] = list;
        }
    }
    return out;
}

nlohmann::json sources_json(const config::KeyInfo& key, const config::Setting& s) {
    nlohmann::json out = {{"value", to_json(key, s)}, {"source", s.origin.str()}};
    if (config::is_map(key.type)) {
        nlohmann::json entries = nlohmann::json::object();
        for (std::size_t i = 0; i < s.value.map.size() && i < s.entry_origins.size(); ++i) {
            entries[r(s.value.map[i].first)] = s.entry_origins[i].str();
        }
        out["entry_sources"] = entries;
    }
    return out;
}

config::Settings load(const ConfigOptions& options) {
    config::LoadOptions load;
    load.root = options.root;
    return config::Settings::load(load);
}

int run_list(const ConfigOptions& options) {
    const auto settings = load(options);
    if (options.json) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& key : config::known_keys()) {
            const auto& s = settings.get(key.name);
            out[std::string(key.name)] = options.sources ? sources_json(key, s) : to_json(key, s);
        }
        std::cout << out.dump(2) << '\n';
        return 0;
    }
    if (options.sources) {
        std::cout << "# settings files read, lowest precedence first:";
        if (settings.files_read().empty()) {
            std::cout << " none";
        }
        std::cout << '\n';
        for (const auto& file : settings.files_read()) {
            std::cout << "#   " << file.string() << '\n';
        }
    }
    for (const auto& key : config::known_keys()) {
        std::cout << render(key, settings.get(key.name), options.sources);
    }
    return 0;
}

int run_get(const ConfigOptions& options) {
    const auto settings = load(options);
    const auto& setting = settings.get(options.key);
    const config::KeyInfo& key = *config::find_key(options.key);
    if (options.json) {
        std::cout << (options.sources ? sources_json(key, setting) : to_json(key, setting)).dump(2)
                  << '\n';
        return 0;
    }
    if (config::is_scalar(key.type)) {
        std::cout << r(setting.value.scalar) << comment(options.sources, setting.origin) << '\n';
    } else if (key.type == config::KeyType::list) {
        for (const auto& item : setting.value.list) {
            std::cout << r(item) << '\n';
        }
        if (options.sources) {
            std::cout << "# " << setting.origin.str() << '\n';
        }
    } else {
        std::cout << render(key, setting, options.sources);
    }
    return 0;
}

// Where each channel's subdir would be fetched from: its identity, then the URLs in order.
int run_channels(const ConfigOptions& options) {
    const auto settings = load(options);
    const std::string platform =
        options.platform.empty() ? std::string(specs::build_subdir()) : options.platform;
    const auto texts = channel_texts(options.channels, options.override_channels, settings);
    const auto resolved = channels::resolve_channels(texts, settings.channel_settings());
    const bool mirror_only = settings.boolean("mirror_only");
    nlohmann::json out = nlohmann::json::array();
    for (const auto& channel : resolved) {
        std::vector<std::string> subdirs;
        if (channel.platform.empty() || channel.platform == platform) {
            subdirs.push_back(platform);
        } else {
            subdirs.push_back(channel.platform);
        }
        if (subdirs.front() != "noarch") {
            subdirs.emplace_back("noarch");
        }
        nlohmann::json entry = {{"name", r(channel.name)},
                                {"channel", channel.display()},
                                {"mirrors", nlohmann::json::array()},
                                {"subdirs", nlohmann::json::object()}};
        for (const auto& mirror : channel.mirrors) {
            entry["mirrors"].push_back(r(mirror));
        }
        if (!options.json) {
            std::cout << fmt::format("{} ({})\n", channel.display(), r(channel.name));
        }
        for (const auto& subdir : subdirs) {
            const auto sources = channel.subdir_sources(subdir, mirror_only);
            nlohmann::json urls = nlohmann::json::array();
            for (const auto& url : sources.urls) {
                urls.push_back(r(url));
                if (!options.json) {
                    std::cout << fmt::format("  {:<8} {}\n", subdir, r(url));
                }
            }
            entry["subdirs"][subdir] = urls;
        }
        out.push_back(entry);
    }
    if (options.json) {
        std::cout << out.dump(2) << '\n';
    }
    return 0;
}

int run_edit(const ConfigOptions& options, config::EditOp op) {
    const std::filesystem::path file =
        options.file.empty() ? config::user_rc_file() : std::filesystem::path(options.file);
    config::edit_rc_file(file, {op, options.key, options.value});
    std::cerr << fmt::format("{}: updated '{}'\n", file.string(), options.key);
    return 0;
}

void add_edit(CLI::App& config, Action& action, const char* name, const char* description,
              config::EditOp op, bool with_value, const char* example) {
    auto options = std::make_shared<ConfigOptions>();
    auto* cmd = config.add_subcommand(name, description);
    cmd->footer(example);
    cmd->add_option("key", options->key, "Setting (a map entry as MAP.ENTRY)")->required();
    if (with_value) {
        cmd->add_option("value", options->value, "Value")->required();
    }
    cmd->add_option("--file", options->file, "Settings file to edit (default: ~/.cenvrc)");
    cmd->callback(
        [options, &action, op] { action = [options, op] { return run_edit(*options, op); }; });
}

}  // namespace

void add_config_command(CLI::App& app, Action& action) {
    auto* config = app.add_subcommand(
        "config", "Show and edit settings (~/.cenvrc, ~/.condarc) and domestic mirrors");
    config->require_subcommand(1);
    config->footer(
        "Examples:\n"
        "  cenv config mirror use tuna --pip        conda channels and pip through Tsinghua\n"
        "  cenv config list --sources               every setting and where it comes from\n"
        "  cenv config channels                     the URLs each channel is fetched from\n"
        "  cenv config get channels\n"
        "  cenv config append channels conda-forge\n"
        "  cenv config set channel_priority strict\n"
        "  cenv config set custom_channels.internal https://conda.corp.example\n"
        "\n"
        "Precedence, lowest first: defaults, <root>/.condarc, ~/.condarc, $CONDARC, ~/.cenvrc,\n"
        "CENV_<KEY> / CONDA_<KEY> variables, command-line flags. Edits go to ~/.cenvrc.");

    auto list_options = std::make_shared<ConfigOptions>();
    auto* list = config->add_subcommand("list", "Show every setting's value");
    list->footer("Examples:\n  cenv config list --sources\n  cenv config list --json");
    list->add_flag("--sources", list_options->sources,
                   "Say where each value comes from (file:line:column, variable, flag)");
    list->add_flag("--json", list_options->json, "Print as JSON");
    list->add_option("-r,--root-prefix", list_options->root,
                     "Root prefix whose .condarc is read (default: $CENV_ROOT_PREFIX or ~/.cenv)");
    list->callback(
        [list_options, &action] { action = [list_options] { return run_list(*list_options); }; });

    auto get_options = std::make_shared<ConfigOptions>();
    auto* get = config->add_subcommand("get", "Show one setting's value");
    get->footer("Examples:\n  cenv config get channels\n  cenv config get ssl_verify --sources");
    get->add_option("key", get_options->key, "Setting")->required();
    get->add_flag("--sources", get_options->sources, "Say where the value comes from");
    get->add_flag("--json", get_options->json, "Print as JSON");
    get->add_option("-r,--root-prefix", get_options->root,
                    "Root prefix whose .condarc is read (default: $CENV_ROOT_PREFIX or ~/.cenv)");
    get->callback(
        [get_options, &action] { action = [get_options] { return run_get(*get_options); }; });

    auto channels_options = std::make_shared<ConfigOptions>();
    auto* channels = config->add_subcommand(
        "channels", "Show where each channel is fetched from: mirrors in order, then its own URL");
    channels->footer(
        "Examples:\n  cenv config channels                   the configured channels\n"
        "  cenv config channels -c pytorch -c nvidia --override-channels\n"
        "  cenv config channels --platform osx-arm64 --json");
    channels
        ->add_option("-c,--channel", channels_options->channels,
                     "Channel (repeatable; before the configured channels)")
        ->allow_extra_args(false);
    channels->add_flag("--override-channels", channels_options->override_channels,
                       "Only the channels given with -c");
    channels->add_option("--platform", channels_options->platform,
                         "Subdir besides noarch (default: this machine's)");
    channels->add_flag("--json", channels_options->json, "Print as JSON");
    channels->add_option(
        "-r,--root-prefix", channels_options->root,
        "Root prefix whose .condarc is read (default: $CENV_ROOT_PREFIX or ~/.cenv)");
    channels->callback([channels_options, &action] {
        action = [channels_options] { return run_channels(*channels_options); };
    });

    add_edit(*config, action, "set", "Set a setting (a list from comma-separated items)",
             config::EditOp::set, true,
             "Examples:\n  cenv config set channel_priority flexible\n"
             "  cenv config set channels conda-forge,bioconda\n"
             "  cenv config set custom_channels.internal https://conda.corp.example");
    add_edit(*config, action, "append", "Add an item at the end of a list", config::EditOp::append,
             true,
             "Examples:\n  cenv config append channels bioconda\n"
             "  cenv config append mirrors.https://conda.anaconda.org/conda-forge "
             "https://mirror.example/cloud/conda-forge");
    add_edit(*config, action, "prepend", "Add an item at the front of a list",
             config::EditOp::prepend, true, "Example:\n  cenv config prepend channels conda-forge");
    add_edit(*config, action, "remove", "Remove an item from a list", config::EditOp::remove, true,
             "Example:\n  cenv config remove channels defaults");
    add_edit(*config, action, "remove-key", "Remove a setting (or a map entry) from the file",
             config::EditOp::remove_key, false,
             "Examples:\n  cenv config remove-key channel_priority\n"
             "  cenv config remove-key custom_channels.internal");
    add_config_mirror_commands(*config, action);
}

}  // namespace cenv::cli

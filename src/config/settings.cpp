#include "config/settings.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "config/error.hpp"
#include "config/keys.hpp"
#include "util/strings.hpp"

namespace cenv::config {

namespace {

std::string env_name(std::string_view prefix, std::string_view key) {
    std::string name(prefix);
    for (const char c : key) {
        name += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    return name;
}

std::vector<std::string> split_items(std::string_view text, std::string_view separators) {
    std::vector<std::string> items;
    for (const auto piece : util::split_any(text, separators)) {
        const auto item = util::trim(piece);
        if (!item.empty()) {
            items.emplace_back(item);
        }
    }
    return items;
}

// A value given as text (a variable or a flag) for a scalar or list key.
Setting from_text(const KeyInfo& key, std::string_view text, const std::string& source) {
    Setting setting;
    setting.origin = Origin{source, 0, 0};
    if (is_scalar(key.type)) {
        setting.value.scalar = normalise_scalar(key, text, source);
    } else if (key.type == KeyType::list) {
        // Specs hold commas (numpy>=1.20,<2): conda separates pinned_packages with '&'.
        setting.value.list = split_items(text, key.name == "pinned_packages" ? "&" : ",");
    } else {
        throw ConfigError(
            fmt::format("{}: '{}' is a mapping and cannot be set from text", source, key.name),
            fmt::format("set it in ~/.cenvrc: cenv config set {}.NAME VALUE", key.name));
    }
    return setting;
}

}  // namespace

std::filesystem::path home_dir() {
    const char* home = std::getenv("HOME");
    return home != nullptr && *home != '\0' ? std::filesystem::path(home)
                                            : std::filesystem::path(".");
}

std::filesystem::path root_prefix(const std::filesystem::path& explicit_root) {
    if (!explicit_root.empty()) {
        return std::filesystem::absolute(explicit_root);
    }
    if (const char* env = std::getenv("CENV_ROOT_PREFIX"); env != nullptr && *env != '\0') {
        return std::filesystem::absolute(env);
    }
    return home_dir() / ".cenv";
}

std::vector<std::filesystem::path> rc_files(const std::filesystem::path& root) {
    std::vector<std::filesystem::path> files{root / ".condarc", home_dir() / ".condarc"};
    if (const char* condarc = std::getenv("CONDARC"); condarc != nullptr && *condarc != '\0') {
        files.emplace_back(condarc);
    }
    files.push_back(user_rc_file());
    return files;
}

std::filesystem::path user_rc_file() {
    return home_dir() / ".cenvrc";
}

Layer environment_layer() {
    Layer layer;
    layer.source = "environment";
    for (const auto& key : known_keys()) {
        if (is_map(key.type)) {
            continue;
        }
        for (const char* prefix : {"CENV_", "CONDA_"}) {
            const std::string name = env_name(prefix, key.name);
            // An empty variable counts as unset for scalars (CONDA_OFFLINE= in a script).
            if (const char* value = std::getenv(name.c_str());
                value != nullptr && (*value != '\0' || key.type == KeyType::list)) {
                layer.settings.emplace_back(key.name, from_text(key, value, "env " + name));
                break;
            }
        }
    }
    return layer;
}

Settings::Settings() {
    for (const auto& key : known_keys()) {
        Setting setting;
        setting.value = default_value(key);
        setting.origin = Origin{"default", 0, 0};
        values_.emplace_back(key.name, std::move(setting));
    }
}

Settings Settings::load(const LoadOptions& options) {
    Settings settings;
    const auto root = root_prefix(options.root);
    for (const auto& file : rc_files(root)) {
        std::error_code ec;
        if (!std::filesystem::exists(file, ec)) {
            continue;
        }
        settings.apply(read_rc_file(file));
        settings.files_read_.push_back(file);
    }
    if (options.read_environment) {
        settings.apply(environment_layer());
    }
    Layer flags;
    flags.source = "command line";
    for (const auto& o : options.overrides) {
        const KeyInfo* key = find_key(o.key);
        if (key == nullptr) {
            throw ConfigError(fmt::format("unknown setting '{}'", o.key));
        }
        flags.settings.emplace_back(key->name, from_text(*key, o.text, o.flag));
    }
    settings.apply(flags);
    return settings;
}

void Settings::apply(const Layer& layer) {
    for (const auto& [name, setting] : layer.settings) {
        for (auto& [key_name, current] : values_) {
            if (key_name != name) {
                continue;
            }
            const KeyInfo* key = find_key(name);
            if (key != nullptr && is_map(key->type) && current.origin.source != "default") {
                // Maps merge: a later source replaces or adds entries.
                for (std::size_t i = 0; i < setting.value.map.size(); ++i) {
                    const auto& entry = setting.value.map[i];
                    bool replaced = false;
                    for (std::size_t j = 0; j < current.value.map.size(); ++j) {
                        if (current.value.map[j].first == entry.first) {
                            current.value.map[j].second = entry.second;
                            current.entry_origins[j] = setting.entry_origins[i];
                            replaced = true;
                        }
                    }
                    if (!replaced) {
                        current.value.map.push_back(entry);
                        current.entry_origins.push_back(setting.entry_origins[i]);
                    }
                }
                current.origin = setting.origin;
            } else {
                current = setting;
            }
        }
    }
}

const Setting& Settings::get(std::string_view key) const {
    for (const auto& [name, setting] : values_) {
        if (name == key) {
            return setting;
        }
    }
    std::vector<std::string_view> names;
    for (const auto& k : known_keys()) {
        names.push_back(k.name);
    }
    throw ConfigError(fmt::format("unknown setting '{}'", key),
                      fmt::format("known settings: {}", fmt::join(names, ", ")));
}

const std::string& Settings::string(std::string_view key) const {
    return get(key).value.scalar;
}

bool Settings::boolean(std::string_view key) const {
    return get(key).value.scalar == "true";
}

long long Settings::integer(std::string_view key) const {
    return std::strtoll(get(key).value.scalar.c_str(), nullptr, 10);
}

double Settings::number(std::string_view key) const {
    return std::strtod(get(key).value.scalar.c_str(), nullptr);
}

const std::vector<std::string>& Settings::list(std::string_view key) const {
    return get(key).value.list;
}

bool Settings::is_set(std::string_view key) const {
    return get(key).origin.source != "default";
}

ChannelSettings Settings::channel_settings() const {
    ChannelSettings out;
    out.channel_alias = string("channel_alias");
    out.default_channels = list("default_channels");
    for (const auto& [name, values] : get("custom_channels").value.map) {
        out.custom_channels.emplace_back(name, values.empty() ? std::string{} : values.front());
    }
    out.custom_multichannels = get("custom_multichannels").value.map;
    out.mirrors = get("mirrors").value.map;
    out.mirror_only = boolean("mirror_only");
    return out;
}

RemoteSettings Settings::remote() const {
    RemoteSettings out;
    out.connect_timeout_secs = number("remote_connect_timeout_secs");
    out.read_timeout_secs = number("remote_read_timeout_secs");
    out.max_retries = static_cast<int>(integer("remote_max_retries"));
    out.backoff_factor = number("remote_backoff_factor");
    const std::string& ssl = string("ssl_verify");
    out.ssl_verify.enabled = ssl != "false";
    if (ssl != "true" && ssl != "false") {
        out.ssl_verify.ca_bundle = ssl;
    }
    for (const auto& [scheme, values] : get("proxy_servers").value.map) {
        out.proxy_servers[scheme] = values.empty() ? std::string{} : values.front();
    }
    out.download_threads = static_cast<int>(std::max(1LL, integer("download_threads")));
    out.offline = boolean("offline");
    out.local_repodata_ttl = integer("local_repodata_ttl");
    out.mirror_only = boolean("mirror_only");
    return out;
}

}  // namespace cenv::config

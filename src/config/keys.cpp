#include "config/keys.hpp"

#include <array>
#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

#include "config/error.hpp"
#include "util/strings.hpp"

namespace cenv::config {

namespace {

// conda's defaults where conda has the key; cenv's own otherwise.
constexpr std::array kKeys{
    KeyInfo{"channels", KeyType::list, "", "channels searched in order; empty means 'defaults'"},
    KeyInfo{"default_channels", KeyType::list, "",
            "what 'defaults' stands for (repo.anaconda.com pkgs/main, pkgs/r, pkgs/msys2)"},
    KeyInfo{"custom_channels", KeyType::string_map, "",
            "channel name -> base URL the name is appended to"},
    KeyInfo{"custom_multichannels", KeyType::list_map, "",
            "name -> list of channels it stands for (like 'defaults')"},
    KeyInfo{"channel_alias", KeyType::string, "https://conda.anaconda.org",
            "base URL of channel names that nothing else resolves"},
    KeyInfo{"channel_priority", KeyType::choice, "strict", "strict, flexible or disabled",
            "strict|flexible|disabled"},
    KeyInfo{"mirrors", KeyType::list_map, "",
            "channel URL -> mirror URLs tried in order before it (cenv)"},
    KeyInfo{"mirror_only", KeyType::boolean, "false",
            "never fall back to a channel's own URL after its mirrors (cenv)"},
    KeyInfo{"offline", KeyType::boolean, "false", "use caches and local channels only"},
    KeyInfo{"ssl_verify", KeyType::ssl, "true", "true, false, or the path of a CA bundle"},
    KeyInfo{"proxy_servers", KeyType::string_map, "", "scheme (or scheme://host) -> proxy URL"},
    KeyInfo{"remote_connect_timeout_secs", KeyType::number, "9.15", "connect timeout, seconds"},
    KeyInfo{"remote_read_timeout_secs", KeyType::number, "60",
            "a transfer stalled this long fails, seconds"},
    KeyInfo{"remote_max_retries", KeyType::integer, "3", "retries of a failed transfer"},
    KeyInfo{"remote_backoff_factor", KeyType::number, "1",
            "first retry delay in seconds, doubled per retry"},
    KeyInfo{"local_repodata_ttl", KeyType::integer, "1",
            "1: honour the server's max-age; 0: always revalidate; N: fresh for N seconds"},
    KeyInfo{"download_threads", KeyType::integer, "5", "parallel downloads (cenv)"},
    KeyInfo{"envs_dirs", KeyType::list, "", "folders holding named environments (<root>/envs)"},
    KeyInfo{"changeps1", KeyType::boolean, "true",
            "show the active environment in the shell prompt"},
    KeyInfo{"env_prompt", KeyType::string, "({default_env}) ",
            "the prompt's environment part: {default_env}, {name} and {prefix} are filled in"},
    KeyInfo{"auto_activate_project", KeyType::boolean, "false",
            "the shell hook activates a project's environment on entering its folder (cenv)"},
    KeyInfo{"pkgs_dirs", KeyType::list, "", "package caches (<root>/pkgs)"},
    KeyInfo{"pinned_packages", KeyType::list, "", "specs every solve must keep"},
    KeyInfo{"safety_checks", KeyType::choice, "warn",
            "a path installed by two packages: warn, enabled (an error) or disabled",
            "warn|enabled|disabled"},
    KeyInfo{"pip_index_url", KeyType::string, "",
            "PyPI index written into new environments' pip.conf (cenv)"},
    KeyInfo{"pip_trusted_host", KeyType::list, "", "hosts pip trusts without TLS checks (cenv)"},
};

constexpr std::array<std::string_view, 3> kDefaultChannels{
    "https://repo.anaconda.com/pkgs/main",
    "https://repo.anaconda.com/pkgs/r",
    "https://repo.anaconda.com/pkgs/msys2",
};

// "a, b or c" for the choices "a|b|c".
std::string choice_words(std::string_view choices) {
    std::string out;
    const auto parts = util::split_any(choices, "|");
    for (std::size_t i = 0; i < parts.size(); ++i) {
        out += i == 0 ? "" : (i + 1 == parts.size() ? " or " : ", ");
        out += parts[i];
    }
    return out;
}

std::string type_words(const KeyInfo& key) {
    switch (key.type) {
        case KeyType::boolean:
            return "true or false";
        case KeyType::integer:
            return "a whole number";
        case KeyType::number:
            return "a number";
        case KeyType::ssl:
            return "true, false or the path of a CA bundle";
        case KeyType::choice:
            return choice_words(key.choices);
        case KeyType::list:
            return "a list";
        case KeyType::string_map:
        case KeyType::list_map:
            return "a mapping";
        case KeyType::string:
            break;
    }
    return "a string";
}

// YAML 1.1's and conda's boolean spellings.
int parse_bool(std::string_view text) {
    const std::string lower = util::to_lower(text);
    for (const char* yes : {"true", "yes", "on", "1", "y"}) {
        if (lower == yes) {
            return 1;
        }
    }
    for (const char* no : {"false", "no", "off", "0", "n"}) {
        if (lower == no) {
            return 0;
        }
    }
    return -1;
}

}  // namespace

std::span<const KeyInfo> known_keys() noexcept {
    return kKeys;
}

const KeyInfo* find_key(std::string_view name) noexcept {
    for (const auto& key : kKeys) {
        if (key.name == name) {
            return &key;
        }
    }
    return nullptr;
}

std::string normalise_scalar(const KeyInfo& key, std::string_view raw, std::string_view where) {
    const std::string_view text = util::trim(raw);
    const auto bad = [&] {
        return ConfigError(
            fmt::format("{}: '{}' must be {}, not '{}'", where, key.name, type_words(key), text),
            fmt::format("{}: {}", key.name, key.help));
    };
    switch (key.type) {
        case KeyType::boolean: {
            const int b = parse_bool(text);
            if (b < 0) {
                throw bad();
            }
            return b == 1 ? "true" : "false";
        }
        case KeyType::integer: {
            long long n = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
            if (ec != std::errc{} || end != text.data() + text.size() || n < 0) {
                throw bad();
            }
            return std::to_string(n);
        }
        case KeyType::number: {
            const std::string copy(text);
            char* end = nullptr;
            const double d = std::strtod(copy.c_str(), &end);
            if (copy.empty() || end != copy.c_str() + copy.size() || !(d >= 0)) {
                throw bad();
            }
            return copy;
        }
        case KeyType::ssl: {
            const int b = parse_bool(text);
            if (b >= 0) {
                return b == 1 ? "true" : "false";
            }
            if (text.empty()) {
                throw bad();
            }
            return std::string(text);
        }
        case KeyType::choice: {
            const std::string lower = util::to_lower(text);
            for (const auto choice : util::split_any(key.choices, "|")) {
                if (lower == choice) {
                    return lower;
                }
            }
            // conda 4.6 also accepts booleans: true is flexible, false is disabled.
            const int b = key.name == "channel_priority" ? parse_bool(text) : -1;
            if (b >= 0) {
                return b == 1 ? "flexible" : "disabled";
            }
            throw bad();
        }
        case KeyType::string:
            return std::string(text);
        case KeyType::list:
        case KeyType::string_map:
        case KeyType::list_map:
            break;
    }
    throw bad();
}

Value default_value(const KeyInfo& key) {
    Value value;
    if (is_scalar(key.type)) {
        value.scalar = key.default_text;
    } else if (key.name == "default_channels") {
        value.list.assign(kDefaultChannels.begin(), kDefaultChannels.end());
    }
    return value;
}

}  // namespace cenv::config

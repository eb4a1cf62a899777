#pragma once
// The settings cenv knows: conda's names (so an existing ~/.condarc keeps working) plus
// cenv's own (mirrors, mirror_only, pip_index_url, pip_trusted_host, download_threads), each
// with its type, its default and a one-line description. Unknown keys in files are ignored,
// as conda ignores keys of other tools.

#include <span>
#include <string_view>

#include "config/setting.hpp"

namespace cenv::config {

enum class KeyType {
    string,      ///< channel_alias, pip_index_url
    boolean,     ///< offline, mirror_only: true/false/yes/no/on/off/1/0
    integer,     ///< remote_max_retries, download_threads, local_repodata_ttl
    number,      ///< timeouts, backoff factor
    ssl,         ///< ssl_verify: a boolean or the path of a CA bundle
    choice,      ///< channel_priority, safety_checks: one of `choices`
    list,        ///< channels, envs_dirs, pinned_packages, ...
    string_map,  ///< custom_channels, proxy_servers: key -> one string
    list_map,    ///< custom_multichannels, mirrors: key -> list of strings
};

struct KeyInfo {
    std::string_view name;
    KeyType type;
    std::string_view default_text;  ///< scalar default; lists and maps default to empty
    std::string_view help;
    std::string_view choices = {};  ///< choice keys: the values, separated by '|'
};

/// Every known key, in the order `cenv config list` shows them.
std::span<const KeyInfo> known_keys() noexcept;

/// The key named `name`, or nullptr.
const KeyInfo* find_key(std::string_view name) noexcept;

/// Whether values of `type` are scalars (as opposed to lists and maps).
constexpr bool is_scalar(KeyType type) noexcept {
    return type != KeyType::list && type != KeyType::string_map && type != KeyType::list_map;
}

/// Whether values of `type` are maps.
constexpr bool is_map(KeyType type) noexcept {
    return type == KeyType::string_map || type == KeyType::list_map;
}

/// Checks and normalises a scalar written as text (a file, a variable, a flag, `config set`)
/// for `key`: booleans become `true`/`false`, channel_priority's conda spellings (true/false)
/// become flexible/disabled. Throws ConfigError naming `where` and the key when it does not
/// fit the type.
std::string normalise_scalar(const KeyInfo& key, std::string_view text, std::string_view where);

/// The default value of `key`.
Value default_value(const KeyInfo& key);

}  // namespace cenv::config

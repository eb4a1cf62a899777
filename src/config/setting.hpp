#pragma once
// One setting's value and where it came from. Values are kept in three plain shapes (a
// scalar, a list, a map whose values are lists) so that files, environment variables and
// flags all merge the same way; `keys.hpp` says which shape and type each key has.

#include <string>
#include <utility>
#include <vector>

namespace cenv::config {

/// Where a value was set: "default", a file (with 1-based line and column), an environment
/// variable ("env CENV_OFFLINE") or a flag ("--offline").
struct Origin {
    std::string source;
    int line = 0;    ///< 0 when unknown (variables, flags, defaults)
    int column = 0;  ///< 0 when unknown

    /// `~/.cenvrc:3:5`, `env CONDA_CHANNELS`, `default`.
    [[nodiscard]] std::string str() const;
};

struct Value {
    std::string scalar;             ///< strings, booleans, numbers, ssl_verify
    std::vector<std::string> list;  ///< list keys (channels, envs_dirs, ...)
    /// map keys, in the order written; string maps (custom_channels) hold one-item lists.
    std::vector<std::pair<std::string, std::vector<std::string>>> map;

    friend bool operator==(const Value&, const Value&) = default;
};

struct Setting {
    Value value;
    Origin origin;                      ///< of the whole value (of its key for maps)
    std::vector<Origin> entry_origins;  ///< maps only: parallel to value.map
};

}  // namespace cenv::config

#pragma once
// Reading a settings file (.condarc, .cenvrc: YAML) into a layer of settings, each value
// with the file, line and column it was written at.

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/setting.hpp"

namespace cenv::config {

/// The settings one source sets, in the order written. Unknown keys are left out.
struct Layer {
    std::string source;  ///< the file's path, "environment" or "command line"
    std::vector<std::pair<std::string, Setting>> settings;
};

/// Parses YAML `text` read from `source`. Throws ConfigError `source:line:col: ...` when the
/// YAML is malformed, the document is not a mapping, or a known key has a value of the wrong
/// shape or type. A key set to nothing (`channels:`) counts as not set.
Layer parse_rc(std::string_view text, const std::string& source);

/// Reads and parses the file at `path`; a missing file is an empty layer.
Layer read_rc_file(const std::filesystem::path& path);

}  // namespace cenv::config

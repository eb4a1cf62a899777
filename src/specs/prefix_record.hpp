#pragma once
// What an environment records about itself in `<prefix>/conda-meta/`: one JSON file per
// installed package (conda's PrefixRecord; read here as the PackageRecord part), `history`
// (the specs the user asked for) and `pinned` (specs the environment must keep satisfying).
// Reading only; writing comes with installation.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "specs/package_record.hpp"

namespace cenv::specs {

/// Parses one conda-meta/<name>-<version>-<build>.json. Accepts `build` or `build_string`,
/// `track_features` as a string or a list, `noarch` as a string or a bool. Throws ParseError
/// naming `file` when the JSON is malformed or lacks name, version or build.
PackageRecord parse_prefix_record(std::string_view json, std::string_view file);

/// The records of every `*.json` in `<prefix>/conda-meta`, sorted by name; none when the
/// folder does not exist. Throws util::IoError / ParseError naming the file at fault.
std::vector<PackageRecord> load_prefix_records(const std::filesystem::path& prefix);

/// The packages of `<prefix>/conda-meta` as the records' file names say
/// (`<name>-<version>-<build>.json`; versions and builds hold no `-`): name, version and build
/// only, sorted by name, no file opened. For callers that must be fast on any environment
/// (shell activation): a record can be megabytes. Names that do not split so are skipped;
/// none when the folder does not exist.
std::vector<PackageRecord> list_prefix_records(const std::filesystem::path& prefix);

/// The user-requested specs in a conda-meta/history text, as conda computes them: each
/// `# update specs: [...]` (and `# install specs`, `# create specs`) entry sets the spec of its
/// package name, each `# remove specs: [...]` (and `# uninstall specs`) entry drops the
/// names; the last word wins. The lists may be Python or JSON lists of strings. Returned in
/// the order of their first request.
std::vector<std::string> parse_history_specs(std::string_view history);

/// The specs of a conda-meta/pinned text: one per line, `#` comments and blank lines ignored.
std::vector<std::string> parse_pinned_specs(std::string_view pinned);

}  // namespace cenv::specs

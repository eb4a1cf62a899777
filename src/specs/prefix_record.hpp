#pragma once
// What an environment records about itself in `<prefix>/conda-meta/`: one JSON file per
// installed package (conda's PrefixRecord; read here as the PackageRecord part), `history`
// (the specs the user asked for) and `pinned` (specs the environment must keep satisfying).
// The formats only: files are read and written by `install`.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "specs/package_record.hpp"
#include "specs/paths_data.hpp"

namespace cenv::specs {

/// conda's `link.type`: how the package's files were put into the prefix.
enum class LinkType : int { hardlink = 1, softlink = 2, copy = 3, directory = 4 };

/// A whole conda-meta record (conda's PrefixRecord): the package's metadata as the channel
/// and its index.json describe it, and what installing it put into the prefix. The metadata
/// keys are kept as they were read (or, for a new record, as the package cache's
/// `info/repodata_record.json` has them), so that a record is written back exactly as conda
/// wrote it; `package()` gives their typed view.
struct PrefixRecord {
    /// Every key other than the prefix keys below, as read.
    nlohmann::json metadata = nlohmann::json::object();
    std::vector<std::string> files;  ///< paths in the prefix, relative, `/`-separated
    std::optional<PathsData> paths_data;
    struct Link {
        std::string source;  ///< the extracted package it was linked from
        LinkType type = LinkType::hardlink;
    };
    std::optional<Link> link;
    std::optional<std::string> requested_spec;  ///< conda writes "None" for dependencies
    std::optional<std::string> extracted_package_dir;
    std::optional<std::string> package_tarball_full_path;

    /// The typed view of `metadata`. Throws ParseError when it lacks name, version or build.
    [[nodiscard]] PackageRecord package() const;
    /// `<name>-<version>-<build>.json`: the record's file name in conda-meta.
    [[nodiscard]] std::string file_name() const;
};

/// Parses one whole conda-meta record. Throws ParseError naming `file` when the JSON is
/// malformed, lacks name, version or build, or has malformed paths_data.
PrefixRecord parse_full_prefix_record(std::string_view json, std::string_view file);

/// The record as conda writes it (Python's `json.dump(indent=2, sort_keys=True)`, ASCII
/// only, no final newline), so that a record conda wrote is written back byte for byte.
std::string prefix_record_text(const PrefixRecord& record);

/// Parses one conda-meta/<name>-<version>-<build>.json. Accepts `build` or `build_string`,
/// `track_features` as a string or a list, `noarch` as a string or a bool. Throws ParseError
/// naming `file` when the JSON is malformed or lacks name, version or build.
PackageRecord parse_prefix_record(std::string_view json, std::string_view file);

/// The `files` of one conda-meta record: the paths the package put in the prefix, relative to
/// it (`lib/python3.10/site-packages/torch/version.py`); none when the record has no list.
/// Throws ParseError naming `file` when the JSON is malformed.
std::vector<std::string> parse_prefix_record_files(std::string_view json, std::string_view file);

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

/// One `conda-meta/history` entry as conda appends it.
struct HistoryEntry {
    std::string when;                  ///< local time, `YYYY-MM-DD HH:MM:SS`
    std::string command;               ///< `# cmd:` (the command line); empty: no line
    std::vector<std::string> removed;  ///< `channel::name-version-build`, as history_dist gives
    std::vector<std::string> added;
    std::string specs_action;        ///< `update`, `remove` (or conda's install/create/...)
    std::vector<std::string> specs;  ///< the specs the user named
};

/// The entry's text: `==> when <==`, `# cmd: ...`, the `-` then `+` lines (each sorted),
/// `# <action> specs: ['a', 'b']` (a Python list, as conda writes it), each line ending in
/// a newline.
std::string format_history_entry(const HistoryEntry& entry);

/// How history names a package: `<channel>/<subdir>::<name>-<version>-<build>`, the channel
/// by its name when it is under conda's default channel_alias (`conda-forge/linux-64::...`),
/// else by its URL.
std::string history_dist(const PackageRecord& record);

/// The specs of a conda-meta/pinned text: one per line, `#` comments and blank lines ignored.
std::vector<std::string> parse_pinned_specs(std::string_view pinned);

}  // namespace cenv::specs

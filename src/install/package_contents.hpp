#pragma once
// What an extracted package says about its own files: the record the package cache wrote
// (`info/repodata_record.json`), its paths (`info/paths.json`, or the legacy `info/files`,
// `info/has_prefix` and `info/no_link`), and for noarch python packages the entry points of
// `info/link.json`.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "specs/package_record.hpp"
#include "specs/paths_data.hpp"

namespace cenv::install {

/// A console script of a noarch python package: `NAME = MODULE:FUNCTION`.
struct EntryPoint {
    std::string command;
    std::string module;
    std::string function;  ///< may be dotted: `Class.method`
};

/// Parses `NAME = MODULE:FUNCTION` (extras in brackets after it are ignored). Throws
/// InstallError naming `package` for another shape.
EntryPoint parse_entry_point(std::string_view text, std::string_view package);

struct PackageContents {
    nlohmann::json metadata;  ///< info/repodata_record.json (else info/index.json)
    specs::PathsData paths;
    specs::NoArchType noarch = specs::NoArchType::none;
    std::vector<EntryPoint> entry_points;
};

/// Reads the info files of the extracted package at `tree`. Throws InstallError naming the
/// package and the file when one is missing or malformed.
PackageContents read_package_contents(const std::filesystem::path& tree);

}  // namespace cenv::install

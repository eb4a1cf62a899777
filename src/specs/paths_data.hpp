#pragma once
// The files of a package as conda describes them: `info/paths.json` inside a package (or,
// in packages older than paths.json, `info/files`, `info/has_prefix` and `info/no_link`),
// and the `paths_data` of a conda-meta record, which has the same entries plus what the
// file became in the prefix (`sha256_in_prefix`). Parsing and the JSON form only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace cenv::specs {

/// conda's `path_type`: how an entry gets into the prefix.
enum class PathType : std::uint8_t {
    hardlink,  ///< a file (linked or copied)
    softlink,  ///< a symbolic link, made again with the same target
    directory,
    pyc_file,                           ///< compiled at install time (noarch python)
    unix_python_entry_point,            ///< written at install time from info/link.json
    windows_python_entry_point_script,  ///< conda on Windows
    windows_python_entry_point_exe,     ///< conda on Windows
    linked_package_record,              ///< conda's own record of the record file
};

std::string_view to_string(PathType type) noexcept;
/// The type named `text`; nullopt for an unknown name.
std::optional<PathType> parse_path_type(std::string_view text) noexcept;

/// conda's `file_mode`: how a prefix placeholder in the file is replaced.
enum class FileMode : std::uint8_t {
    none,    ///< no placeholder
    text,    ///< every occurrence rewritten; the file may change length
    binary,  ///< same length: the new prefix is padded with NULs inside each C string
};

std::string_view to_string(FileMode mode) noexcept;

/// The placeholder of legacy `has_prefix` lines that name only a path.
inline constexpr std::string_view kDefaultPrefixPlaceholder = "/opt/anaconda1anaconda2anaconda3";

struct PathEntry {
    std::string path;  ///< `_path`: relative, `/`-separated
    PathType type = PathType::hardlink;
    FileMode file_mode = FileMode::none;
    std::string prefix_placeholder;  ///< empty when file_mode is none
    bool no_link = false;            ///< always copied, never hard-linked
    std::string sha256;              ///< empty when not recorded
    std::string sha256_in_prefix;    ///< conda-meta only
    std::optional<std::uint64_t> size_in_bytes;
};

struct PathsData {
    int paths_version = 1;
    std::vector<PathEntry> paths;
};

/// Parses `info/paths.json`, or the `paths_data` object of a conda-meta record. Throws
/// ParseError naming `file` when it is not valid or an entry lacks `_path` or names an
/// unknown path_type.
PathsData parse_paths_json(std::string_view json, std::string_view file);
/// The same, from an object already parsed.
PathsData paths_data_from_json(const nlohmann::json& object, std::string_view file);

/// The entries of a package without paths.json: every line of `files` is a hardlink;
/// `has_prefix` lines are `PATH` (text mode, the default placeholder) or
/// `PLACEHOLDER MODE PATH`, each part optionally quoted; `no_link` lists paths to copy.
/// Throws ParseError naming `file` for a has_prefix line of another shape.
PathsData paths_from_legacy(std::string_view files, std::string_view has_prefix,
                            std::string_view no_link, std::string_view file);

/// `paths_data` as conda writes it: entries with their keys (absent ones left out) and
/// `paths_version`.
nlohmann::json paths_data_to_json(const PathsData& data);

}  // namespace cenv::specs

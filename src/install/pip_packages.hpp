#pragma once
// The Python distributions installed in a prefix's `lib/python*/site-packages`, read from the
// metadata every installer leaves there: `*.dist-info` folders (METADATA's Name and Version,
// INSTALLER, REQUESTED, the RECORD file list) and the older `*.egg-info` (a folder holding
// PKG-INFO and installed-files.txt, or a single PKG-INFO file).
//
// conda's own python packages carry `.dist-info` folders too: which distributions pip put
// there is decided by the caller, who knows the conda records (`anchor` is the path conda's
// records list when the distribution is theirs; conda's `pypi` listing works the same way).
//
// Not read: `.egg` folders and `.egg-link` files (setuptools' develop installs),
// `direct_url.json`, dependencies. Nothing is imported or run: a broken interpreter or a
// half-uninstalled package cannot make this fail.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cenv::install {

/// One installed Python distribution, paths relative to the prefix with `/` separators.
struct PythonDistribution {
    std::string name;          ///< METADATA's `Name`, as written (`nvidia-cudnn-cu12`, `PyYAML`)
    std::string version;       ///< METADATA's `Version`, as written (`2.1.0+cu121`)
    std::string installer;     ///< INSTALLER's first line (`pip`, `conda`, `uv`); empty when none
    bool requested = false;    ///< a REQUESTED file: the user asked for it, not a dependency
    std::string metadata_dir;  ///< `lib/python3.11/site-packages/torch-2.1.0+cu121.dist-info`
    /// The file that identifies the distribution: `<dist-info>/RECORD`, `<egg-info>/PKG-INFO`,
    /// or the `.egg-info` file itself.
    std::string anchor;
    /// RECORD's (or installed-files.txt's) paths resolved against their folder and made
    /// relative to the prefix, lexically normal; a path outside the prefix stays absolute.
    /// Empty for a single-file `.egg-info`.
    std::vector<std::string> files;
};

/// A distribution folder that could not be read, and why (for a warning, never fatal).
struct SitePackagesProblem {
    std::string path;  ///< relative to the prefix
    std::string reason;
};

struct SitePackages {
    /// Sorted by normalized name, then metadata_dir.
    std::vector<PythonDistribution> distributions;
    std::vector<SitePackagesProblem> problems;
};

/// The `lib/python<X.Y>[t]/site-packages` folders of `prefix`, relative to it, sorted; none
/// when there is no such folder.
std::vector<std::string> site_packages_dirs(const std::filesystem::path& prefix);

/// The distributions of every `lib/python*/site-packages` in `prefix` (none when there is no
/// such folder). Entries pip leaves behind while uninstalling (`~name...`) are skipped;
/// unreadable or incomplete metadata is reported in `problems`.
SitePackages read_site_packages(const std::filesystem::path& prefix);

/// The PEP 503 form of a distribution name: lower case, each run of `-`, `_`, `.` as one `-`
/// (`Jinja2` -> `jinja2`, `nvidia_cudnn.cu12` -> `nvidia-cudnn-cu12`).
std::string normalized_python_name(std::string_view name);

/// The `Name` and `Version` of a METADATA / PKG-INFO text (RFC 822 style headers, up to the
/// first blank line; header names are case-insensitive). Missing ones are empty.
struct CoreMetadata {
    std::string name;
    std::string version;
};
CoreMetadata parse_core_metadata(std::string_view text);

/// The first field of each row of a RECORD text (CSV: commas, `"` quoting with `""` escapes).
std::vector<std::string> parse_record_paths(std::string_view text);

}  // namespace cenv::install

#pragma once
// What `cenv list` shows of an environment: its conda packages (conda-meta records) and the
// Python distributions another installer (pip, uv) put into its site-packages, as conda
// lists them: channel `pypi`, build `pypi_0`.
//
// A distribution is conda's when a conda record's `files` holds its anchor (its RECORD,
// PKG-INFO or .egg-info file): conda's python packages carry `.dist-info` folders too, and
// listing them twice would be wrong. One whose anchor no record holds is listed even when a
// conda package of that name is there (pip replaced conda's files: conda shows both too).

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_set>
#include <vector>

#include "install/pip_packages.hpp"
#include "specs/package_record.hpp"

namespace cenv::install {

struct ListedPackage {
    std::string name;
    std::string version;
    std::string build;  ///< `pypi_0` for Python distributions
    std::uint64_t build_number = 0;
    std::string channel;   ///< canonical: `conda-forge`, `defaults`, a URL; `pypi`
    std::string base_url;  ///< the channel's URL without subdir; `https://pypi.org/`
    std::string platform;  ///< the record's subdir; `pypi`
    std::string url;       ///< conda packages only
    std::string md5;
    std::string sha256;
    bool pypi = false;
    std::string installer;   ///< Python distributions: `pip`, `uv`, ... (may be empty)
    bool requested = false;  ///< Python distributions: the user asked for it (REQUESTED)
};

struct PrefixListing {
    std::vector<ListedPackage> packages;  ///< by name (case-insensitive), conda ones first
    /// Python distributions whose metadata could not be read (for a warning).
    std::vector<SitePackagesProblem> problems;
};

/// The packages of the environment at `prefix`. Throws util::IoError / specs::ParseError
/// naming the conda-meta file at fault.
PrefixListing list_prefix(const std::filesystem::path& prefix);

/// Whether `dist` belongs to a conda package: one of `conda_files` (prefix-relative paths
/// from conda-meta records) is its anchor.
bool owned_by_conda(const PythonDistribution& dist,
                    const std::unordered_set<std::string>& conda_files);

/// The row of a conda record.
ListedPackage listed_conda_package(const specs::PackageRecord& record);

/// The row of a Python distribution (conda's `pypi` pseudo-channel).
ListedPackage listed_python_distribution(const PythonDistribution& dist);

}  // namespace cenv::install

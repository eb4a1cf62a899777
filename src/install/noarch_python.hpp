#pragma once
// Where a `noarch: python` package goes in a given environment, as conda places it:
// `site-packages/` into the environment's site-packages (`lib/pythonX.Y/site-packages`, or
// the python record's `python_site_packages_path`), `python-scripts/` into `bin/`; every
// `.py` gets a `__pycache__/NAME.cpython-XY.pyc`; entry points become small scripts in
// `bin/` run by the environment's python.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "install/package_contents.hpp"
#include "specs/package_record.hpp"

namespace cenv::install {

struct PythonLayout {
    std::string version;        ///< major.minor: `3.11`
    std::string site_packages;  ///< relative: `lib/python3.11/site-packages`
    std::string executable;     ///< relative: `bin/python3.11`
    std::string cache_tag;      ///< `cpython-311`
};

/// The python of an environment whose packages are `records` (the state after the
/// transaction); nullopt when there is no python among them.
std::optional<PythonLayout> python_layout(std::span<const specs::PackageRecord> records);

/// Where the file `path` of a noarch python package goes.
std::string noarch_python_target(std::string_view path, const PythonLayout& python);

/// The compiled file of the source `py_target` (a prefix path ending in `.py`).
std::string pyc_target(std::string_view py_target, const PythonLayout& python);

/// The text of the console script for `entry`, run by the interpreter at `python` (an
/// absolute path; the shebang falls back to `/usr/bin/env` when it is too long).
std::string entry_point_script(const EntryPoint& entry, std::string_view python);

}  // namespace cenv::install

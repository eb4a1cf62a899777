#pragma once
// A prefix for the listing and export tests: conda's python and pip (pip's .dist-info listed
// in its record's files), zlib from another channel, and what pip installed: torch
// (dist-info, REQUESTED) and six (egg-info file), next to a broken distribution.

#include <filesystem>
#include <string>

#include "test_support.hpp"

namespace cenv::install::test {

inline constexpr const char* kSp = "lib/python3.11/site-packages";

inline void make_prefix(const fs::path& p) {
    const std::string sp = kSp;
    put(p, "conda-meta/python-3.11.7-h_0.json",
        R"({"name": "python", "version": "3.11.7", "build": "h_0", "build_number": 0,
            "channel": "https://conda.anaconda.org/conda-forge/linux-64", "subdir": "linux-64",
            "url": "https://conda.anaconda.org/conda-forge/linux-64/python-3.11.7-h_0.conda",
            "md5": "0123456789abcdef0123456789abcdef", "depends": ["zlib >=1.2"],
            "files": ["bin/python3.11"]})");
    put(p, "conda-meta/pip-23.2.1-pyh_0.json",
        R"({"name": "pip", "version": "23.2.1", "build": "pyh_0", "build_number": 0,
            "channel": "https://conda.anaconda.org/conda-forge/noarch", "subdir": "noarch",
            "url": "https://conda.anaconda.org/conda-forge/noarch/pip-23.2.1-pyh_0.conda",
            "depends": ["python >=3.7"],
            "files": [")" +
            sp + R"(/pip/__init__.py", ")" + sp + R"(/pip-23.2.1.dist-info/RECORD"]})");
    put(p, "conda-meta/zlib-1.2.13-h_1.json",
        R"({"name": "zlib", "version": "1.2.13", "build": "h_1", "build_number": 1,
            "channel": "https://repo.anaconda.com/pkgs/main/linux-64", "subdir": "linux-64",
            "url": "https://repo.anaconda.com/pkgs/main/linux-64/zlib-1.2.13-h_1.conda",
            "files": ["lib/libz.so.1"]})");
    put(p, sp + "/pip-23.2.1.dist-info/METADATA", "Name: pip\nVersion: 23.2.1\n");
    put(p, sp + "/pip-23.2.1.dist-info/INSTALLER", "conda\n");
    put(p, sp + "/torch-2.1.0+cu121.dist-info/METADATA", "Name: torch\nVersion: 2.1.0+cu121\n");
    put(p, sp + "/torch-2.1.0+cu121.dist-info/INSTALLER", "pip\n");
    put(p, sp + "/torch-2.1.0+cu121.dist-info/REQUESTED", "");
    put(p, sp + "/Six-1.16.0-py3.11.egg-info", "Name: Six\nVersion: 1.16.0\n");
    put(p, sp + "/broken-1.dist-info/RECORD", "");
}

}  // namespace cenv::install::test

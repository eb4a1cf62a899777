#pragma once
// Helpers for the tests of src/shell: scratch folders and environments made of conda-meta
// records (file names only: no package is installed), activate.d scripts and state files.

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scratch_dir.hpp"

namespace cenv::shell::testing {

using test_support::ScratchDir;

inline void write_file(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

/// An environment at `prefix` holding records `dists` ("python-3.10.13-h0_0", ...).
inline std::filesystem::path make_env(const std::filesystem::path& prefix,
                                      const std::vector<std::string>& dists = {}) {
    std::filesystem::create_directories(prefix / "conda-meta");
    std::filesystem::create_directories(prefix / "bin");
    for (const auto& dist : dists) {
        write_file(prefix / "conda-meta" / (dist + ".json"), "{}");
    }
    return prefix;
}

}  // namespace cenv::shell::testing

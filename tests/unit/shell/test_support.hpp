#pragma once
// Helpers for the tests of src/shell: scratch folders and environments made of conda-meta
// records (file names only: no package is installed), activate.d scripts and state files.

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace cenv::shell::testing {

/// A fresh empty folder, removed by the destructor.
class ScratchDir {
  public:
    ScratchDir() {
        std::string pattern =
            (std::filesystem::path(::testing::TempDir()) / "cenv_shell_XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed for " + pattern);
        }
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::filesystem::path operator/(const std::string& name) const {
        return path_ / name;
    }

  private:
    std::filesystem::path path_;
};

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

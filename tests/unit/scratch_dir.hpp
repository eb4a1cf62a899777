#pragma once
// A fresh empty folder for one test, removed with everything in it by the destructor; shared
// by the unit tests of every module.

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace cenv::test_support {

class ScratchDir {
  public:
    /// `name` shows in the folder's name under the temp dir, e.g. "install".
    explicit ScratchDir(const std::string& name = "test") {
        std::string pattern =
            (std::filesystem::temp_directory_path() / ("cenv-" + name + "-test-XXXXXX")).string();
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

}  // namespace cenv::test_support

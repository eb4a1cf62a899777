#pragma once
// A temporary HOME for a test: settings files written into it are the ones cenv reads. The
// variables a test may set are cleared before and after.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace cenv::config::testing {

class TempHome {
  public:
    TempHome() {
        char pattern[] = "/tmp/cenv-config-test-XXXXXX";
        dir_ = ::mkdtemp(pattern);
        if (const char* home = std::getenv("HOME"); home != nullptr) {
            old_home_ = home;
        }
        ::setenv("HOME", dir_.c_str(), 1);
        clear();
    }
    ~TempHome() {
        clear();
        ::setenv("HOME", old_home_.c_str(), 1);
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    TempHome(const TempHome&) = delete;
    TempHome& operator=(const TempHome&) = delete;

    [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

    std::filesystem::path write(const std::string& name, const std::string& text) const {
        const auto path = dir_ / name;
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path) << text;
        return path;
    }

  private:
    static void clear() {
        for (const char* var :
             {"CONDARC", "CENV_ROOT_PREFIX", "CENV_OFFLINE", "CONDA_OFFLINE", "CONDA_CHANNELS",
              "CENV_CHANNELS", "CONDA_CHANNEL_PRIORITY", "CENV_CHANNEL_PRIORITY",
              "CONDA_SSL_VERIFY", "CENV_DOWNLOAD_THREADS", "CONDA_PINNED_PACKAGES"}) {
            ::unsetenv(var);
        }
    }

    std::filesystem::path dir_;
    std::string old_home_;
};

}  // namespace cenv::config::testing

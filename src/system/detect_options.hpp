#pragma once
// Where detection looks: everything a caller (or a test) may point elsewhere.

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cenv::system {

struct DetectOptions {
    /// Directories to load `libnvidia-ml.so.1` and `libcuda.so.1` from, searched in order and
    /// nothing else. Empty: where the dynamic loader would find them (LD_LIBRARY_PATH, the
    /// directories of /etc/ld.so.conf, the system's library directories).
    std::vector<std::filesystem::path> library_dirs;

    /// `nvidia-smi` as a path, or a name looked up on PATH.
    std::string nvidia_smi = "nvidia-smi";

    /// How long one isolated probe (a library in a child process, one nvidia-smi run) may take
    /// before it is killed and counted as failed.
    std::chrono::milliseconds timeout{5000};

    /// The variables overrides are read from (`CENV_OVERRIDE_CUDA`, `CONDA_OVERRIDE_CUDA`, ...).
    /// nullopt: the process environment.
    std::optional<std::map<std::string, std::string>> env;

    /// Where to keep the detected driver between runs; empty: no cache.
    std::filesystem::path cache_file;

    /// The value of variable `name` in `env` (or the process environment); nullopt when unset.
    [[nodiscard]] std::optional<std::string> getenv(const std::string& name) const;
};

/// What cenv's commands use under root prefix `root`: the loader's search, and the detected
/// driver cached in `<root>/cache/cuda` so that later commands (and shell activation) do not
/// load the driver again.
DetectOptions root_detect_options(const std::filesystem::path& root);

}  // namespace cenv::system

#pragma once
// Helpers for the doctor tests: scratch directories, files, the stub libraries built by
// stubs/CMakeLists.txt, and Facts for the checks to judge.

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "doctor/facts.hpp"
#include "doctor/report.hpp"
#include "scratch_dir.hpp"

namespace cenv::doctor::testing {

namespace fs = std::filesystem;

using test_support::ScratchDir;

/// Writes `content` to `path`, creating its directories.
inline void write(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
}

/// The libtorch_python.so of a stub scenario ("cu121", "cpu", ...).
inline fs::path torch_stub(const std::string& scenario) {
    return fs::path(CENV_TORCH_STUBS_DIR) / scenario / "libtorch_python.so";
}

/// A driver that supports CUDA `cuda`, version `version`, with one GPU.
inline system::CudaDriver driver(const std::string& cuda, const std::string& version,
                                 const std::string& gpu = "NVIDIA GeForce RTX 3090",
                                 const std::string& capability = "8.6") {
    system::CudaDriver d;
    d.cuda_version = cuda;
    d.driver_version = version;
    d.source = "NVML (stub)";
    d.gpus.push_back({gpu, capability});
    return d;
}

/// An environment `-n t` at /envs/t with `packages` packages.
inline EnvironmentFacts environment(std::size_t packages = 10) {
    EnvironmentFacts env;
    env.prefix = "/envs/t";
    env.selector = "-n t";
    env.package_count = packages;
    return env;
}

/// The findings of `check` in `findings`.
inline std::vector<Finding> of(const std::vector<Finding>& findings, const std::string& check) {
    std::vector<Finding> out;
    for (const auto& f : findings) {
        if (f.check == check) {
            out.push_back(f);
        }
    }
    return out;
}

/// The one finding of `check`; fails the test when there is not exactly one.
inline Finding one(const std::vector<Finding>& findings, const std::string& check) {
    const auto all = of(findings, check);
    if (all.size() != 1) {
        ADD_FAILURE() << "expected one '" << check << "' finding, got " << all.size();
        return {};
    }
    return all.front();
}

}  // namespace cenv::doctor::testing

#pragma once
// What a diagnosis looks at, gathered once (doctor.hpp) and then judged by the checks
// (checks.hpp), which are pure functions of these values: tests build Facts directly.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "channels/mirror_probe.hpp"
#include "doctor/gpu_arch.hpp"
#include "doctor/library_path.hpp"
#include "doctor/nvcc.hpp"
#include "doctor/torch_build.hpp"
#include "solver/variant_table.hpp"
#include "system/cuda.hpp"

namespace cenv::doctor {

/// The CUDA runtime an environment holds, and what says so.
struct RuntimeFacts {
    solver::CudaRelease release;
    /// "conda cuda-version 12.1", "pip nvidia-cuda-runtime-cu12 12.1.105",
    /// "built into pip torch 2.1.0+cu121".
    std::string source;
};

/// The GPU architectures of the environment's torch, and where they were read.
struct TorchArchFacts {
    std::optional<ArchList> archs;
    /// "lib/python3.10/site-packages/torch/lib/libtorch_python.so" when read from the library,
    /// "cenv's table of pytorch.org CUDA 12.1 builds" when looked up; empty when unknown.
    std::string source;
    std::string failure;    ///< why the library could not be read, when it could not
    std::string reference;  ///< for a list from the table: where the table has it from
};

struct EnvironmentFacts {
    std::filesystem::path prefix;
    /// How commands name it in fixes: "-n comfy" (under an envs directory) or "-p /x/env".
    std::string selector;
    std::size_t package_count = 0;
    std::optional<RuntimeFacts> runtime;
    /// Every installed copy of torch: conda's record first, then pip's distributions.
    std::vector<TorchBuild> torch;
    std::optional<TorchVersionFile> torch_file;  ///< what `import torch` would load
    TorchArchFacts torch_archs;
    /// The CUDA library files of the environment (prefix/lib, pip's nvidia/*/lib).
    std::vector<std::string> cuda_libraries;
    /// What could not be read ("conda-meta/x.json: not valid JSON", a broken dist-info).
    std::vector<std::string> problems;
};

struct MirrorFacts {
    bool checked = false;
    std::string skipped_because;  ///< when not checked: "--offline", ...
    std::vector<channels::ProbeTarget> targets;
    std::vector<channels::ProbeResult> results;  ///< best first, when checked
};

struct Facts {
    system::CudaDetection cuda;
    /// An override of `__cuda` in force: the variable and its value ("" means no GPU).
    std::optional<std::pair<std::string, std::string>> cuda_override;
    std::optional<EnvironmentFacts> environment;
    std::optional<NvccFacts> nvcc;  ///< nullopt: no nvcc on PATH
    std::string ld_library_path;
    std::vector<LibraryDir> library_dirs;  ///< LD_LIBRARY_PATH's directories with CUDA libraries
    MirrorFacts mirrors;
};

}  // namespace cenv::doctor

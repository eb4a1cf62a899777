#pragma once
// Making an environment's CUDA runtime the one that is used, and telling when the driver
// cannot run it.
//
// LD_LIBRARY_PATH is searched before the RUNPATH of the environment's libraries, so a
// directory of another CUDA installation listed there makes programs load the wrong
// libcudart / libcublas. While an environment with a CUDA runtime is active, LD_LIBRARY_PATH
// loses the directories that belong to another CUDA runtime:
//
//   - a directory inside a CUDA installation: a path component `cuda`, `cuda-<digit>...` or
//     `cuda<digit>...` (/usr/local/cuda/lib64, /usr/local/cuda-11.8/lib64, /opt/cuda12.1/lib,
//     /usr/local/cuda/extras/CUPTI/lib64), whether or not it exists;
//   - the lib directory of another conda environment that holds a CUDA runtime (found by its
//     conda-meta, up to three levels above the entry);
//   - any other directory that holds a `libcudart.so*`.
//
// Kept always: the environment's own directories, and directories holding the driver
// (`libcuda.so.1`: /usr/local/nvidia/lib64 in containers, CUDA's forward-compatibility
// `compat` folder, WSL's /usr/lib/wsl/lib) — the driver must stay found. When a kept
// directory holds other NVIDIA CUDA libraries (libcudnn, libcublas, libnccl, ...), the
// environment's `lib` is put first so that its own copies win. Nothing else changes, and an
// unset or empty LD_LIBRARY_PATH stays as it is.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "install/prefix_cuda.hpp"
#include "solver/variant_table.hpp"
#include "system/cuda.hpp"

namespace cenv::shell {

/// LD_LIBRARY_PATH while `prefix` (holding a CUDA runtime) is active, from its value
/// `current` (nullopt: unset). nullopt when every entry was taken out.
std::optional<std::string> cuda_library_path(const std::optional<std::string>& current,
                                             const std::filesystem::path& prefix);

/// One line when `driver` cannot run `runtime` (the driver supports an older CUDA major
/// release: minor-version compatibility runs a newer minor release of the same major):
/// "NVIDIA driver 520.61.05 supports CUDA 11.8, but environment 'x' uses CUDA 12.1
/// (cuda-cudart 12.1.105), which needs driver >= 530.30.02 (...)". nullopt when it can.
std::optional<std::string> driver_mismatch(
    const install::CudaRuntime& runtime, const system::CudaDriver& driver,
    std::string_view environment,
    const solver::VariantTable& table = solver::VariantTable::builtin());

}  // namespace cenv::shell

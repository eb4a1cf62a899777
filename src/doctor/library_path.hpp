#pragma once
// CUDA libraries on LD_LIBRARY_PATH that hide the environment's own.
//
// The dynamic loader searches LD_LIBRARY_PATH before a library's RUNPATH (and before the
// system's directories), so `export LD_LIBRARY_PATH=/usr/local/cuda-11.8/lib64:...`, left
// over from a system CUDA install, makes programs load that libcudart / libcublas / libcudnn
// instead of the environment's: extensions built against the environment, libraries that
// dlopen CUDA by name (cupy, jax, TensorFlow), anything linked with RUNPATH. Only DT_RPATH
// (which conda-forge and PyTorch's wheels use) is searched before it.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "solver/variant_table.hpp"

namespace cenv::doctor {

/// The CUDA libraries in `dir`: file names such as `libcudart.so.12`, `libcublas.so.12.1.3.1`,
/// `libcudnn.so.8` (the runtime and the math, DNN and communication libraries; not the
/// driver's libcuda / libnvidia-ml), sorted. None when `dir` cannot be read.
std::vector<std::string> cuda_libraries_in(const std::filesystem::path& dir);

/// The CUDA release of a libcudart among `libraries` (`libcudart.so.11.8.89` -> 11.8); nullopt
/// when only the soname link (`libcudart.so.12`) is there.
std::optional<solver::CudaRelease> cudart_release(const std::vector<std::string>& libraries);

/// One LD_LIBRARY_PATH directory that holds CUDA libraries.
struct LibraryDir {
    std::filesystem::path dir;
    bool in_environment = false;  ///< inside the environment's prefix
    std::vector<std::string> cuda_libraries;
    std::optional<solver::CudaRelease> cudart;
};

/// The directories of `ld_library_path` (colon-separated; empty entries, which mean the
/// current directory, are skipped) that hold CUDA libraries, in search order. `prefix` may be
/// empty (no environment).
std::vector<LibraryDir> scan_library_path(std::string_view ld_library_path,
                                          const std::filesystem::path& prefix);

/// A directory outside the environment that comes first for some of the environment's CUDA
/// libraries.
struct Shadowing {
    std::filesystem::path dir;
    std::optional<solver::CudaRelease> cudart;
    std::vector<std::string> libraries;  ///< the environment's file names it provides first
};

/// The directories of `path_dirs` (scan_library_path's result) outside the environment that
/// provide a file name of `environment_libraries` before any directory of the environment
/// on the path does.
std::vector<Shadowing> find_shadowing(const std::vector<LibraryDir>& path_dirs,
                                      const std::vector<std::string>& environment_libraries);

/// `ld_library_path` without the directories in `remove`, for the fix ("" when none is left).
std::string library_path_without(std::string_view ld_library_path,
                                 const std::vector<std::filesystem::path>& remove);

}  // namespace cenv::doctor

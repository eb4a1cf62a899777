#pragma once
// Asking a driver library what it supports, in an isolated child process.

#include <chrono>
#include <optional>
#include <string>

#include "system/cuda.hpp"

namespace cenv::system {

/// What one detection method found.
struct ProbeResult {
    std::optional<CudaDriver> driver;  ///< set on success, with `source` filled in
    std::string failure;  ///< why it failed, for the log ("cuInit(0) returned 100 ...")
    std::string loaded;   ///< the file the library was loaded from, when it was
};

/// NVML: loads `library` (a path, or a soname for the loader's own search) in a child process
/// and asks it for the CUDA version, the driver version and the GPUs.
ProbeResult probe_nvml(const std::string& library, std::chrono::milliseconds timeout);

/// The CUDA driver API: loads `library` in a child process without CUDA_VISIBLE_DEVICES,
/// calls cuInit(0), cuDriverGetVersion and the device queries. The driver version comes from
/// the name of the file the library resolves to.
ProbeResult probe_libcuda(const std::string& library, std::chrono::milliseconds timeout);

/// The driver version in a driver library's real file name: "535.104.05" for
/// ".../libcuda.so.535.104.05"; empty when the name carries none (libcuda.so.1).
std::string driver_version_from_library_name(std::string_view filename);

}  // namespace cenv::system

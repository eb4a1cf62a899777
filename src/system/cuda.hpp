#pragma once
// The NVIDIA driver on this machine: the highest CUDA version it supports (conda's `__cuda`),
// its own version and its GPUs.
//
// Three methods, first success wins:
//   1. NVML, `libnvidia-ml.so.1`: nvmlInit_v2, nvmlSystemGetCudaDriverVersion_v2,
//      nvmlSystemGetDriverVersion, and per device its name and compute capability.
//      NVML does not depend on CUDA_VISIBLE_DEVICES.
//   2. The driver API, `libcuda.so.1`: cuInit(0), cuDriverGetVersion, and per device
//      cuDeviceGetName and the compute capability attributes (75, 76). CUDA_VISIBLE_DEVICES is
//      unset for the probe, as conda does. The driver version is read from the name of the
//      file libcuda.so.1 resolves to (`libcuda.so.535.104.05`).
//   3. `nvidia-smi`: "CUDA Version: 12.2" and "Driver Version: ..." from its summary table,
//      then `--query-gpu=driver_version,name,compute_cap --format=csv,noheader` for the GPUs.
// Each library is loaded and called in a forked child process and each nvidia-smi run is a
// child process, all killed when they overrun DetectOptions::timeout: a driver that crashes
// or hangs on a broken setup makes that method fail, never cenv.
//
// CUDA versions are encoded by the driver as major*1000 + minor*10: 12020 is "12.2".

#include <optional>
#include <string>
#include <vector>

#include "system/detect_options.hpp"

namespace cenv::system {

struct Gpu {
    std::string name;                ///< "NVIDIA GeForce RTX 3090"
    std::string compute_capability;  ///< "8.6"; empty when the method could not tell

    friend bool operator==(const Gpu&, const Gpu&) = default;
};

struct CudaDriver {
    std::string cuda_version;    ///< the highest CUDA the driver supports, "12.2"
    std::string driver_version;  ///< "535.104.05"; empty when the method could not tell
    std::vector<Gpu> gpus;
    std::string source;  ///< how it was found: "NVML (/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1)"

    friend bool operator==(const CudaDriver&, const CudaDriver&) = default;
};

/// A detection with its story, for `cenv info` / `cenv doctor`.
struct CudaDetection {
    std::optional<CudaDriver> driver;  ///< nullopt: no usable driver (never "__cuda=0")
    /// One line per step, in order: "NVML (/x/libnvidia-ml.so.1): nvmlInit_v2 returned 9
    /// (NVML_ERROR_DRIVER_NOT_LOADED)", "libcuda (libcuda.so.1): timed out after 5000 ms",
    /// "cache: hit (/home/u/.cenv/cache/cuda)".
    std::vector<std::string> log;
    bool from_cache = false;
};

/// "12.2" for the driver's encoding 12020 (major*1000 + minor*10).
std::string format_cuda_version(int encoded);

/// Detects the driver as described above, through the cache when one is configured. Reads no
/// override variables: this is what the machine has (see detect_virtual_packages for `__cuda`).
CudaDetection detect_cuda_detailed(const DetectOptions& options);

/// The driver as an earlier detection cached it (`options.cache_file`), loading no library
/// and running nothing: only the driver libraries' identity is checked (their files are
/// found and stat'ed). For callers that must stay fast, such as shell activation. nullopt
/// when there is no cache file, it is stale or unreadable, or no driver library is found.
std::optional<CudaDriver> cached_cuda_driver(const DetectOptions& options);

/// `detect_cuda_detailed(options).driver`.
std::optional<CudaDriver> detect_cuda(const DetectOptions& options);

}  // namespace cenv::system

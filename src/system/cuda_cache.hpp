#pragma once
// The detected driver kept between runs, valid while the driver libraries are the same files.
//
// The key ("identity") is one line per driver library that detection would load, naming its
// path, the file it resolves to, that file's size, mtime (ns) and inode, plus the boot id:
// a driver update replaces the versioned file (libcuda.so.535.104.05 -> ...550...), a reboot
// may change the GPUs. The file is text:
//
//     cenv-cuda-cache 1
//     identity nvml /usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1
//     /usr/lib/.../libnvidia-ml.so.535.104.05 1234 1700000000000000000 42 identity libcuda -
//     identity boot 621b33c9-67ac-494e-bf4e-4122f82b3123
//     cuda 12.2
//     ... (the rest of the driver record, see driver_record.hpp)
//
// and is replaced atomically (a temporary file renamed over it).

#include <filesystem>
#include <optional>
#include <string>

#include "system/cuda.hpp"

namespace cenv::system {

/// The identity of the driver libraries found (either may be absent); empty when neither was
/// found (nothing to key a cache on) or a path cannot be written on one line.
std::string driver_identity(const std::optional<std::filesystem::path>& nvml,
                            const std::optional<std::filesystem::path>& libcuda);

enum class CacheState { missing, corrupt, stale, hit };

struct CacheLookup {
    CacheState state = CacheState::missing;
    std::optional<CudaDriver> driver;  ///< set when state == hit
};

/// Reads `file`; a hit only when it is well-formed and its identity equals `identity`.
CacheLookup read_cuda_cache(const std::filesystem::path& file, const std::string& identity);

/// Writes `driver` under `identity` to `file` atomically, creating its directory.
/// Throws SystemError naming the file when it cannot.
void write_cuda_cache(const std::filesystem::path& file, const std::string& identity,
                      const CudaDriver& driver);

}  // namespace cenv::system

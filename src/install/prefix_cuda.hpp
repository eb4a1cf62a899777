#pragma once
// Which CUDA runtime an environment holds, read from its package records: what shell
// activation matches against the driver (CUDA_HOME, the driver warning) and what
// `cenv doctor` reports. Pure: it looks at names and versions, nothing else.
//
// The records that carry a CUDA runtime, in the order they are believed (the first one
// present decides), most direct evidence of the libcudart the environment loads first:
//
//   cuda-cudart    NVIDIA's runtime library (nvidia channel; conda-forge for CUDA >= 12)  12.1.105
//   cudatoolkit    the whole toolkit in one package (CUDA <= 11: defaults, conda-forge)   11.8.0
//   cuda-runtime   the nvidia channel's runtime metapackage                                12.1.0
//   cuda-version   the CUDA release conda-forge and the nvidia channel constrain to        12.1
//   pytorch-cuda   the pytorch channel's metapackage behind its CUDA builds                12.1
//
// They agree in a consistent environment (cuda-version constrains cuda-cudart, pytorch-cuda
// depends on cuda-runtime); the order only matters for a broken one, where the library
// itself is the truth. Environments whose CUDA libraries come from pip wheels
// (`nvidia-cuda-runtime-cu12`) have no such record: a caller that reads `.dist-info` adds them.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "install/pip_packages.hpp"
#include "specs/package_record.hpp"

namespace cenv::install {

struct CudaRuntime {
    int major = 0;
    int minor = 0;
    std::string package;  ///< the record it was read from: "cuda-cudart"
    std::string version;  ///< that record's version: "12.1.105"

    /// The release as CUDA names it: "12.1".
    [[nodiscard]] std::string release() const;

    friend bool operator==(const CudaRuntime&, const CudaRuntime&) = default;
};

/// The package names above, in the order they are believed.
std::span<const std::string_view> cuda_runtime_packages() noexcept;

/// The CUDA runtime of an environment with these records (any order); nullopt when none of
/// them is a CUDA runtime record with a `major.minor...` version ("12" reads as 12.0).
std::optional<CudaRuntime> prefix_cuda_runtime(std::span<const specs::PackageRecord> records);

/// The CUDA runtime pip put in an environment: NVIDIA's runtime wheel, which PyTorch's CUDA
/// wheels depend on, named for its CUDA major release (`nvidia-cuda-runtime-cu12 12.1.105`,
/// `-cu11`; CUDA 13's is `nvidia-cuda-runtime`), its version the runtime's; nullopt without
/// one. `package` is the distribution's name.
std::optional<CudaRuntime> pip_cuda_runtime(std::span<const PythonDistribution> distributions);

}  // namespace cenv::install

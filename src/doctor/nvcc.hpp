#pragma once
// The CUDA compiler on PATH, as `nvcc -V` reports it:
//
//     nvcc: NVIDIA (R) Cuda compiler driver
//     Cuda compilation tools, release 12.1, V12.1.105
//
// It is the toolkit that builds CUDA extensions (flash-attn, apex, a project's own kernels)
// against the environment's torch: PyTorch refuses a different major release and warns about
// a different minor one. It says nothing about what the driver can run.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "solver/variant_table.hpp"

namespace cenv::doctor {

struct NvccFacts {
    std::filesystem::path path;                  ///< the nvcc that PATH finds
    std::optional<solver::CudaRelease> release;  ///< "release 12.1"; nullopt when unread
    std::string version;                         ///< "12.1.105" (the `V` part), when given
    std::string failure;  ///< why it could not be read: "timed out after 3000 ms", ...
};

/// The release and full version in `nvcc -V` output; nullopt without a "release X.Y" line.
std::optional<NvccFacts> parse_nvcc_version(std::string_view output);

/// Runs `nvcc -V` (the first nvcc on PATH) in a child process limited to `timeout`; nullopt
/// when PATH has no nvcc. A run that fails or says nothing readable is a result with
/// `failure` set.
std::optional<NvccFacts> probe_nvcc(std::chrono::milliseconds timeout);

}  // namespace cenv::doctor

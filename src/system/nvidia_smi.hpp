#pragma once
// The last resort: asking `nvidia-smi`, with a deadline.
//
// Its summary table starts with a line such as
//     | NVIDIA-SMI 535.104.05   Driver Version: 535.104.05   CUDA Version: 12.2     |
// whose "CUDA Version" is the driver's (what `__cuda` carries). The GPUs come from
//     nvidia-smi --query-gpu=driver_version,name,compute_cap --format=csv,noheader
//     535.104.05, NVIDIA GeForce RTX 3090, 8.6
// (`compute_cap` exists since driver 510; older drivers get the query without it).

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "system/cuda.hpp"
#include "system/driver_probe.hpp"

namespace cenv::system {

/// The CUDA and driver versions of nvidia-smi's summary table; nullopt without a valid
/// "CUDA Version: X.Y" (an old driver, or "No devices were found").
std::optional<CudaDriver> parse_nvidia_smi_summary(std::string_view output);

/// The GPUs of a `--query-gpu=driver_version,name[,compute_cap] --format=csv,noheader` answer,
/// one per line; `with_compute_capability` says whether the last column is compute_cap.
/// Lines that do not have the expected columns are skipped.
std::vector<Gpu> parse_nvidia_smi_gpus(std::string_view csv, bool with_compute_capability);

/// `name` if it contains a slash, else the first executable `name` on PATH.
std::optional<std::filesystem::path> find_program(std::string_view name);

/// Runs `program` as nvidia-smi (summary, then the GPU query), each run limited to `timeout`,
/// without CUDA_VISIBLE_DEVICES.
ProbeResult probe_nvidia_smi(const std::filesystem::path& program,
                             std::chrono::milliseconds timeout);

}  // namespace cenv::system

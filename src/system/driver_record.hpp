#pragma once
// The text form of a CudaDriver, one fact per line, used between a probe's child process and
// cenv and in the cache file:
//
//     cuda 12.2
//     driver 535.104.05
//     source NVML (/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1)
//     gpu 8.6 NVIDIA GeForce RTX 3090
//     gpu - Some GPU whose compute capability is unknown

#include <optional>
#include <string>
#include <string_view>

#include "system/cuda.hpp"

namespace cenv::system {

/// The record of `driver`; newlines inside values become spaces.
std::string format_driver_record(const CudaDriver& driver);

/// The driver of a record, or nullopt when a line has an unknown key or a malformed value,
/// or the `cuda` line is missing. Blank lines are ignored.
std::optional<CudaDriver> parse_driver_record(std::string_view text);

/// Whether `s` is a version made of two dot-separated numbers ("12.2", "8.6").
bool is_major_minor(std::string_view s);

}  // namespace cenv::system

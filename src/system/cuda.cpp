#include "system/cuda.hpp"

#include <fmt/format.h>

#include "system/cuda_cache.hpp"
#include "system/driver_probe.hpp"
#include "system/error.hpp"
#include "system/library_search.hpp"
#include "system/nvidia_smi.hpp"

namespace cenv::system {

namespace {

constexpr std::string_view kNvml = "libnvidia-ml.so.1";
constexpr std::string_view kLibcuda = "libcuda.so.1";

std::string joined(const std::vector<std::filesystem::path>& dirs) {
    std::string out;
    for (const auto& dir : dirs) {
        if (!out.empty()) {
            out += ':';
        }
        out += dir.string();
    }
    return out;
}

/// Runs one library method: the file found, or the loader's own search when no directories
/// were given. Returns true when it found the driver.
bool try_library(CudaDetection& detection, const DetectOptions& options, std::string_view method,
                 std::string_view soname, const std::optional<std::filesystem::path>& found,
                 ProbeResult (*probe)(const std::string&, std::chrono::milliseconds)) {
    if (!found && !options.library_dirs.empty()) {
        detection.log.push_back(
            fmt::format("{}: no {} in {}", method, soname, joined(options.library_dirs)));
        return false;
    }
    const std::string library = found ? found->string() : std::string(soname);
    ProbeResult result = probe(library, options.timeout);
    const std::string where = result.loaded.empty() ? library : result.loaded;
    if (result.driver) {
        detection.log.push_back(
            fmt::format("{} ({}): CUDA {}", method, where, result.driver->cuda_version));
        detection.driver = std::move(result.driver);
        return true;
    }
    detection.log.push_back(fmt::format("{} ({}): {}", method, where, result.failure));
    return false;
}

}  // namespace

std::string format_cuda_version(int encoded) {
    return fmt::format("{}.{}", encoded / 1000, (encoded % 1000) / 10);
}

CudaDetection detect_cuda_detailed(const DetectOptions& options) {
    CudaDetection detection;
    const auto& dirs = options.library_dirs.empty() ? loader_search_dirs() : options.library_dirs;
    const auto nvml = find_library(kNvml, dirs);
    const auto libcuda = find_library(kLibcuda, dirs);

    std::string identity;
    if (!options.cache_file.empty()) {
        identity = driver_identity(nvml, libcuda);
        const std::string file = options.cache_file.string();
        if (identity.empty()) {
            detection.log.push_back(
                fmt::format("cache ({}): not used, no driver library to key it on", file));
        } else {
            CacheLookup lookup = read_cuda_cache(options.cache_file, identity);
            switch (lookup.state) {
                case CacheState::hit:
                    detection.log.push_back(fmt::format("cache ({}): hit", file));
                    detection.driver = std::move(lookup.driver);
                    detection.from_cache = true;
                    return detection;
                case CacheState::missing:
                    detection.log.push_back(fmt::format("cache ({}): none yet", file));
                    break;
                case CacheState::corrupt:
                    detection.log.push_back(fmt::format("cache ({}): unreadable, ignored", file));
                    break;
                case CacheState::stale:
                    detection.log.push_back(
                        fmt::format("cache ({}): the driver libraries changed", file));
                    break;
            }
        }
    }

    bool found = try_library(detection, options, "NVML", kNvml, nvml, probe_nvml) ||
                 try_library(detection, options, "libcuda", kLibcuda, libcuda, probe_libcuda);
    if (!found) {
        if (const auto smi = find_program(options.nvidia_smi)) {
            ProbeResult result = probe_nvidia_smi(*smi, options.timeout);
            if (result.driver) {
                detection.log.push_back(fmt::format("nvidia-smi ({}): CUDA {}", smi->string(),
                                                    result.driver->cuda_version));
                detection.driver = std::move(result.driver);
                found = true;
            } else {
                detection.log.push_back(
                    fmt::format("nvidia-smi ({}): {}", smi->string(), result.failure));
            }
        } else {
            detection.log.push_back(fmt::format("nvidia-smi: '{}' not found", options.nvidia_smi));
        }
    }

    if (found && !identity.empty()) {
        try {
            write_cuda_cache(options.cache_file, identity, *detection.driver);
            detection.log.push_back(
                fmt::format("cache ({}): written", options.cache_file.string()));
        } catch (const SystemError& e) {
            detection.log.push_back(e.what());  // the detection stands; only the cache failed
        }
    }
    return detection;
}

std::optional<CudaDriver> cached_cuda_driver(const DetectOptions& options) {
    if (options.cache_file.empty()) {
        return std::nullopt;
    }
    const auto& dirs = options.library_dirs.empty() ? loader_search_dirs() : options.library_dirs;
    const std::string identity =
        driver_identity(find_library(kNvml, dirs), find_library(kLibcuda, dirs));
    if (identity.empty()) {
        return std::nullopt;
    }
    return read_cuda_cache(options.cache_file, identity).driver;
}

std::optional<CudaDriver> detect_cuda(const DetectOptions& options) {
    return detect_cuda_detailed(options).driver;
}

}  // namespace cenv::system

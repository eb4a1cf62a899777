#include "system/driver_probe.hpp"

#include <dlfcn.h>
#include <link.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "system/driver_record.hpp"
#include "system/error.hpp"
#include "system/isolated.hpp"
#include "util/strings.hpp"

namespace cenv::system {

namespace {

// ---- what runs in the child -------------------------------------------------------------

/// Writes "key value\n" to the parent.
void emit(int fd, std::string_view key, std::string_view value) {
    write_all(fd, fmt::format("{} {}\n", key, value));
}

template <typename Fn>
Fn symbol(void* handle, const char* name) {
    return reinterpret_cast<Fn>(::dlsym(handle, name));
}

template <typename Fn>
Fn symbol(void* handle, const char* name, const char* fallback) {
    Fn fn = symbol<Fn>(handle, name);
    return fn != nullptr ? fn : symbol<Fn>(handle, fallback);
}

/// Loads `library`, reporting where from; nullptr (and an error line) when it cannot.
void* load(int fd, const std::string& library) {
    void* handle = ::dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = ::dlerror();
        emit(fd, "error", fmt::format("cannot load it: {}", why != nullptr ? why : "unknown"));
        return nullptr;
    }
    link_map* map = nullptr;
    if (::dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map != nullptr && map->l_name != nullptr &&
        map->l_name[0] != '\0') {
        emit(fd, "loaded", map->l_name);
    } else {
        emit(fd, "loaded", library);
    }
    return handle;
}

std::string nvml_error(int code) {
    const char* name = nullptr;
    switch (code) {
        case 1:
            name = "NVML_ERROR_UNINITIALIZED";
            break;
        case 3:
            name = "NVML_ERROR_NOT_SUPPORTED";
            break;
        case 4:
            name = "NVML_ERROR_NO_PERMISSION";
            break;
        case 6:
            name = "NVML_ERROR_NOT_FOUND";
            break;
        case 9:
            name = "NVML_ERROR_DRIVER_NOT_LOADED";
            break;
        case 12:
            name = "NVML_ERROR_LIBRARY_NOT_FOUND";
            break;
        case 13:
            name = "NVML_ERROR_FUNCTION_NOT_FOUND";
            break;
        case 15:
            name = "NVML_ERROR_GPU_IS_LOST";
            break;
        case 17:
            name = "NVML_ERROR_OPERATING_SYSTEM";
            break;
        case 18:
            name = "NVML_ERROR_LIB_RM_VERSION_MISMATCH";
            break;
        case 999:
            name = "NVML_ERROR_UNKNOWN";
            break;
        default:
            break;
    }
    return name != nullptr ? fmt::format("{} ({})", code, name) : std::to_string(code);
}

std::string cuda_error(int code) {
    const char* name = nullptr;
    switch (code) {
        case 2:
            name = "CUDA_ERROR_OUT_OF_MEMORY";
            break;
        case 3:
            name = "CUDA_ERROR_NOT_INITIALIZED";
            break;
        case 34:
            name = "CUDA_ERROR_STUB_LIBRARY";
            break;
        case 35:
            name = "CUDA_ERROR_INSUFFICIENT_DRIVER";
            break;
        case 100:
            name = "CUDA_ERROR_NO_DEVICE";
            break;
        case 101:
            name = "CUDA_ERROR_INVALID_DEVICE";
            break;
        case 304:
            name = "CUDA_ERROR_OPERATING_SYSTEM";
            break;
        case 803:
            name = "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH";
            break;
        case 999:
            name = "CUDA_ERROR_UNKNOWN";
            break;
        default:
            break;
    }
    return name != nullptr ? fmt::format("{} ({})", code, name) : std::to_string(code);
}

void nvml_child(int fd, const std::string& library) {
    using Init = int (*)();
    using GetInt = int (*)(int*);
    using GetText = int (*)(char*, unsigned);
    using GetCount = int (*)(unsigned*);
    using GetHandle = int (*)(unsigned, void**);
    using DeviceText = int (*)(void*, char*, unsigned);
    using DeviceCc = int (*)(void*, int*, int*);

    void* lib = load(fd, library);
    if (lib == nullptr) {
        return;
    }
    const auto init = symbol<Init>(lib, "nvmlInit_v2", "nvmlInit");
    const auto shutdown = symbol<Init>(lib, "nvmlShutdown");
    const auto cuda_version =
        symbol<GetInt>(lib, "nvmlSystemGetCudaDriverVersion_v2", "nvmlSystemGetCudaDriverVersion");
    if (init == nullptr || cuda_version == nullptr) {
        emit(fd, "error",
             init == nullptr ? "it has no nvmlInit_v2"
                             : "it has no nvmlSystemGetCudaDriverVersion_v2 (a driver before 418)");
        return;
    }
    if (const int rc = init(); rc != 0) {
        emit(fd, "error", "nvmlInit_v2 returned " + nvml_error(rc));
        return;
    }
    CudaDriver driver;
    int encoded = 0;
    if (const int rc = cuda_version(&encoded); rc != 0 || encoded <= 0) {
        emit(fd, "error", "nvmlSystemGetCudaDriverVersion_v2 returned " + nvml_error(rc));
        if (shutdown != nullptr) {
            shutdown();
        }
        return;
    }
    driver.cuda_version = format_cuda_version(encoded);
    if (const auto get = symbol<GetText>(lib, "nvmlSystemGetDriverVersion"); get != nullptr) {
        char text[96] = {};
        if (get(text, sizeof text - 1) == 0) {
            driver.driver_version = text;
        }
    }
    const auto count = symbol<GetCount>(lib, "nvmlDeviceGetCount_v2", "nvmlDeviceGetCount");
    const auto handle =
        symbol<GetHandle>(lib, "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex");
    const auto name = symbol<DeviceText>(lib, "nvmlDeviceGetName");
    const auto cc = symbol<DeviceCc>(lib, "nvmlDeviceGetCudaComputeCapability");
    unsigned devices = 0;
    if (count != nullptr && handle != nullptr && count(&devices) == 0) {
        for (unsigned i = 0; i < devices && i < 256; ++i) {
            void* device = nullptr;
            if (handle(i, &device) != 0) {
                continue;
            }
            Gpu gpu;
            char text[96] = {};
            if (name != nullptr && name(device, text, sizeof text - 1) == 0) {
                gpu.name = text;
            }
            int major = 0;
            int minor = 0;
            if (cc != nullptr && cc(device, &major, &minor) == 0) {
                gpu.compute_capability = fmt::format("{}.{}", major, minor);
            }
            driver.gpus.push_back(std::move(gpu));
        }
    }
    if (shutdown != nullptr) {
        shutdown();
    }
    write_all(fd, format_driver_record(driver));
}

void libcuda_child(int fd, const std::string& library) {
    using Init = int (*)(unsigned);
    using GetInt = int (*)(int*);
    using GetDevice = int (*)(int*, int);
    using DeviceName = int (*)(char*, int, int);
    using DeviceAttribute = int (*)(int*, int, int);
    constexpr int kComputeCapabilityMajor = 75;
    constexpr int kComputeCapabilityMinor = 76;

    // An empty or invalid CUDA_VISIBLE_DEVICES makes cuInit fail although the driver is fine.
    ::unsetenv("CUDA_VISIBLE_DEVICES");
    void* lib = load(fd, library);
    if (lib == nullptr) {
        return;
    }
    const auto init = symbol<Init>(lib, "cuInit");
    const auto version = symbol<GetInt>(lib, "cuDriverGetVersion");
    if (init == nullptr || version == nullptr) {
        emit(fd, "error", init == nullptr ? "it has no cuInit" : "it has no cuDriverGetVersion");
        return;
    }
    if (const int rc = init(0); rc != 0) {
        emit(fd, "error", "cuInit(0) returned " + cuda_error(rc));
        return;
    }
    int encoded = 0;
    if (const int rc = version(&encoded); rc != 0 || encoded <= 0) {
        emit(fd, "error", "cuDriverGetVersion returned " + cuda_error(rc));
        return;
    }
    CudaDriver driver;
    driver.cuda_version = format_cuda_version(encoded);
    const auto count = symbol<GetInt>(lib, "cuDeviceGetCount");
    const auto get = symbol<GetDevice>(lib, "cuDeviceGet");
    const auto name = symbol<DeviceName>(lib, "cuDeviceGetName");
    const auto attribute = symbol<DeviceAttribute>(lib, "cuDeviceGetAttribute");
    int devices = 0;
    if (count != nullptr && get != nullptr && count(&devices) == 0) {
        for (int i = 0; i < devices && i < 256; ++i) {
            int device = 0;
            if (get(&device, i) != 0) {
                continue;
            }
            Gpu gpu;
            char text[256] = {};
            if (name != nullptr && name(text, sizeof text - 1, device) == 0) {
                gpu.name = text;
            }
            int major = 0;
            int minor = 0;
            if (attribute != nullptr && attribute(&major, kComputeCapabilityMajor, device) == 0 &&
                attribute(&minor, kComputeCapabilityMinor, device) == 0) {
                gpu.compute_capability = fmt::format("{}.{}", major, minor);
            }
            driver.gpus.push_back(std::move(gpu));
        }
    }
    write_all(fd, format_driver_record(driver));
}

// ---- what runs in cenv -------------------------------------------------------------------

/// Runs `child` isolated and turns its lines into a ProbeResult named `method`.
ProbeResult run_probe(const std::string& method, const std::string& library,
                      std::chrono::milliseconds timeout, void (*child)(int, const std::string&)) {
    ProbeResult result;
    ChildResult run;
    try {
        run = run_in_child([&](int fd) { child(fd, library); }, timeout);
    } catch (const SystemError& e) {
        result.failure = e.what();
        return result;
    }
    std::string record;
    std::string error;
    for (const std::string_view line : util::split_any(run.output, "\n")) {
        if (line.starts_with("loaded ")) {
            result.loaded = std::string(line.substr(7));
        } else if (line.starts_with("error ")) {
            error = std::string(line.substr(6));
        } else {
            record.append(line).append("\n");
        }
    }
    const std::string where = result.loaded.empty() ? library : result.loaded;
    if (!run.ok()) {
        result.failure = fmt::format("the probe {} in the library", run.describe());
    } else if (!error.empty()) {
        result.failure = error;
    } else if (auto driver = parse_driver_record(record)) {
        driver->source = fmt::format("{} ({})", method, where);
        result.driver = std::move(driver);
    } else {
        result.failure = "the probe gave an unreadable answer";
    }
    return result;
}

}  // namespace

std::string driver_version_from_library_name(std::string_view filename) {
    const std::size_t so = filename.rfind(".so.");
    if (so == std::string_view::npos) {
        return {};
    }
    const std::string_view version = filename.substr(so + 4);
    // "1" is the soname's interface number, not a driver version: ask for N.N at least.
    if (version.find('.') == std::string_view::npos ||
        version.find_first_not_of("0123456789.") != std::string_view::npos ||
        version.front() == '.' || version.back() == '.') {
        return {};
    }
    return std::string(version);
}

ProbeResult probe_nvml(const std::string& library, std::chrono::milliseconds timeout) {
    return run_probe("NVML", library, timeout, nvml_child);
}

ProbeResult probe_libcuda(const std::string& library, std::chrono::milliseconds timeout) {
    ProbeResult result = run_probe("libcuda", library, timeout, libcuda_child);
    if (result.driver && result.driver->driver_version.empty() && !result.loaded.empty()) {
        std::error_code ec;
        const auto real = std::filesystem::canonical(result.loaded, ec);
        if (!ec) {
            result.driver->driver_version =
                driver_version_from_library_name(real.filename().string());
        }
    }
    return result;
}

}  // namespace cenv::system

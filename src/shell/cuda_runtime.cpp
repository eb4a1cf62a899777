#include "shell/cuda_runtime.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

#include "shell/path_list.hpp"
#include "specs/prefix_record.hpp"

namespace cenv::shell {

namespace {

namespace fs = std::filesystem;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// `cuda`, `cuda-11.8`, `cuda12.1`: the folder of a CUDA installation.
bool is_cuda_folder(std::string_view name) {
    if (!name.starts_with("cuda")) {
        return false;
    }
    name.remove_prefix(4);
    return name.empty() || is_digit(name[0]) ||
           (name.size() > 1 && name[0] == '-' && is_digit(name[1]));
}

bool has_cuda_component(const fs::path& dir) {
    return std::any_of(dir.begin(), dir.end(),
                       [](const fs::path& part) { return is_cuda_folder(part.native()); });
}

bool path_exists(const fs::path& path) {
    std::error_code ec;
    return fs::exists(path, ec);
}

// The conda environment `dir` lies in (up to three levels up: lib, lib64,
// targets/x86_64-linux/lib), if any.
std::optional<fs::path> enclosing_environment(const fs::path& dir) {
    fs::path at = dir;
    for (int level = 0; level < 4 && at.has_relative_path(); ++level) {
        std::error_code ec;
        if (fs::is_directory(at / "conda-meta", ec)) {
            return at;
        }
        at = at.parent_path();
    }
    return std::nullopt;
}

bool holds_cuda_runtime(const fs::path& prefix) {
    const auto records = specs::list_prefix_records(prefix);
    return install::prefix_cuda_runtime(records).has_value();
}

constexpr std::array<std::string_view, 10> kCudaLibraries{
    "libcublas", "libcudnn", "libnccl",      "libcufft",    "libcusparse",
    "libcurand", "libnvrtc", "libnvJitLink", "libcusolver", "libcupti"};

struct Contents {
    bool cudart = false;
    bool other_cuda = false;
};

// Which CUDA libraries `dir` holds (a missing or unreadable directory holds none).
Contents contents(const fs::path& dir) {
    Contents c;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.find(".so") == std::string::npos) {
            continue;
        }
        if (name.starts_with("libcudart.so")) {
            c.cudart = true;
        } else if (std::any_of(kCudaLibraries.begin(), kCudaLibraries.end(),
                               [&](std::string_view lib) {
                                   return name.starts_with(lib) && name.size() > lib.size() &&
                                          (name[lib.size()] == '.' || name[lib.size()] == '_');
                               })) {
            c.other_cuda = true;
        }
    }
    return c;
}

}  // namespace

std::optional<std::string> cuda_library_path(const std::optional<std::string>& current,
                                             const fs::path& prefix) {
    if (!current || current->empty()) {
        return current;
    }
    const fs::path own = prefix.lexically_normal();
    const std::string own_lib = (own / "lib").string();
    std::vector<std::string> kept;
    bool own_first_needed = false;
    for (const auto& entry : split_path_list(*current)) {
        fs::path dir = fs::path(entry).lexically_normal();
        if (dir.has_relative_path() && !dir.has_filename()) {
            dir = dir.parent_path();  // "a/b/" is "a/b"
        }
        const auto env = entry.empty() ? std::nullopt : enclosing_environment(dir);
        if (entry.empty() || (env && env->lexically_normal() == own) ||
            path_exists(dir / "libcuda.so.1")) {
            kept.push_back(entry);  // the current directory, ours, or the driver's
            continue;
        }
        if (env) {
            if (!holds_cuda_runtime(*env)) {
                kept.push_back(entry);
            }
            continue;
        }
        if (has_cuda_component(dir)) {
            continue;
        }
        const Contents c = contents(dir);
        if (c.cudart) {
            continue;
        }
        own_first_needed = own_first_needed || c.other_cuda;
        kept.push_back(entry);
    }
    if (own_first_needed) {
        std::erase(kept, own_lib);
        kept.insert(kept.begin(), own_lib);
    }
    if (kept.empty()) {
        return std::nullopt;
    }
    return join_path_list(kept);
}

std::optional<std::string> driver_mismatch(const install::CudaRuntime& runtime,
                                           const system::CudaDriver& driver,
                                           std::string_view environment,
                                           const solver::VariantTable& table) {
    const auto supported = solver::CudaRelease::parse(driver.cuda_version);
    if (!supported || supported->major >= runtime.major) {
        return std::nullopt;  // newer majors run older ones; a minor release runs within its major
    }
    const std::string release = runtime.release();
    std::string needs;
    const auto own = table.driver_for(release);
    const auto family = table.family_driver(release);
    if (own) {
        needs = fmt::format("driver >= {}", own->linux_driver);
        if (family && family->linux_driver != own->linux_driver) {
            needs += fmt::format(" (>= {} with minor-version compatibility)", family->linux_driver);
        }
    } else if (family) {
        needs = fmt::format("driver >= {}", family->linux_driver);
    } else {
        needs = fmt::format("a driver that supports CUDA {}", runtime.major);
    }
    return fmt::format(
        "NVIDIA driver {} supports CUDA {}, but environment '{}' uses CUDA {} ({} {}), which "
        "needs {}: update the driver or install a CUDA {} build",
        driver.driver_version.empty() ? std::string("(version unknown)") : driver.driver_version,
        driver.cuda_version, environment, release, runtime.package, runtime.version, needs,
        supported->str());
}

}  // namespace cenv::shell

#include "doctor/library_path.hpp"

#include <algorithm>
#include <array>

#include "util/strings.hpp"

namespace cenv::doctor {

namespace {

namespace fs = std::filesystem;

// The libraries an environment's CUDA runtime consists of (conda's cuda-* / cudnn / nccl
// packages, pip's nvidia-*-cu12 wheels): `lib<name>.so...`.
constexpr std::array<std::string_view, 14> kCudaLibraries = {
    "cudart",   "cublas", "cublasLt", "cudnn",     "cufft", "curand",     "cusolver",
    "cusparse", "nccl",   "nvrtc",    "nvJitLink", "cupti", "nvToolsExt", "cufile"};

bool is_cuda_library(std::string_view file) {
    if (!file.starts_with("lib")) {
        return false;
    }
    file.remove_prefix(3);
    return std::any_of(kCudaLibraries.begin(), kCudaLibraries.end(),
                       [&](std::string_view name) {
                           // `libcudnn.so.8` and `libcudnn_ops.so.9` (cuDNN's parts), not
                           // `libcudnnfoo`.
                           if (!file.starts_with(name)) {
                               return false;
                           }
                           const std::string_view rest = file.substr(name.size());
                           return rest.starts_with(".so") || rest.starts_with("_");
                       }) &&
           file.find(".so") != std::string_view::npos;
}

bool inside(const fs::path& dir, const fs::path& prefix) {
    if (prefix.empty()) {
        return false;
    }
    const fs::path d = dir.lexically_normal();
    const fs::path p = prefix.lexically_normal();
    auto it = d.begin();
    for (const auto& part : p) {
        if (part.empty()) {
            continue;  // the trailing "" of "/a/b/"
        }
        if (it == d.end() || *it != part) {
            return false;
        }
        ++it;
    }
    return true;
}

}  // namespace

std::vector<std::string> cuda_libraries_in(const fs::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (is_cuda_library(name)) {
            out.push_back(std::move(name));
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<solver::CudaRelease> cudart_release(const std::vector<std::string>& libraries) {
    constexpr std::string_view stem = "libcudart.so.";
    for (const auto& file : libraries) {
        const std::string_view rest =
            std::string_view(file).substr(file.starts_with(stem) ? stem.size() : file.size());
        // Three parts (11.8.89): the soname links (.so.11.0, .so.12) do not say the release.
        if (std::count(rest.begin(), rest.end(), '.') >= 2) {
            return solver::CudaRelease::parse(rest);
        }
    }
    return std::nullopt;
}

std::vector<LibraryDir> scan_library_path(std::string_view ld_library_path,
                                          const fs::path& prefix) {
    std::vector<LibraryDir> out;
    for (const std::string_view entry : util::split_any(ld_library_path, ":")) {
        LibraryDir dir;
        dir.dir = fs::path(entry);
        if (std::any_of(out.begin(), out.end(), [&](const auto& d) { return d.dir == dir.dir; })) {
            continue;
        }
        dir.cuda_libraries = cuda_libraries_in(dir.dir);
        if (dir.cuda_libraries.empty()) {
            continue;
        }
        dir.in_environment = inside(dir.dir, prefix);
        dir.cudart = cudart_release(dir.cuda_libraries);
        out.push_back(std::move(dir));
    }
    return out;
}

std::vector<Shadowing> find_shadowing(const std::vector<LibraryDir>& path_dirs,
                                      const std::vector<std::string>& environment_libraries) {
    std::vector<Shadowing> out;
    std::vector<std::string> settled;  // found first in the environment's own directory
    for (const auto& dir : path_dirs) {
        std::vector<std::string> first;
        for (const auto& file : dir.cuda_libraries) {
            const bool wanted =
                std::find(environment_libraries.begin(), environment_libraries.end(), file) !=
                environment_libraries.end();
            if (!wanted || std::find(settled.begin(), settled.end(), file) != settled.end()) {
                continue;
            }
            settled.push_back(file);
            if (!dir.in_environment) {
                first.push_back(file);
            }
        }
        if (!first.empty()) {
            out.push_back({dir.dir, dir.cudart, std::move(first)});
        }
    }
    return out;
}

std::string library_path_without(std::string_view ld_library_path,
                                 const std::vector<fs::path>& remove) {
    std::string out;
    for (const std::string_view entry : util::split_any(ld_library_path, ":")) {
        if (std::find(remove.begin(), remove.end(), fs::path(entry)) != remove.end()) {
            continue;
        }
        if (!out.empty()) {
            out += ':';
        }
        out += entry;
    }
    return out;
}

}  // namespace cenv::doctor

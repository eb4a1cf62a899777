#include "install/prefix_cuda.hpp"

#include <array>
#include <charconv>

namespace cenv::install {

namespace {

constexpr std::array<std::string_view, 5> kRuntimePackages{
    "cuda-cudart", "cudatoolkit", "cuda-runtime", "cuda-version", "pytorch-cuda"};

// The leading number of `text`, advancing it; nullopt when it does not start with a digit.
std::optional<int> leading_number(std::string_view& text) {
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{}) {
        return std::nullopt;
    }
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return value;
}

/// The runtime a package `name` of `version` stands for; nullopt for a version such as
/// "custom" (no release to match).
std::optional<CudaRuntime> runtime_of(const std::string& name, const std::string& version) {
    std::string_view text = version;
    const auto major = leading_number(text);
    if (!major) {
        return std::nullopt;
    }
    int minor = 0;
    if (text.starts_with('.')) {
        text.remove_prefix(1);
        minor = leading_number(text).value_or(0);
    }
    return CudaRuntime{*major, minor, name, version};
}

}  // namespace

std::string CudaRuntime::release() const {
    return std::to_string(major) + '.' + std::to_string(minor);
}

std::span<const std::string_view> cuda_runtime_packages() noexcept {
    return kRuntimePackages;
}

std::optional<CudaRuntime> prefix_cuda_runtime(std::span<const specs::PackageRecord> records) {
    for (const std::string_view name : kRuntimePackages) {
        for (const auto& record : records) {
            if (record.name != name) {
                continue;
            }
            if (auto runtime = runtime_of(record.name, record.version)) {
                return runtime;
            }
        }
    }
    return std::nullopt;
}

std::optional<CudaRuntime> pip_cuda_runtime(std::span<const PythonDistribution> distributions) {
    for (const auto& dist : distributions) {
        const std::string name = normalized_python_name(dist.name);
        if (name == "nvidia-cuda-runtime" ||
            (name.starts_with("nvidia-cuda-runtime-cu") && name.size() == 24)) {
            if (auto runtime = runtime_of(dist.name, dist.version)) {
                return runtime;
            }
        }
    }
    return std::nullopt;
}

}  // namespace cenv::install

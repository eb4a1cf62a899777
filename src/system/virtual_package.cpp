#include "system/virtual_package.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "system/archspec.hpp"
#include "system/cuda.hpp"
#include "system/error.hpp"
#include "system/linux.hpp"
#include "util/strings.hpp"

namespace cenv::system {

namespace {

struct Override {
    std::string variable;  ///< the variable that gave it, "CENV_OVERRIDE_CUDA"
    std::string value;     ///< trimmed; may be empty
};

std::optional<Override> find_override(const DetectOptions& options, std::string_view name) {
    for (const char* prefix : {"CENV_OVERRIDE_", "CONDA_OVERRIDE_"}) {
        const std::string variable = prefix + std::string(name);
        if (auto value = options.getenv(variable)) {
            return Override{variable, std::string(util::trim(*value))};
        }
    }
    return std::nullopt;
}

/// conda's version alphabet; the value must start with a letter or digit.
void check_version(const Override& o, std::string_view example) {
    const bool ok = std::isalnum(static_cast<unsigned char>(o.value.front())) != 0 &&
                    std::all_of(o.value.begin(), o.value.end(), [](char c) {
                        return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
                               std::string_view("._+!-").find(c) != std::string_view::npos;
                    });
    if (!ok) {
        throw SystemError(fmt::format("{}='{}' is not a version", o.variable, o.value),
                          fmt::format("set it to a version such as {}, or to an empty value to "
                                      "leave the virtual package out",
                                      example));
    }
}

}  // namespace

std::vector<VirtualPackage> detect_virtual_packages(const DetectOptions& options) {
    std::vector<VirtualPackage> packages;

    if (const auto o = find_override(options, "ARCHSPEC")) {
        if (!o->value.empty()) {
            packages.push_back({"__archspec", "1", o->value, "override " + o->variable});
        }
    } else {
        packages.push_back({"__archspec", "1", host_archspec(), "/proc/cpuinfo"});
    }

    if (const auto o = find_override(options, "CUDA")) {
        if (!o->value.empty()) {
            check_version(*o, "12.2");
            packages.push_back({"__cuda", o->value, "0", "override " + o->variable});
        }
    } else {
        const CudaDetection detection = detect_cuda_detailed(options);
        if (detection.driver) {
            std::string source = detection.driver->source;
            if (detection.from_cache) {
                source += fmt::format(", cached in {}", options.cache_file.string());
            }
            packages.push_back({"__cuda", detection.driver->cuda_version, "0", std::move(source)});
        }
    }

    if (const auto o = find_override(options, "GLIBC")) {
        if (!o->value.empty()) {
            check_version(*o, "2.17");
            packages.push_back({"__glibc", o->value, "0", "override " + o->variable});
        }
    } else if (const auto glibc = glibc_version()) {
        packages.push_back({"__glibc", *glibc, "0", "gnu_get_libc_version"});
    }

    if (const auto o = find_override(options, "LINUX")) {
        packages.push_back({"__linux", linux_version_from_release(o->value).value_or("0"), "0",
                            "override " + o->variable});
    } else {
        packages.push_back(
            {"__linux", linux_version_from_release(kernel_release()).value_or("0"), "0", "uname"});
    }

    packages.push_back({"__unix", "0", "0", "Linux"});

    std::sort(packages.begin(), packages.end(),
              [](const VirtualPackage& a, const VirtualPackage& b) { return a.name < b.name; });
    return packages;
}

}  // namespace cenv::system

#pragma once
// conda's virtual packages for this machine: what the solver may assume the system provides.
//
//   __archspec  1=<microarchitecture>   see archspec.hpp        override: build string
//   __cuda      <cuda>=0                only with a driver      override: version
//   __glibc     <major.minor>=0         gnu_get_libc_version    override: version
//   __linux     <kernel>=0              uname, see linux.hpp    override: version
//   __unix      0=0                     always (Linux)          no override
//
// Overrides come from CENV_OVERRIDE_<NAME>, else CONDA_OVERRIDE_<NAME> (CENV_ wins when set,
// even to an empty value); values are trimmed. As in conda, an empty override removes
// `__cuda`, `__glibc` and `__archspec`, and makes `__linux` version 0; an override of
// `__linux` that does not start with N.N also gives 0.

#include <string>
#include <vector>

#include "system/detect_options.hpp"

namespace cenv::system {

struct VirtualPackage {
    std::string name;     ///< "__cuda"
    std::string version;  ///< "12.2"
    std::string build;    ///< "0", or the microarchitecture for __archspec
    /// Where the value came from: "uname", "gnu_get_libc_version", "/proc/cpuinfo",
    /// "override CENV_OVERRIDE_CUDA", "NVML (/usr/lib/.../libnvidia-ml.so.1)", ...
    std::string source;

    /// conda's `name=version=build` form, e.g. "__cuda=12.2=0".
    [[nodiscard]] std::string str() const { return name + "=" + version + "=" + build; }

    friend bool operator==(const VirtualPackage&, const VirtualPackage&) = default;
};

/// The virtual packages of this machine, sorted by name (as `conda info` lists them).
/// Throws SystemError when an override of __cuda or __glibc is not a version.
std::vector<VirtualPackage> detect_virtual_packages(const DetectOptions& options);

}  // namespace cenv::system

#pragma once
// Facts about the running Linux system: the kernel (uname) and the C library (glibc).

#include <optional>
#include <string>
#include <string_view>

namespace cenv::system {

/// The kernel release as uname(2) reports it, e.g. "6.1.0-18-amd64".
std::string kernel_release();

/// The machine name as uname(2) reports it, e.g. "x86_64", "aarch64".
std::string machine_name();

/// conda's `__linux` version for a kernel release: its leading two to four numeric
/// components, the vendor suffix dropped. "6.1.0-18-amd64" -> "6.1.0",
/// "5.15.133.1-microsoft-standard-WSL2" -> "5.15.133.1", "6.8" -> "6.8".
/// nullopt when the release does not start with `N.N` (conda then uses "0").
std::optional<std::string> linux_version_from_release(std::string_view release);

/// The version of the glibc this process runs on, major.minor ("2.36"), from
/// gnu_get_libc_version(); nullopt where the C library is not glibc.
std::optional<std::string> glibc_version();

}  // namespace cenv::system

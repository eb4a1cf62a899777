#pragma once
// Platforms as conda names them in channels: the subdirs (`linux-64`, `noarch`, ...) that a
// channel URL or a match spec may end with, and the one this build of cenv runs on.
//
// The list is conda's `KNOWN_SUBDIRS` (conda/base/constants.py: "noarch" followed by
// `PLATFORMS`), as of conda 25.x.

#include <array>
#include <string_view>

namespace cenv::specs {

/// Every subdir conda knows, `noarch` first.
inline constexpr std::array<std::string_view, 19> known_subdirs{
    "noarch",        "emscripten-wasm32",
    "wasi-wasm32",   "freebsd-64",
    "linux-32",      "linux-64",
    "linux-aarch64", "linux-armv6l",
    "linux-armv7l",  "linux-ppc64",
    "linux-ppc64le", "linux-riscv64",
    "linux-s390x",   "osx-64",
    "osx-arm64",     "win-32",
    "win-64",        "win-arm64",
    "zos-z",
};

/// Whether `subdir` is one of known_subdirs (exact, case-sensitive: conda's are lower case).
[[nodiscard]] bool is_known_subdir(std::string_view subdir) noexcept;

/// The subdir of the machine this cenv was built for (`linux-64` on x86-64 Linux), from the
/// compiler's target macros; empty when the target is not one conda knows.
[[nodiscard]] std::string_view build_subdir() noexcept;

}  // namespace cenv::specs

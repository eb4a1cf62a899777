#include "specs/platform.hpp"

#include <algorithm>

namespace cenv::specs {

bool is_known_subdir(std::string_view subdir) noexcept {
    return std::find(known_subdirs.begin(), known_subdirs.end(), subdir) != known_subdirs.end();
}

std::string_view build_subdir() noexcept {
#if defined(__EMSCRIPTEN__)
    return "emscripten-wasm32";
#elif defined(__wasi__)
    return "wasi-wasm32";
#elif defined(__APPLE__)
#if defined(__aarch64__) || defined(__arm64__)
    return "osx-arm64";
#elif defined(__x86_64__)
    return "osx-64";
#else
    return {};
#endif
#elif defined(_WIN32)
#if defined(_M_ARM64) || defined(__aarch64__)
    return "win-arm64";
#elif defined(_WIN64)
    return "win-64";
#else
    return "win-32";
#endif
#elif defined(__FreeBSD__)
#if defined(__x86_64__)
    return "freebsd-64";
#else
    return {};
#endif
#elif defined(__linux__)
#if defined(__x86_64__)
    return "linux-64";
#elif defined(__aarch64__)
    return "linux-aarch64";
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
    return "linux-ppc64le";
#elif defined(__powerpc64__)
    return "linux-ppc64";
#elif defined(__s390x__)
    return "linux-s390x";
#elif defined(__riscv) && __riscv_xlen == 64
    return "linux-riscv64";
#elif defined(__i386__)
    return "linux-32";
#elif defined(__ARM_ARCH_7A__)
    return "linux-armv7l";
#elif defined(__ARM_ARCH_6__) || defined(__ARM_ARCH_6ZK__)
    return "linux-armv6l";
#else
    return {};
#endif
#elif defined(__MVS__)
    return "zos-z";
#else
    return {};
#endif
}

}  // namespace cenv::specs

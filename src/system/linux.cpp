#include "system/linux.hpp"

#include <sys/utsname.h>

#include <cctype>

#if defined(__GLIBC__)
#include <gnu/libc-version.h>
#endif

namespace cenv::system {

namespace {

bool is_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

/// The length of the run of digits at `pos`.
std::size_t digits_at(std::string_view s, std::size_t pos) {
    std::size_t n = 0;
    while (pos + n < s.size() && is_digit(s[pos + n])) {
        ++n;
    }
    return n;
}

/// The leading `N.N[.N[.N]]` of `s` with at least `min` and at most `max` components.
std::optional<std::string> leading_numeric(std::string_view s, int min, int max) {
    std::size_t end = digits_at(s, 0);
    if (end == 0) {
        return std::nullopt;
    }
    int components = 1;
    while (components < max && end < s.size() && s[end] == '.') {
        const std::size_t n = digits_at(s, end + 1);
        if (n == 0) {
            break;
        }
        end += 1 + n;
        ++components;
    }
    if (components < min) {
        return std::nullopt;
    }
    return std::string(s.substr(0, end));
}

}  // namespace

std::string kernel_release() {
    struct utsname names {};
    if (::uname(&names) != 0) {
        return {};
    }
    return names.release;
}

std::string machine_name() {
    struct utsname names {};
    if (::uname(&names) != 0) {
        return {};
    }
    return names.machine;
}

std::optional<std::string> linux_version_from_release(std::string_view release) {
    return leading_numeric(release, 2, 4);
}

std::optional<std::string> glibc_version() {
#if defined(__GLIBC__)
    return leading_numeric(::gnu_get_libc_version(), 2, 2);
#else
    return std::nullopt;
#endif
}

}  // namespace cenv::system

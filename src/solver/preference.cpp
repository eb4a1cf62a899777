#include "solver/preference.hpp"

#include <cstddef>
#include <string>

namespace cenv::solver {

namespace {

bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}
bool is_alpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The next run of digits or letters at or after `pos`; empty at the end.
std::string_view next_run(std::string_view s, std::size_t& pos) noexcept {
    while (pos < s.size() && !is_digit(s[pos]) && !is_alpha(s[pos])) {
        ++pos;
    }
    const std::size_t start = pos;
    if (pos < s.size()) {
        const bool digits = is_digit(s[pos]);
        while (pos < s.size() && (digits ? is_digit(s[pos]) : is_alpha(s[pos]))) {
            ++pos;
        }
    }
    return s.substr(start, pos - start);
}

int compare_numbers(std::string_view a, std::string_view b) noexcept {
    while (!a.empty() && a.front() == '0') {
        a.remove_prefix(1);
    }
    while (!b.empty() && b.front() == '0') {
        b.remove_prefix(1);
    }
    if (a.size() != b.size()) {
        return a.size() < b.size() ? -1 : 1;
    }
    const int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool is_hex(char c) noexcept {
    return is_digit(c) || (c >= 'a' && c <= 'f');
}

// Whether a conda-build hash token starts at `i`: `h` and 7 hex digits, ended by `_` or the
// end of the string (`py36h14c3975_1`).
bool hash_at(std::string_view build, std::size_t i) noexcept {
    if (build[i] != 'h' || i + 8 > build.size() || (i + 8 != build.size() && build[i + 8] != '_')) {
        return false;
    }
    for (std::size_t k = i + 1; k < i + 8; ++k) {
        if (!is_hex(build[k])) {
            return false;
        }
    }
    return true;
}

// Whether two build strings are equal once their hash tokens are left out
// (`py36h14c3975_1` and `py36hd9260cd_1`), without allocating: this runs in the rank sort.
bool equal_without_hashes(std::string_view a, std::string_view b) noexcept {
    std::size_t i = 0;
    std::size_t j = 0;
    for (;;) {
        while (i < a.size() && hash_at(a, i)) {
            i += 8;
        }
        while (j < b.size() && hash_at(b, j)) {
            j += 8;
        }
        if (i == a.size() || j == b.size()) {
            return i == a.size() && j == b.size();
        }
        if (a[i++] != b[j++]) {
            return false;
        }
    }
}

std::size_t feature_count(const specs::PackageRecord& r) {
    std::size_t words = 0;
    bool in_word = false;
    for (const char c : r.features) {
        const bool sep = c == ' ' || c == ',';
        words += (!sep && !in_word) ? 1 : 0;
        in_word = !sep;
    }
    return r.track_features.size() + words;
}

template <typename T>
int three_way(const T& a, const T& b) {
    return a < b ? -1 : (b < a ? 1 : 0);
}

}  // namespace

int compare_build_strings(std::string_view a, std::string_view b) noexcept {
    std::size_t pa = 0;
    std::size_t pb = 0;
    for (;;) {
        const std::string_view ra = next_run(a, pa);
        const std::string_view rb = next_run(b, pb);
        if (ra.empty() || rb.empty()) {
            return ra.empty() == rb.empty() ? 0 : (ra.empty() ? -1 : 1);
        }
        const bool na = is_digit(ra.front());
        const bool nb = is_digit(rb.front());
        int c = 0;
        if (na && nb) {
            c = compare_numbers(ra, rb);
        } else if (na != nb) {
            c = na ? 1 : -1;
        } else {
            const int t = ra.compare(rb);
            c = t < 0 ? -1 : (t > 0 ? 1 : 0);
        }
        if (c != 0) {
            return c;
        }
    }
}

bool is_cuda_build(std::string_view build) noexcept {
    for (std::size_t i = 0; i + 2 < build.size(); ++i) {
        if (build[i] != 'c' || build[i + 1] != 'u') {
            continue;
        }
        if (i + 4 < build.size() && build.compare(i, 4, "cuda") == 0 && is_digit(build[i + 4])) {
            return true;
        }
        if (i + 4 < build.size() && is_digit(build[i + 2]) && is_digit(build[i + 3]) &&
            is_digit(build[i + 4])) {
            return true;
        }
    }
    return false;
}

int compare_preference(const specs::PackageRecord& a, const std::optional<specs::Version>& va,
                       const specs::PackageRecord& b, const std::optional<specs::Version>& vb,
                       bool machine_has_cuda) {
    // Fewer track_features is preferred; legacy `features` (a build that needs a feature
    // switched on, like the `nomkl` builds of 2018) count the same.
    if (const int c = three_way(feature_count(b), feature_count(a)); c != 0) {
        return c;
    }
    if (va.has_value() != vb.has_value()) {
        return va.has_value() ? 1 : -1;
    }
    if (va && vb) {
        const auto order = *va <=> *vb;
        if (order != 0) {
            return order < 0 ? -1 : 1;
        }
    }
    if (const int c = three_way(a.build_number, b.build_number); c != 0) {
        return c;
    }
    if (!machine_has_cuda) {
        const bool ca = is_cuda_build(a.build);
        const bool cb = is_cuda_build(b.build);
        if (ca != cb) {
            return ca ? -1 : 1;
        }
    }
    // Builds that differ only in their hash are the same variant rebuilt: the newer wins,
    // as in conda. Other build strings say the variant (py3.10, cuda12.1): compare them.
    if (a.build != b.build && equal_without_hashes(a.build, b.build)) {
        if (const int c = three_way(a.timestamp, b.timestamp); c != 0) {
            return c;
        }
    }
    if (const int c = compare_build_strings(a.build, b.build); c != 0) {
        return c;
    }
    return three_way(a.timestamp, b.timestamp);
}

}  // namespace cenv::solver

#pragma once
// Small string helpers shared by the parsers. ASCII only: conda's grammar is ASCII.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cenv::util {

/// `s` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view s) noexcept;

/// `s` with ASCII upper-case letters folded to lower case.
std::string to_lower(std::string_view s);

/// The pieces of `s` between any of the characters in `separators`, empty pieces dropped.
std::vector<std::string_view> split_any(std::string_view s, std::string_view separators);

/// The Levenshtein distance between `a` and `b` (insertions, deletions, substitutions), for
/// "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// Whether `c` is an ASCII whitespace character (space, tab, CR, LF, VT, FF).
constexpr bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace cenv::util

#include "util/glob.hpp"

namespace cenv::util {

namespace {

constexpr char fold(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// The classic greedy scan: remember the last `*` and, on a mismatch, retry from one
// character further in the text.
template <bool FoldCase>
bool match(std::string_view pattern, std::string_view text) noexcept {
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t resume = 0;
    while (t < text.size()) {
        const char c = FoldCase ? fold(text[t]) : text[t];
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && pattern[p] == c) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text, bool fold_text_case) noexcept {
    return fold_text_case ? match<true>(pattern, text) : match<false>(pattern, text);
}

}  // namespace cenv::util

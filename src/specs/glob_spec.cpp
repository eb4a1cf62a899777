#include "specs/glob_spec.hpp"

#include "util/regex.hpp"

#include "specs/error.hpp"
#include "util/glob.hpp"
#include "util/strings.hpp"

namespace cenv::specs {

struct GlobSpec::Regex {
    std::regex re;
};

namespace {

constexpr char fold(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

template <bool IgnoreCase>
constexpr bool same(char pattern, char value) noexcept {
    if constexpr (IgnoreCase) {
        return pattern == fold(value);  // the pattern is already lower case
    } else {
        return pattern == value;
    }
}

template <bool IgnoreCase>
bool equal(std::string_view pattern, std::string_view value) noexcept {
    if (pattern.size() != value.size()) {
        return false;
    }
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (!same<IgnoreCase>(pattern[i], value[i])) {
            return false;
        }
    }
    return true;
}

}  // namespace

GlobSpec::GlobSpec() : text_("*") {}

GlobSpec GlobSpec::parse(std::string_view text, Case letter_case) {
    GlobSpec spec;
    spec.case_ = letter_case;
    spec.text_ = letter_case == Case::insensitive ? util::to_lower(text) : std::string(text);
    const std::string& t = spec.text_;
    if (t == "*") {
        spec.kind_ = Kind::all;
    } else if (t.size() >= 2 && t.front() == '^' && t.back() == '$') {
        spec.kind_ = Kind::regex;
        auto flags = std::regex::ECMAScript;
        if (letter_case == Case::insensitive) {
            flags |= std::regex::icase;
        }
        try {
            spec.regex_ = std::make_shared<const Regex>(Regex{std::regex(t, flags)});
        } catch (const std::regex_error& e) {
            throw ParseError("invalid regular expression \"" + t + "\": " + e.what(),
                             "a pattern written ^...$ must be a valid ECMAScript regular "
                             "expression; use a glob such as py310_* instead");
        }
    } else if (t.find('*') != std::string::npos) {
        spec.kind_ = Kind::glob;
    } else {
        spec.kind_ = Kind::exact;
    }
    return spec;
}

bool GlobSpec::contains(std::string_view value) const {
    const bool fold_case = case_ == Case::insensitive;
    switch (kind_) {
        case Kind::all:
            return true;
        case Kind::exact:
            return fold_case ? equal<true>(text_, value) : equal<false>(text_, value);
        case Kind::glob:
            return util::glob_match(text_, value, fold_case);
        case Kind::regex:
            return std::regex_match(value.begin(), value.end(), regex_->re);
    }
    return false;
}

}  // namespace cenv::specs

#pragma once
// A set of build numbers, as conda's BuildNumberMatch reads `build_number=` in a match spec:
//
//   *        every build number
//   3        exactly 3 (also written =3 or ==3)
//   !=3      every build number but 3
//   <5, <=5, >2, >=2   comparisons
//   ^1[0-9]$ a regular expression over the decimal digits (rare)
//
// str() gives the spec back as it was written (trimmed), which is what conda prints.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace cenv::specs {

class BuildNumberSpec {
  public:
    /// The spec "*", which matches every build number.
    BuildNumberSpec() = default;

    /// Parses `text` (surrounding whitespace ignored). Throws ParseError naming the text for
    /// an unknown operator, a missing or non-decimal number, or a bad regular expression.
    static BuildNumberSpec parse(std::string_view text);

    /// Whether `number` is in the set.
    [[nodiscard]] bool contains(std::uint64_t number) const;

    /// The spec as written: "*", "3", "==3", ">=3", ...
    [[nodiscard]] std::string str() const;

    /// Whether the spec names exactly one build number.
    [[nodiscard]] bool is_exact() const noexcept {
        return op_ == Op::eq || op_ == Op::eq_single || op_ == Op::eq_double;
    }

    /// Whether the spec matches every build number.
    [[nodiscard]] bool matches_all() const noexcept { return op_ == Op::any; }

    /// The number the comparison is against (0 for `*` and regular expressions).
    [[nodiscard]] std::uint64_t number() const noexcept { return number_; }

    friend bool operator==(const BuildNumberSpec& a, const BuildNumberSpec& b) {
        return a.str() == b.str();
    }

  private:
    // eq is written `3`, eq_single `=3`, eq_double `==3`: the same set, kept apart so that
    // str() gives back what was written.
    enum class Op : std::uint8_t { any, eq, eq_single, eq_double, ne, lt, le, gt, ge, regex };

    struct Regex;  // the text and its compiled std::regex, in build_number_spec.cpp

    Op op_ = Op::any;
    std::uint64_t number_ = 0;
    std::shared_ptr<const Regex> regex_;  // only for Op::regex
};

}  // namespace cenv::specs

#pragma once
// A string matcher for package names, build strings, channels and licenses, as conda's
// GlobStrMatch defines it. The text decides the kind:
//
//   numpy            exact: only "numpy"
//   py310_*, *cuda*  glob: `*` matches any run of characters (also none); nothing else is
//                    special, so `.` or `+` match themselves
//   ^py3[0-9]+_.*$   a regular expression (ECMAScript), when the text starts with `^` and
//                    ends with `$`; it must match the whole value
//   *                every value
//
// Matching an exact value or a glob does not allocate; only regular expressions (rare in
// practice) go through std::regex.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace cenv::specs {

class GlobSpec {
  public:
    /// Whether letters are compared case-insensitively. conda matches names of packages
    /// exactly but licenses (`license`, `license_family`) without regard to case.
    enum class Case : std::uint8_t { sensitive, insensitive };

    /// The spec "*", which matches every value.
    GlobSpec();

    /// Parses `text` as it stands (no trimming). With Case::insensitive the text is kept in
    /// lower case, as conda prints it. Throws ParseError naming the text for a regular
    /// expression that does not compile.
    static GlobSpec parse(std::string_view text, Case letter_case = Case::sensitive);

    /// Whether `value` matches (the whole value, never a part of it).
    [[nodiscard]] bool contains(std::string_view value) const;

    /// The text of the spec (lower-cased for Case::insensitive).
    [[nodiscard]] const std::string& str() const noexcept { return text_; }

    /// Whether the spec names exactly one value (no `*`, not a regular expression).
    [[nodiscard]] bool is_exact() const noexcept { return kind_ == Kind::exact; }

    /// Whether the spec is `*`.
    [[nodiscard]] bool matches_all() const noexcept { return kind_ == Kind::all; }

    /// Whether the spec is a regular expression (`^...$`).
    [[nodiscard]] bool is_regex() const noexcept { return kind_ == Kind::regex; }

    [[nodiscard]] Case letter_case() const noexcept { return case_; }

    friend bool operator==(const GlobSpec& a, const GlobSpec& b) noexcept {
        return a.case_ == b.case_ && a.text_ == b.text_;
    }

  private:
    enum class Kind : std::uint8_t { all, exact, glob, regex };

    std::string text_;
    Kind kind_ = Kind::all;
    Case case_ = Case::sensitive;
    struct Regex;                         // a compiled std::regex, in glob_spec.cpp
    std::shared_ptr<const Regex> regex_;  // only for Kind::regex; immutable, shared by copies
};

}  // namespace cenv::specs

template <>
struct std::hash<cenv::specs::GlobSpec> {
    std::size_t operator()(const cenv::specs::GlobSpec& g) const noexcept {
        return std::hash<std::string>{}(g.str());
    }
};

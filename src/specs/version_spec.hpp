#pragma once
// A set of versions written in conda's version-spec language.
//
//   *            every version                 1.2.*, 1.2*   versions starting with 1.2
//   1.2          exactly 1.2 (== 1.2.0)        ==1.2, !=1.2, <1.2, <=, >, >=
//   =1.2         fuzzy: 1.2 and 1.2.*          ~=1.2.3       >=1.2.3 and 1.2.*
//   ^1\.2.*$     a regular expression          a,b  and      a|b  or (`,` binds tighter)
//   (a|b),c      parentheses group
//
// Whitespace around terms is ignored; inside a term it is an error, as in conda (`>= 1.2`).
// Equality compares the canonical text, which is what `str()` prints. Like conda's
// `str(VersionSpec)`, it joins the terms without parentheses: `( (1.5|1.6), 1.8)` prints as
// `1.5|1.6,1.8` although it still matches as written.
//
// Where conda's own parser is lenient the same input is accepted here with the same
// meaning (`(1.5)(1.6)` is `1.5`: conda keeps the first of two adjacent terms). Two
// deliberate differences, both where conda would fail later with an uncaught exception:
// an empty spec is a ParseError (use VersionSpec() for "any version"), and `~=1` (nothing
// left once the last `.`-part is cut off) is rejected at parse time, not at match time.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "specs/version.hpp"

namespace cenv::specs {

class VersionSpec {
  public:
    /// The spec that matches every version ("*").
    VersionSpec();

    /// Parses `text`. Throws ParseError naming the spec and pointing at the bad part.
    static VersionSpec parse(std::string_view text);

    /// Whether `version` is in the set. Does not allocate, except inside std::regex for
    /// `^...$` specs, which are matched against `version.source()` as conda does.
    [[nodiscard]] bool contains(const Version& version) const;

    /// The canonical text (conda's `str(VersionSpec(text))`).
    [[nodiscard]] const std::string& str() const noexcept;

    /// Whether the spec names exactly one version (`1.7.1`, `==1.7.1`).
    [[nodiscard]] bool is_exact() const noexcept;

    /// Whether the spec is `*` (what VersionSpec() is).
    [[nodiscard]] bool matches_all() const noexcept;

    friend bool operator==(const VersionSpec& a, const VersionSpec& b) {
        return a.str() == b.str();
    }

    struct Node;  // the parsed tree; defined in version_spec.cpp

  private:
    std::shared_ptr<const Node> root_;  // immutable, so copies share it
};

}  // namespace cenv::specs

template <>
struct std::hash<cenv::specs::VersionSpec> {
    std::size_t operator()(const cenv::specs::VersionSpec& v) const noexcept {
        return std::hash<std::string>{}(v.str());
    }
};

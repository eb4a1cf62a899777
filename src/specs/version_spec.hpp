#pragma once
// A set of versions written in conda's version-spec language.
//
//   *            every version                 1.2.*, 1.2*   versions starting with 1.2
//   1.2          exactly 1.2 (== 1.2.0)        ==1.2, !=1.2, <1.2, <=, >, >=
//   =1.2         fuzzy: 1.2 and 1.2.*          ~=1.2.3       >=1.2.3 and 1.2.*
//   ^1\.2.*$     a regular expression          a,b  and      a|b  or (`,` binds tighter)
//   (a|b),c      parentheses group
//
// Whitespace is ignored. Equality compares the canonical text, which is what `str()`
// prints: `( (1.5|1.6), 1.8)` becomes `1.5|1.6,1.8` only where conda drops the parentheses
// the same way.

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

    /// Whether `version` is in the set.
    [[nodiscard]] bool contains(const Version& version) const;

    /// The canonical text (conda's `str(VersionSpec(text))`).
    [[nodiscard]] const std::string& str() const noexcept;

    /// Whether the spec names exactly one version (`1.7.1`, `==1.7.1`).
    [[nodiscard]] bool is_exact() const noexcept;

    /// Whether the spec matches every version (`*`, empty).
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

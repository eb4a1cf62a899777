#pragma once
// A conda package version and its total order, exactly as conda's VersionOrder defines it.
//
// A version is `[epoch!]release[+local]`. Each part splits into components at `.` and `_`
// (and at `-` when the string has no `_`); each component splits into alternating runs of
// digits and letters, a component that starts with a letter gets an implicit leading 0.
// Letters are compared case-insensitively. Within a component the atoms order as
//
//     "*"  <  "dev"  <  "_"  <  other strings (alphabetically)  <  numbers  <  "post"
//
// so 1.1dev1 < 1.1a1 < 1.1 < 1.1.post1, and missing trailing components count as 0
// (1.0 == 1.0.0). The local part (after `+`) is compared only when the rest is equal.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cenv::specs {

class Version {
public:
    /// One atom of a component: a number, or a lower-cased string. The special strings
    /// "*", "dev", "_" and "post" get the ranks shown above.
    using Atom = std::variant<std::uint64_t, std::string>;
    using Component = std::vector<Atom>;

    /// The version "0".
    Version();

    /// Parses `text` (surrounding whitespace ignored). Throws ParseError naming the text and
    /// the offending character for anything conda rejects (empty, `1..2`, `1!2!3`, `1+2+3`,
    /// characters outside [A-Za-z0-9_.+!*-]).
    static Version parse(std::string_view text);

    /// The normalised text: trimmed and lower-cased, as conda stores it.
    [[nodiscard]] const std::string& str() const noexcept { return text_; }

    /// conda's debug form of the parse: `[[epoch], [comp], ...]`, the local part left out,
    /// strings quoted, `dev` as 'DEV' and `post` as inf. Used to check the parse against
    /// conda's own output.
    [[nodiscard]] std::string conda_repr() const;

    [[nodiscard]] std::uint64_t epoch() const noexcept { return epoch_; }
    [[nodiscard]] const std::vector<Component>& release() const noexcept { return release_; }
    [[nodiscard]] const std::vector<Component>& local() const noexcept { return local_; }

    /// conda's `startswith`: whether this version lies under `prefix`, as `1.2.*` asks
    /// (1.2, 1.2.0, 1.2.3 start with 1.2; 1.20 does not).
    [[nodiscard]] bool starts_with(const Version& prefix) const;

    /// conda's `~=` (compatible release): this >= `other` and starts with `other` minus its
    /// last release component.
    [[nodiscard]] bool compatible_with(const Version& other) const;

    friend std::strong_ordering operator<=>(const Version& a, const Version& b);
    friend bool operator==(const Version& a, const Version& b) {
        return (a <=> b) == std::strong_ordering::equal;
    }

    /// A hash that agrees with ==: versions equal under conda's order hash the same.
    [[nodiscard]] std::size_t hash() const noexcept;

private:
    std::string text_;
    std::uint64_t epoch_ = 0;
    std::vector<Component> release_;
    std::vector<Component> local_;
};

}  // namespace cenv::specs

template <>
struct std::hash<cenv::specs::Version> {
    std::size_t operator()(const cenv::specs::Version& v) const noexcept { return v.hash(); }
};

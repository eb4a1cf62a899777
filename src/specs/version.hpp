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

#include <atomic>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <memory>
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
    Version(const Version& other);
    Version(Version&& other) noexcept;
    Version& operator=(const Version& other);
    Version& operator=(Version&& other) noexcept;
    ~Version();

    /// Parses `text` (surrounding whitespace ignored). Throws ParseError naming the text and
    /// the offending character for anything conda rejects (empty, `1..2`, `1!2!3`, `1+2+3`,
    /// characters outside [A-Za-z0-9_.+!*-]).
    static Version parse(std::string_view text);

    /// The normalised text: trimmed, lower-cased and with `-` read as `_`, as conda stores
    /// it (`" 1.0-RC1"` -> `"1.0_rc1"`).
    [[nodiscard]] const std::string& str() const noexcept { return text_; }

    /// The text as it was given (surrounding whitespace removed), before lower-casing and
    /// `-` -> `_`. conda matches `^...$` version specs against this text, not against str().
    [[nodiscard]] const std::string& source() const noexcept { return source_ ? *source_ : text_; }

    /// conda's debug form of the parse: `[[epoch], [comp], ...]`, the local part left out,
    /// strings quoted, `dev` as 'DEV' and `post` as inf. Used to check the parse against
    /// conda's own output.
    [[nodiscard]] std::string conda_repr() const;

    /// The epoch (0 when there is no `N!`); saturates at UINT64_MAX for longer numbers.
    [[nodiscard]] std::uint64_t epoch() const noexcept;
    /// The components after the epoch, as conda splits them (`1.1a1` -> [[1], [1, "a", 1]];
    /// `dev` and `post` appear as those strings). Built on first use, for inspection: the
    /// order itself works on a compact form. Numbers past UINT64_MAX saturate here.
    [[nodiscard]] const std::vector<Component>& release() const noexcept;
    /// The components of the local part (after `+`), empty when there is none.
    [[nodiscard]] const std::vector<Component>& local() const noexcept;

    /// conda's `startswith`: whether this version lies under `prefix`, as `1.2.*` asks
    /// (1.2, 1.2.0, 1.2.3 start with 1.2; 1.20 does not).
    [[nodiscard]] bool starts_with(const Version& prefix) const;

    /// conda's `~=` (compatible release): this >= `other` and starts with `other` minus its
    /// last release component (conda cuts the text at its last `.`). Throws ParseError when
    /// `other` has no `.` to cut at (`~=1`), as conda does.
    [[nodiscard]] bool compatible_with(const Version& other) const;

    friend std::strong_ordering operator<=>(const Version& a, const Version& b);
    friend bool operator==(const Version& a, const Version& b) {
        return (a <=> b) == std::strong_ordering::equal;
    }

    /// A hash that agrees with ==: versions equal under conda's order hash the same.
    [[nodiscard]] std::size_t hash() const noexcept;

  private:
    friend struct VersionImpl;  // the parser and the order, in version.cpp
    struct Parts;               // the release()/local() view, built lazily

    // One atom packed in 64 bits (kind, "starts a component" flag, then a number or an
    // offset/length into text_); see version.cpp. The epoch is atom 0, then the release
    // components, then the local ones from release_end_ on.
    using Word = std::uint64_t;
    static constexpr std::uint32_t kInlineWords = 8;

    void reset_to_zero() noexcept;  // makes this the version "0" (also a moved-from state)

    [[nodiscard]] const Word* words() const noexcept { return heap_ ? heap_.get() : inline_; }

    std::string text_;                     // normalised
    std::unique_ptr<std::string> source_;  // the input, only when it differs from text_
    std::uint32_t size_ = 0;               // number of atoms
    std::uint32_t release_end_ = 0;        // atoms [0, release_end_) are epoch + release
    std::unique_ptr<Word[]> heap_;         // the atoms when there are more than kInlineWords
    Word inline_[kInlineWords] = {};
    mutable std::atomic<const Parts*> parts_{nullptr};
};

}  // namespace cenv::specs

template <>
struct std::hash<cenv::specs::Version> {
    std::size_t operator()(const cenv::specs::Version& v) const noexcept { return v.hash(); }
};

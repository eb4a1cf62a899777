#pragma once
// conda's MatchSpec: a query over package records, written in conda's spec language, with
// the semantics of conda/models/match_spec.py.
//
//   numpy                         any numpy
//   numpy 1.2.*   numpy=1.2       fuzzy: 1.2, 1.2.0, 1.2.3 (`=1.2` means `1.2*`)
//   numpy==1.2    numpy 1.2       exactly 1.2 (== 1.2.0)
//   numpy>=1.2,<2                 a version spec (see version_spec.hpp)
//   numpy 1.2 py310_0             version and build (`numpy=1.2=py310_0` is the same)
//   numpy * *mkl                  any version, build matching the glob *mkl
//   conda-forge::numpy            from one channel (`conda-forge/linux-64::numpy`: one subdir)
//   numpy[version='>=1.2', build=*mkl*, build_number='>=3', channel=conda-forge,
//         subdir=linux-64, md5=..., sha256=..., fn=..., url=..., license=...,
//         license_family=..., track_features=..., features=...]
//                                 key-value brackets; they override the fields outside
//   https://host/chan/linux-64/numpy-1.2-py310_0.conda[#<md5> | #sha256:<hex>]
//   /path/to/numpy-1.2-py310_0.tar.bz2
//                                 one package file (conda's explicit form)
//   mkl@                          legacy: any package that tracks the feature mkl
//   numpy >=1.2  # why            a comment; `numpy (optional)` marks an optional spec
//
// str() prints the canonical form, conda's str(MatchSpec): `numpy=1.2`,
// `numpy==1.2=py310_0`, `conda-forge/linux-64::numpy[version='>=1.2,<2',build=*mkl]`.
// parse(s.str()) gives a spec equal to s; two specs are equal when their canonical forms
// are. A field that matches everything is left out of the canonical form (`numpy[build=*]`
// prints as `numpy`), like conda does for `version=*`.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "specs/build_number_spec.hpp"
#include "specs/channel_spec.hpp"
#include "specs/glob_spec.hpp"
#include "specs/package_record.hpp"
#include "specs/version.hpp"
#include "specs/version_spec.hpp"

namespace cenv::specs {

class MatchSpec {
  public:
    /// The spec `*`: every package.
    MatchSpec();

    /// Parses conda's full spec syntax (see above). Throws ParseError whose message quotes
    /// `text` and says which part is wrong (the bad field, the bad version, the invalid
    /// character), with a hint that shows a valid form.
    static MatchSpec parse(std::string_view text);

    /// The canonical form, conda's `str(MatchSpec)`.
    [[nodiscard]] std::string str() const;

    /// Whether `record` satisfies every field of the spec: name, version, build,
    /// build_number, channel, subdir, md5, sha256, fn, url, license, license_family,
    /// track_features and features, each as conda's field matcher decides. The record's
    /// version string is parsed only when the spec constrains the version and everything
    /// else matched; a version that does not parse matches no version constraint. For hot
    /// loops use the overload that takes the already parsed version.
    [[nodiscard]] bool contains(const PackageRecord& record) const;

    /// contains(record) with the record's version already parsed. Does not allocate (except
    /// inside std::regex, for fields written as ^...$ regular expressions).
    [[nodiscard]] bool contains(const PackageRecord& record, const Version& version) const;

    /// The package name: exact (lower case), a glob (`py*`), a regex, or `*`.
    [[nodiscard]] const GlobSpec& name() const noexcept { return name_; }
    [[nodiscard]] const VersionSpec& version() const noexcept { return version_; }
    /// The build string: exact, a glob (`*mkl*`, `py310_*`), a regex, or `*`.
    [[nodiscard]] const GlobSpec& build() const noexcept { return build_; }
    [[nodiscard]] const BuildNumberSpec& build_number() const noexcept { return build_number_; }

    /// The channel (without subdir; see subdir()), or nullopt when any channel will do.
    [[nodiscard]] const std::optional<ChannelSpec>& channel() const noexcept;
    /// The subdir the package must come from (`linux-64`); empty for any.
    [[nodiscard]] const std::string& subdir() const noexcept;
    /// Exact md5 / sha256 / file name / URL of the package; empty when not constrained.
    [[nodiscard]] const std::string& md5() const noexcept;
    [[nodiscard]] const std::string& sha256() const noexcept;
    [[nodiscard]] const std::string& fn() const noexcept;
    [[nodiscard]] const std::string& url() const noexcept;
    /// License and license family, matched without regard to case; nullopt when any.
    [[nodiscard]] const std::optional<GlobSpec>& license() const noexcept;
    [[nodiscard]] const std::optional<GlobSpec>& license_family() const noexcept;
    /// The set of track_features (sorted, no duplicates) a record must have exactly;
    /// nullopt when not constrained.
    [[nodiscard]] const std::optional<std::vector<std::string>>& track_features() const noexcept;
    /// The same for the legacy `features` field.
    [[nodiscard]] const std::optional<std::vector<std::string>>& features() const noexcept;

    /// `(optional)` after the spec: conda's flag for a dependency that need not be installed.
    /// Not part of the canonical form, nor of equality (conda prints neither).
    [[nodiscard]] bool is_optional() const noexcept;
    /// `(target=...)` after the spec; empty when not given. Not part of the canonical form.
    [[nodiscard]] const std::string& target() const noexcept;

    /// Whether only an exact name is given (`numpy`), conda's `is_name_only_spec`.
    [[nodiscard]] bool is_name_only() const noexcept;

    /// conda's `conda_build_form()`: `name`, `name version` or `name version build`
    /// (`numpy 1.2 py310_0`). Throws ParseError when the name is not exact (`*`, `py*`).
    [[nodiscard]] std::string conda_build_form() const;

    /// conda's `conda_env_form()`, the form of `conda env export`: the canonical form without
    /// `channel::` and with the first `==` written `=` (`numpy=1.2=py310_0`).
    [[nodiscard]] std::string conda_env_form() const;

    friend bool operator==(const MatchSpec& a, const MatchSpec& b) { return a.str() == b.str(); }

    /// A hash that agrees with ==.
    [[nodiscard]] std::size_t hash() const;

    /// The fields that are rare in practice, kept out of line so that a plain spec stays
    /// small and cheap to copy.
    struct Extra;

  private:
    [[nodiscard]] bool contains_except_version(const PackageRecord& record) const;

    GlobSpec name_;
    VersionSpec version_;
    GlobSpec build_;
    BuildNumberSpec build_number_;
    std::shared_ptr<const Extra> extra_;  // null when no rare field is given
};

/// conda's `spec_from_line` (conda.cli.common), the reader of requirement lines written in
/// the conda-build form: `foo`, `foo=1.0=2` (-> `foo 1.0 2`), `foo >=1.0, <2`
/// (-> `foo >=1.0,<2`). A comment after `#` is dropped, the name is lower-cased. Returns
/// nullopt for a line it does not accept (`foo 1.0`, `=`).
[[nodiscard]] std::optional<std::string> spec_from_line(std::string_view line);

}  // namespace cenv::specs

template <>
struct std::hash<cenv::specs::MatchSpec> {
    std::size_t operator()(const cenv::specs::MatchSpec& m) const { return m.hash(); }
};

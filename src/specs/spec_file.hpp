#pragma once
// The text files `conda create --file` reads: a list of match specs, one per line, or, when a
// line says `@EXPLICIT`, an explicit environment: one package URL per line, each with an
// optional checksum fragment (`#<md5>`, `#sha256:<hex>`), installed exactly, without a solve.
// `conda list --explicit` and conda-lock write the second kind:
//
//     # platform: linux-64
//     @EXPLICIT
//     https://conda.anaconda.org/conda-forge/linux-64/zlib-1.3.1-hb9d3cd8_2.conda#c9f075ab2f33b3bbee9e62d4ad0a6cd8
//
// Lines starting with `#` are comments (`# platform: X` is remembered); blank lines are skipped.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "specs/package_record.hpp"

namespace cenv::specs {

/// One line of an explicit file.
struct ExplicitPackage {
    std::string url;     ///< without the fragment; a local absolute path becomes a file:// URL
    std::string md5;     ///< lower-case hex; empty when the line gives none
    std::string sha256;  ///< lower-case hex; empty when the line gives none
    std::size_t line = 0;

    /// What the URL says of the package (parse_package_url: name, version and build from the
    /// file name, subdir and channel from the folders before it) with fn, url and the
    /// checksums. Dependencies are unknown until the archive is read.
    [[nodiscard]] PackageRecord record() const;
};

struct SpecFile {
    bool is_explicit = false;
    std::string platform;                   ///< from a `# platform: linux-64` comment; may be empty
    std::vector<std::string> specs;         ///< a spec list: each line, as written (trimmed)
    std::vector<ExplicitPackage> packages;  ///< an explicit file: each URL line
};

/// Parses a spec file's `text`. Throws ParseError `source:line:column: ...` with a hint when a
/// spec does not parse, an explicit line is not a package URL (`.conda` or `.tar.bz2` over
/// http(s) or file://, or an absolute path), a fragment is not an md5 or sha256, or a
/// non-comment line comes before `@EXPLICIT` in an explicit file.
SpecFile parse_spec_file(std::string_view text, std::string_view source);

/// Which checksum an explicit file gives after each URL.
enum class ExplicitHash { none, md5, sha256 };

/// The explicit file of an environment's `records` (`conda list --explicit` / `cenv list
/// --explicit`): a header, `# platform: <platform>`, `@EXPLICIT`, then each record's URL
/// (with `#<md5>` or `#sha256:<hex>` when asked and known), dependencies first.
std::string explicit_file_text(std::vector<PackageRecord> records, std::string_view platform,
                               ExplicitHash hash);

}  // namespace cenv::specs

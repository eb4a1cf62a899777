#pragma once
// One package as a channel's repodata describes it (conda's PackageRecord): identity,
// dependencies, checksums and where it comes from. A plain value; parsing lives in
// repodata.hpp, matching in match_spec.hpp.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cenv::specs {

/// The `noarch` kind of a package. Legacy repodata writes `"noarch": true` for generic.
enum class NoArchType : std::uint8_t { none, generic, python };

std::string_view to_string(NoArchType type) noexcept;

struct PackageRecord {
    std::string name;
    std::string version;  ///< as written; Version::parse() gives its order
    std::string build;
    std::uint64_t build_number = 0;

    std::vector<std::string> depends;         ///< match-spec strings
    std::vector<std::string> constrains;      ///< match-spec strings
    std::vector<std::string> track_features;  ///< split at commas and spaces
    std::string features;                     ///< legacy, space-separated

    std::string license;
    std::string license_family;
    std::string md5;
    std::string sha256;
    std::uint64_t size = 0;
    std::uint64_t timestamp = 0;  ///< milliseconds since 1970; seconds in old repodata are scaled

    std::string subdir;
    NoArchType noarch = NoArchType::none;
    std::string platform;                   ///< legacy (`linux`), kept when present
    std::string arch;                       ///< legacy (`x86_64`), kept when present
    std::string python_site_packages_path;  ///< CEP-17; only python records carry it

    std::string fn;       ///< file name, `name-version-build.conda` or `.tar.bz2`
    std::string url;      ///< where the archive is downloaded from
    std::string channel;  ///< the channel it came from (its URL or canonical name)

    /// `name-version-build`, conda's dist string.
    [[nodiscard]] std::string dist_str() const { return name + '-' + version + '-' + build; }
};

}  // namespace cenv::specs

#include "install/prefix_listing.hpp"

#include <algorithm>
#include <system_error>

#include "specs/channel_spec.hpp"
#include "specs/error.hpp"
#include "specs/prefix_record.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

namespace {

/// The `files` of every conda-meta record of `prefix`.
std::unordered_set<std::string> conda_files(const fs::path& prefix) {
    std::unordered_set<std::string> out;
    std::error_code ec;
    for (fs::directory_iterator it(prefix / "conda-meta", ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->path().extension() != ".json") {
            continue;
        }
        for (auto& file :
             specs::parse_prefix_record_files(util::read_file(it->path()), it->path().string())) {
            out.insert(std::move(file));
        }
    }
    return out;
}

}  // namespace

bool owned_by_conda(const PythonDistribution& dist,
                    const std::unordered_set<std::string>& conda_files) {
    return conda_files.count(dist.anchor) != 0;
}

ListedPackage listed_conda_package(const specs::PackageRecord& record) {
    ListedPackage row;
    row.name = record.name;
    row.version = record.version;
    row.build = record.build;
    row.build_number = record.build_number;
    row.channel = std::string(specs::canonical_channel_name(record.channel));
    row.base_url = specs::channel_base_url(record.channel);
    row.platform = record.subdir;
    row.url = record.url;
    row.md5 = record.md5;
    row.sha256 = record.sha256;
    return row;
}

ListedPackage listed_python_distribution(const PythonDistribution& dist) {
    ListedPackage row;
    row.name = normalized_python_name(dist.name);
    row.version = dist.version;
    row.build = "pypi_0";
    row.channel = "pypi";
    row.base_url = "https://pypi.org/";
    row.platform = "pypi";
    row.pypi = true;
    row.installer = dist.installer;
    row.requested = dist.requested;
    return row;
}

PrefixListing list_prefix(const fs::path& prefix) {
    PrefixListing listing;
    for (const auto& record : specs::load_prefix_records(prefix)) {
        listing.packages.push_back(listed_conda_package(record));
    }
    SitePackages site = read_site_packages(prefix);
    const auto owned = conda_files(prefix);
    for (const auto& dist : site.distributions) {
        if (!owned_by_conda(dist, owned)) {
            listing.packages.push_back(listed_python_distribution(dist));
        }
    }
    listing.problems = std::move(site.problems);
    std::stable_sort(listing.packages.begin(), listing.packages.end(),
                     [](const ListedPackage& a, const ListedPackage& b) {
                         const std::string la = util::to_lower(a.name);
                         const std::string lb = util::to_lower(b.name);
                         return la != lb ? la < lb : (!a.pypi && b.pypi);
                     });
    return listing;
}

}  // namespace cenv::install

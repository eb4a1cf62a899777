#include "install/explicit_records.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "install/error.hpp"
#include "specs/error.hpp"
#include "specs/prefix_record.hpp"
#include "specs/record_order.hpp"
#include "util/error.hpp"
#include "util/file.hpp"

namespace cenv::install {

std::vector<specs::PackageRecord> explicit_records(PackageCache& cache,
                                                   std::span<const specs::ExplicitPackage> packages,
                                                   const PrepareOptions& options) {
    std::vector<specs::PackageRecord> partial;
    partial.reserve(packages.size());
    for (const auto& package : packages) {
        partial.push_back(package.record());
    }
    std::vector<PreparedPackage> trees;
    try {
        trees = prepare_packages(cache, partial, options);
    } catch (const util::Error& e) {
        throw InstallError(fmt::format("cannot install the explicit file's packages: {}", e.what()),
                           e.hint());
    }
    std::vector<specs::PackageRecord> records;
    records.reserve(partial.size());
    for (std::size_t i = 0; i < partial.size(); ++i) {
        const auto& from_url = partial[i];
        const auto index_path = trees[i].tree / "info" / "index.json";
        specs::PackageRecord record;
        try {
            record = specs::parse_prefix_record(util::read_file(index_path), index_path.string());
        } catch (const util::Error& e) {
            throw InstallError(fmt::format("line {}: {} is not a conda package: {}",
                                           packages[i].line, from_url.url, e.what()),
                               "check the URL; an explicit file lists .conda / .tar.bz2 packages");
        }
        if (record.name != from_url.name || record.version != from_url.version ||
            record.build != from_url.build) {
            throw InstallError(fmt::format("line {}: {} holds {}, not what its file name says",
                                           packages[i].line, from_url.url, record.dist_str()),
                               "the archive was renamed; use the channel's file name");
        }
        // Where it came from and what was verified: the cache's record of the archive.
        const auto stored =
            nlohmann::json::parse(util::read_file(trees[i].tree / "info" / "repodata_record.json"));
        record.url = from_url.url;
        record.channel = from_url.channel;
        record.fn = from_url.fn;
        record.md5 = stored.value("md5", from_url.md5);
        record.sha256 = stored.value("sha256", from_url.sha256);
        record.size = stored.value("size", std::uint64_t{0});
        if (record.subdir.empty()) {
            record.subdir = from_url.subdir;
        }
        records.push_back(std::move(record));
    }
    specs::sort_dependencies_first(records);
    return records;
}

}  // namespace cenv::install

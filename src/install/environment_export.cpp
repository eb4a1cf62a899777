#include "install/environment_export.hpp"

#include <algorithm>
#include <map>
#include <system_error>

#include "install/prefix_listing.hpp"
#include "specs/platform.hpp"
#include "specs/prefix_record.hpp"
#include "util/file.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

specs::EnvironmentFile export_environment(const fs::path& prefix, const ExportOptions& options) {
    const PrefixListing listing = list_prefix(prefix);
    specs::EnvironmentFile env;
    env.name = options.name;
    env.prefix = prefix.string();

    std::map<std::string, std::size_t> per_channel;
    for (const auto& package : listing.packages) {
        if (!package.pypi && !package.channel.empty()) {
            ++per_channel[package.channel];
        }
    }
    std::vector<std::pair<std::string, std::size_t>> ranked(per_channel.begin(), per_channel.end());
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [channel, count] : ranked) {
        env.channels.push_back(channel);
    }

    if (options.from_history) {
        std::error_code ec;
        const fs::path history = prefix / "conda-meta" / "history";
        if (fs::is_regular_file(history, ec)) {
            env.dependencies = specs::parse_history_specs(util::read_file(history));
        }
    }
    for (const auto& package : listing.packages) {
        if (package.pypi) {
            if (!options.from_history || package.requested) {
                env.pip.push_back(package.name + "==" + package.version);
            }
        } else if (!options.from_history) {
            env.dependencies.push_back(package.name + "=" + package.version +
                                       (options.no_builds ? "" : "=" + package.build));
        }
    }
    return env;
}

std::string prefix_platform(std::span<const specs::PackageRecord> records) {
    std::map<std::string, std::size_t> counts;
    for (const auto& record : records) {
        if (!record.subdir.empty() && record.subdir != "noarch") {
            ++counts[record.subdir];
        }
    }
    std::string best(specs::build_subdir());
    std::size_t most = 0;
    for (const auto& [subdir, count] : counts) {
        if (count > most) {
            best = subdir;
            most = count;
        }
    }
    return best;
}

}  // namespace cenv::install

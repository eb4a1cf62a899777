#include "cli/transaction_plan.hpp"

#include <iostream>
#include <map>

#include <fmt/format.h>

#include "cli/table.hpp"
#include "specs/version.hpp"

namespace cenv::cli {

namespace {

// micromamba's words for a package that is in both lists.
std::string change_word(const specs::PackageRecord& from, const specs::PackageRecord& to) {
    try {
        const auto a = specs::Version::parse(from.version);
        const auto b = specs::Version::parse(to.version);
        if (a < b || (a == b && from.build_number < to.build_number)) {
            return "upgrade";
        }
        if (b < a || (a == b && to.build_number < from.build_number)) {
            return "downgrade";
        }
    } catch (const std::exception&) {  // an unparsable version is just a change
    }
    return from.build == to.build && from.channel == to.channel ? "reinstall" : "change";
}

}  // namespace

nlohmann::json action_entry(const specs::PackageRecord& r) {
    return {{"name", r.name},
            {"version", r.version},
            {"build", r.build},
            {"build_string", r.build},
            {"build_number", r.build_number},
            {"channel", r.channel},
            {"subdir", r.subdir},
            {"fn", r.fn},
            {"url", r.url},
            {"md5", r.md5},
            {"sha256", r.sha256},
            {"size", r.size},
            {"dist_name", r.dist_str()}};
}

nlohmann::json actions_json(const std::filesystem::path& prefix, const solver::Solution& solution,
                            const std::set<std::string>& cached) {
    nlohmann::json link = nlohmann::json::array();
    nlohmann::json unlink = nlohmann::json::array();
    nlohmann::json fetch = nlohmann::json::array();
    for (const auto& r : solution.link) {
        link.push_back(action_entry(r));
        if (cached.count(r.dist_str()) == 0) {
            fetch.push_back(action_entry(r));
        }
    }
    for (const auto& r : solution.unlink) {
        unlink.push_back(action_entry(r));
    }
    return {{"PREFIX", prefix.string()}, {"LINK", link}, {"UNLINK", unlink}, {"FETCH", fetch}};
}

void print_plan(const std::filesystem::path& prefix, const solver::Solution& solution,
                const std::set<std::string>& cached) {
    if (solution.link.empty() && solution.unlink.empty()) {
        std::cout << "Nothing to do: the environment " << prefix.string()
                  << " already satisfies the request.\n";
        return;
    }
    std::cout << "Transaction for " << prefix.string() << ":\n\n";
    std::vector<std::vector<std::string>> rows;
    std::map<std::string, const specs::PackageRecord*> linked;
    for (const auto& r : solution.link) {
        linked[r.name] = &r;
    }
    const auto size_of = [&](const specs::PackageRecord& r) {
        if (cached.count(r.dist_str()) != 0) {
            return std::string("cached");
        }
        return r.size == 0 ? std::string() : format_bytes(r.size);
    };
    std::uint64_t to_fetch = 0;
    std::size_t fetch_count = 0;
    for (const auto& r : solution.link) {
        if (cached.count(r.dist_str()) == 0) {
            to_fetch += r.size;
            ++fetch_count;
        }
    }
    std::map<std::string, bool> changed;
    for (const auto& r : solution.unlink) {
        if (const auto it = linked.find(r.name); it != linked.end()) {
            const auto& to = *it->second;
            rows.push_back({"~ " + r.name,
                            r.version == to.version ? to.version : r.version + " -> " + to.version,
                            r.build == to.build ? to.build : r.build + " -> " + to.build,
                            size_of(to), change_word(r, to), to.channel});
            changed[r.name] = true;
        } else {
            rows.push_back({"- " + r.name, r.version, r.build, "", "remove", r.channel});
        }
    }
    for (const auto& r : solution.link) {
        if (changed.count(r.name) == 0) {
            rows.push_back({"+ " + r.name, r.version, r.build, size_of(r), "install", r.channel});
        }
    }
    // The channel last: URLs are long, and the other columns stay aligned whatever they are.
    std::cout << render_table({"Package", "Version", "Build", "Size", "Action", "Channel"}, rows);
    std::cout << fmt::format("\n{} to link, {} to unlink", solution.link.size(),
                             solution.unlink.size());
    if (fetch_count > 0) {
        std::cout << fmt::format("; {} to fetch{}", fetch_count,
                                 to_fetch == 0 ? "" : " (" + format_bytes(to_fetch) + ")");
    }
    std::cout << ".\n";
}

}  // namespace cenv::cli

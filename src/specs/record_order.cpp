#include "specs/record_order.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "specs/error.hpp"
#include "specs/match_spec.hpp"
#include "specs/version.hpp"

namespace cenv::specs {

void sort_newest_first(std::vector<const PackageRecord*>& records) {
    struct Keyed {
        const PackageRecord* record;
        std::optional<Version> version;
    };
    std::vector<Keyed> keyed;
    keyed.reserve(records.size());
    for (const PackageRecord* record : records) {
        std::optional<Version> version;
        try {
            version = Version::parse(record->version);
        } catch (const ParseError&) {
            // An unparseable version is still listed, after the valid ones.
        }
        keyed.push_back({record, std::move(version)});
    }
    std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
        if (a.record->name != b.record->name) {
            return a.record->name < b.record->name;
        }
        if (a.version.has_value() != b.version.has_value()) {
            return a.version.has_value();
        }
        if (a.version && *a.version != *b.version) {
            return *a.version > *b.version;
        }
        return std::tie(b.record->build_number, b.record->timestamp, a.record->build) <
               std::tie(a.record->build_number, a.record->timestamp, b.record->build);
    });
    for (std::size_t i = 0; i < keyed.size(); ++i) {
        records[i] = keyed[i].record;
    }
}

void sort_dependencies_first(std::vector<PackageRecord>& records) {
    std::map<std::string, std::size_t> index;  // by name: name order breaks ties
    for (std::size_t i = 0; i < records.size(); ++i) {
        index.emplace(records[i].name, i);
    }
    // waiting[i]: how many of record i's dependencies are still to be placed.
    std::vector<std::size_t> waiting(records.size(), 0);
    std::vector<std::vector<std::size_t>> dependants(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        std::set<std::size_t> deps;
        for (const auto& dep : records[i].depends) {
            std::string name;
            try {
                name = MatchSpec::parse(dep).name().str();
            } catch (const ParseError&) {
                continue;  // a malformed dependency orders nothing
            }
            if (const auto it = index.find(name); it != index.end() && it->second != i) {
                deps.insert(it->second);
            }
        }
        waiting[i] = deps.size();
        for (const std::size_t d : deps) {
            dependants[d].push_back(i);
        }
    }
    std::set<std::pair<std::string, std::size_t>> ready;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (waiting[i] == 0) {
            ready.emplace(records[i].name, i);
        }
    }
    std::vector<std::size_t> order;
    std::vector<bool> placed(records.size(), false);
    while (order.size() < records.size()) {
        if (ready.empty()) {  // a cycle: release its first record by name
            for (const auto& [name, i] : index) {
                if (!placed[i]) {
                    ready.emplace(name, i);
                    break;
                }
            }
        }
        const std::size_t i = ready.begin()->second;
        ready.erase(ready.begin());
        placed[i] = true;
        order.push_back(i);
        for (const std::size_t dependant : dependants[i]) {
            if (!placed[dependant] && waiting[dependant] > 0 && --waiting[dependant] == 0) {
                ready.emplace(records[dependant].name, dependant);
            }
        }
    }
    std::vector<PackageRecord> sorted;
    sorted.reserve(records.size());
    for (const std::size_t i : order) {
        sorted.push_back(std::move(records[i]));
    }
    records = std::move(sorted);
}

}  // namespace cenv::specs

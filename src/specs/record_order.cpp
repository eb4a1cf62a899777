#include "specs/record_order.hpp"

#include <algorithm>
#include <optional>
#include <tuple>

#include "specs/error.hpp"
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

}  // namespace cenv::specs

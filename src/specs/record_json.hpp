#pragma once
// A PackageRecord as conda writes it in JSON (repodata entries, search results, later
// conda-meta): conda's field names, empty optional fields left out.

#include <nlohmann/json.hpp>

#include "specs/package_record.hpp"

namespace cenv::specs {

/// The record as a JSON object with conda's keys, in conda's (sorted) key order.
nlohmann::json record_to_json(const PackageRecord& record);

}  // namespace cenv::specs

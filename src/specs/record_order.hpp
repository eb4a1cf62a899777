#pragma once
// The order in which tools list a channel's records: by name, then newest first.

#include <span>
#include <vector>

#include "specs/package_record.hpp"

namespace cenv::specs {

/// Sorts records by name (ascending), then version (conda order, highest first), build
/// number (highest first), timestamp (newest first) and build string. Records whose
/// version does not parse sort after the others of their name. Each version is parsed once.
void sort_newest_first(std::vector<const PackageRecord*>& records);

}  // namespace cenv::specs

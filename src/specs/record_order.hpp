#pragma once
// The orders in which tools list records: a channel's by name, then newest first; an
// environment's with dependencies before their dependants (explicit files, installs).

#include <span>
#include <vector>

#include "specs/package_record.hpp"

namespace cenv::specs {

/// Sorts records by name (ascending), then version (conda order, highest first), build
/// number (highest first), timestamp (newest first) and build string. Records whose
/// version does not parse sort after the others of their name. Each version is parsed once.
void sort_newest_first(std::vector<const PackageRecord*>& records);

/// Sorts an environment's records so that each comes after the records it depends on (by
/// package name; dependencies on names not among them are ignored), ties by name. Records in
/// a dependency cycle keep name order among themselves, after everything outside the cycle
/// that they do not depend on.
void sort_dependencies_first(std::vector<PackageRecord>& records);

}  // namespace cenv::specs

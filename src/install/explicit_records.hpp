#pragma once
// The records of an explicit file (`@EXPLICIT` URLs, specs/spec_file.hpp), made complete for
// installing without a solve, as conda does: a URL only tells name, version, build and
// channel, so each package is fetched and extracted into the package cache first (its
// archive checked against the line's md5 or sha256), and its own `info/index.json` gives
// what the conda-meta record needs: dependencies, constraints, build number, noarch, ...

#include <span>
#include <vector>

#include "install/package_cache.hpp"
#include "install/prepare.hpp"
#include "specs/package_record.hpp"
#include "specs/spec_file.hpp"

namespace cenv::install {

/// The complete records of `packages`, dependencies first (by name among independent
/// ones). Their trees are in `cache` afterwards, so the transaction reuses them. Throws
/// InstallError naming the URL (and its line) when a package cannot be fetched, does not
/// match its checksum, or is not a conda package.
std::vector<specs::PackageRecord> explicit_records(PackageCache& cache,
                                                   std::span<const specs::ExplicitPackage> packages,
                                                   const PrepareOptions& options);

}  // namespace cenv::install

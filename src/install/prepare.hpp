#pragma once
// Getting every package of a transaction into the package cache as an extracted tree,
// before the prefix is touched: trees already there are reused; cached archives are
// extracted; the rest are fetched, and each is extracted as soon as it arrives, on a few
// threads, while the others are still being fetched.

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <span>
#include <vector>

#include "install/fetch.hpp"
#include "install/package_cache.hpp"
#include "specs/package_record.hpp"

namespace cenv::install {

struct PreparedPackage {
    std::filesystem::path tree;
    bool fetched = false;  ///< its archive had to be fetched (not in the cache)
};

struct PrepareOptions {
    FetchArchives fetch;                        ///< for archives not in the cache
    std::size_t threads = 0;                    ///< extraction threads; 0: one per core
    std::function<void(std::size_t)> on_ready;  ///< a package's tree is ready (any thread)
    const std::atomic<bool>* interrupted = nullptr;
};

/// The extracted tree of each of `records`, in order. Throws InstallError (or the fetch's
/// error) naming the package that failed; the trees finished until then stay in the cache.
std::vector<PreparedPackage> prepare_packages(PackageCache& cache,
                                              std::span<const specs::PackageRecord> records,
                                              const PrepareOptions& options);

}  // namespace cenv::install

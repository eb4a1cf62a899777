#pragma once
// The packages a solve may choose from: one repo per channel subdir (each with a priority),
// the environment's installed packages, and the machine's virtual packages (installed and
// locked: a solve never "uninstalls" `__cuda` to make a request fit). Built on libsolv, whose
// types stay inside src/solver; conda semantics (match specs, constrains, preference) come
// from `specs` through libsolv's namespace callback (see README.md).

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "specs/package_record.hpp"
#include "specs/repodata.hpp"

namespace cenv::solver {

class Database {
  public:
    Database();
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;

    /// Adds the records of one channel subdir. Higher `priority` wins under strict and
    /// flexible channel priority; give a channel's subdirs (linux-64, noarch) the same one.
    void add_repo(std::string_view name, int priority, std::vector<specs::PackageRecord> records);

    /// How add_repodata() loaded a channel subdir.
    struct RepoLoad {
        std::size_t records = 0;     ///< offered to the solver
        bool from_cache = false;     ///< read from a valid binary cache, not the JSON
        bool cache_written = false;  ///< a fresh cache was written
        std::string cache_note;      ///< why the cache was not used or not written
    };

    /// Adds one channel subdir straight from its repodata.json: records go from the parser
    /// into a compact table, chunk by chunk, never a PackageRecord each for the whole file.
    /// With a `cache_dir`, a valid binary cache of that file there (repo_cache.hpp) is mapped
    /// instead of parsing the JSON, and a missing, stale or corrupt one is written anew.
    /// Throws as specs::stream_repodata() for a bad repodata.json.
    RepoLoad add_repodata(std::string_view name, int priority,
                          const std::filesystem::path& repodata,
                          const specs::RepodataSource& source,
                          const std::filesystem::path& cache_dir = {});

    /// Adds packages installed in the environment (read from its conda-meta/).
    void add_installed(std::vector<specs::PackageRecord> records);

    /// Adds virtual packages (`__cuda`, `__glibc`, ...): installed and locked in every solve.
    void add_virtual_packages(std::vector<specs::PackageRecord> records);

    /// How many records (all repos, installed and virtual included) it holds.
    [[nodiscard]] std::size_t size() const noexcept;

    /// The full record of every package named `name`, from least to most preferred (conda's
    /// order, as the solver ranks them). For tests and tools; a solve needs no such list.
    [[nodiscard]] std::vector<specs::PackageRecord> records_named(std::string_view name);

    struct Impl;
    [[nodiscard]] Impl& impl() noexcept { return *impl_; }

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace cenv::solver

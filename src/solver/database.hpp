#pragma once
// The packages a solve may choose from: one repo per channel subdir (each with a priority),
// the environment's installed packages, and the machine's virtual packages (installed and
// locked: a solve never "uninstalls" `__cuda` to make a request fit). Built on libsolv, whose
// types stay inside src/solver; conda semantics (match specs, constrains, preference) come
// from `specs` through libsolv's namespace callback (see README.md).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "specs/package_record.hpp"

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

    /// Adds packages installed in the environment (read from its conda-meta/).
    void add_installed(std::vector<specs::PackageRecord> records);

    /// Adds virtual packages (`__cuda`, `__glibc`, ...): installed and locked in every solve.
    void add_virtual_packages(std::vector<specs::PackageRecord> records);

    /// How many records (all repos, installed and virtual included) it holds.
    [[nodiscard]] std::size_t size() const noexcept;

    struct Impl;
    [[nodiscard]] Impl& impl() noexcept { return *impl_; }

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace cenv::solver

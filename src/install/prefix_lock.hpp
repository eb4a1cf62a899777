#pragma once
// One cenv at a time on an environment: the prefix folder itself is locked (flock on the
// directory, so nothing is added to the environment), and an interrupted transaction left
// there is completed or undone (journal.hpp) before the lock is handed out.

#include <filesystem>
#include <functional>

#include "install/journal.hpp"
#include "util/file_lock.hpp"

namespace cenv::install {

class PrefixLock {
  public:
    /// Locks `prefix`, which must exist; `on_wait` is called once when another process
    /// holds it and we have to wait. Then recovers an interrupted transaction. Throws
    /// InstallError when the folder cannot be locked or the recovery fails.
    static PrefixLock acquire(const std::filesystem::path& prefix,
                              const std::function<void()>& on_wait = {});

    /// Makes the new environment folder `prefix` (which must not exist) and locks it. The
    /// folder is built under a hidden temporary name and renamed into place with a marker
    /// that tells recovery it is new, so that a cenv killed at any moment leaves no empty
    /// environment behind (the next run removes it, or the stale temporary folder).
    static PrefixLock create(const std::filesystem::path& prefix);

    /// Whether create() made the folder.
    [[nodiscard]] bool created() const noexcept { return created_; }

    [[nodiscard]] const std::filesystem::path& prefix() const noexcept { return prefix_; }
    /// What the recovery found.
    [[nodiscard]] Recovery recovery() const noexcept { return recovery_; }

  private:
    PrefixLock(std::filesystem::path prefix, util::FileLock lock, Recovery recovery, bool created)
        : prefix_(std::move(prefix)),
          lock_(std::move(lock)),
          recovery_(recovery),
          created_(created) {}

    std::filesystem::path prefix_;
    util::FileLock lock_;
    Recovery recovery_;
    bool created_ = false;
};

}  // namespace cenv::install

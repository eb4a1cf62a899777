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

    [[nodiscard]] const std::filesystem::path& prefix() const noexcept { return prefix_; }
    /// What the recovery found.
    [[nodiscard]] Recovery recovery() const noexcept { return recovery_; }

  private:
    PrefixLock(std::filesystem::path prefix, util::FileLock lock, Recovery recovery)
        : prefix_(std::move(prefix)), lock_(std::move(lock)), recovery_(recovery) {}

    std::filesystem::path prefix_;
    util::FileLock lock_;
    Recovery recovery_;
};

}  // namespace cenv::install

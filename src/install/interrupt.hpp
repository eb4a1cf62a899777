#pragma once
// Ctrl-C and SIGTERM during a transaction: instead of dying half-way, the process notes the
// signal; the transaction sees the flag between files, rolls back, and reports Interrupted.
// (SIGKILL cannot be caught: the journal covers that, see journal.hpp.)

#include <atomic>

namespace cenv::install {

/// While alive, SIGINT and SIGTERM set `requested()` instead of ending the process; the
/// previous handlers come back when it is destroyed. Not nestable across threads: one
/// transaction at a time installs it.
class InterruptGuard {
  public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

    /// The flag the signal handler sets.
    static const std::atomic<bool>& flag() noexcept;
    /// The signal that set the flag (SIGINT, SIGTERM), 0 when none.
    static int signal() noexcept;
};

}  // namespace cenv::install

#pragma once
// Running something that may crash or hang in a child process, with a deadline.
//
// The child gets its own process group; when it overruns the deadline the whole group is
// killed with SIGKILL (a shell script's `sleep` goes with it) and reaped. What the child
// writes to the pipe (or, for a program, to stdout) comes back; stderr of a program goes to
// /dev/null. Forking a process with several threads is safe here only because the child
// either execs at once or does nothing but dlopen/dlsym/calls and write(2); a child that
// deadlocks on a lock held by another thread is killed at the deadline like any hang.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace cenv::system {

struct ChildResult {
    enum class Ending { exited, signalled, timed_out };

    Ending ending = Ending::exited;
    int code = 0;  ///< exit status (exited) or signal number (signalled)
    std::chrono::milliseconds timeout{0};
    std::string output;  ///< at most 1 MiB

    [[nodiscard]] bool ok() const noexcept { return ending == Ending::exited && code == 0; }
    /// "exited with status 3", "killed by signal 11 (Segmentation fault)",
    /// "timed out after 300 ms".
    [[nodiscard]] std::string describe() const;
};

/// Forks; the child runs `body(fd)`, writing what it finds to `fd`, then _exit(0)s.
/// Throws SystemError when no child can be started (no pipe, no fork).
ChildResult run_in_child(const std::function<void(int fd)>& body,
                         std::chrono::milliseconds timeout);

/// Runs `program` (a path, not looked up on PATH) with `args`, its stdout captured, the
/// environment of this process less the variables named in `unset`.
/// Throws SystemError when no child can be started.
ChildResult run_program(const std::filesystem::path& program, const std::vector<std::string>& args,
                        std::chrono::milliseconds timeout,
                        const std::vector<std::string>& unset = {});

/// Writes all of `data` to `fd`, retrying on EINTR and short writes; false on error.
bool write_all(int fd, std::string_view data) noexcept;

}  // namespace cenv::system

#include "system/isolated.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "system/error.hpp"

extern char** environ;

namespace cenv::system {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxOutput = std::size_t{1} << 20;

struct Pipe {
    int read = -1;
    int write = -1;
};

Pipe make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        throw SystemError(fmt::format("cannot create a pipe: {}", std::strerror(errno)),
                          "the process may have run out of file descriptors");
    }
    return {fds[0], fds[1]};
}

pid_t fork_or_throw(Pipe& p) {
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int err = errno;
        ::close(p.read);
        ::close(p.write);
        throw SystemError(fmt::format("cannot start a child process: {}", std::strerror(err)),
                          "the system may be out of processes or memory");
    }
    return pid;
}

int millis_until(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 50));
}

/// Reads the child's output until EOF, the child's exit or the deadline; then reaps it,
/// killing its process group first when it is still running at the deadline.
ChildResult supervise(pid_t pid, int read_fd, std::chrono::milliseconds timeout) {
    ChildResult result;
    result.timeout = timeout;
    const auto deadline = Clock::now() + timeout;
    int status = 0;
    bool reaped = false;
    bool eof = false;
    char buffer[4096];

    const auto read_available = [&](int wait_ms) {
        pollfd p{read_fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, wait_ms);
        if (ready <= 0) {
            return;
        }
        const ssize_t n = ::read(read_fd, buffer, sizeof buffer);
        if (n > 0) {
            const std::size_t room = kMaxOutput - std::min(kMaxOutput, result.output.size());
            result.output.append(buffer, std::min(room, static_cast<std::size_t>(n)));
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            eof = true;
        }
    };

    while (Clock::now() < deadline) {
        if (!eof) {
            read_available(millis_until(deadline));
        }
        const pid_t w = ::waitpid(pid, &status, WNOHANG);
        if (w == pid) {
            reaped = true;
            break;
        }
        if (eof) {
            // Output closed but the child still runs: wait for its exit in small steps.
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    if (reaped) {
        // Whatever the child wrote before it exited is still in the pipe.
        while (!eof) {
            const std::size_t before = result.output.size();
            read_available(0);
            if (result.output.size() == before) {
                break;  // nothing more now (a grandchild may hold the pipe open)
            }
        }
    } else {
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        result.ending = ChildResult::Ending::timed_out;
    }
    ::close(read_fd);
    if (result.ending != ChildResult::Ending::timed_out) {
        if (WIFSIGNALED(status)) {
            result.ending = ChildResult::Ending::signalled;
            result.code = WTERMSIG(status);
        } else {
            result.ending = ChildResult::Ending::exited;
            result.code = WEXITSTATUS(status);
        }
    }
    return result;
}

}  // namespace

std::string ChildResult::describe() const {
    switch (ending) {
        case Ending::exited:
            return fmt::format("exited with status {}", code);
        case Ending::signalled:
            return fmt::format("killed by signal {} ({})", code, ::strsignal(code));
        case Ending::timed_out:
            return fmt::format("timed out after {} ms", timeout.count());
    }
    return {};
}

bool write_all(int fd, std::string_view data) noexcept {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

ChildResult run_in_child(const std::function<void(int fd)>& body,
                         std::chrono::milliseconds timeout) {
    Pipe p = make_pipe();
    const pid_t pid = fork_or_throw(p);
    if (pid == 0) {
        ::close(p.read);
        ::setpgid(0, 0);
        body(p.write);
        ::_exit(0);
    }
    ::setpgid(pid, pid);  // also done by the child; whichever runs first wins the race
    ::close(p.write);
    return supervise(pid, p.read, timeout);
}

ChildResult run_program(const std::filesystem::path& program, const std::vector<std::string>& args,
                        std::chrono::milliseconds timeout, const std::vector<std::string>& unset) {
    // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
    const std::string path = program.string();
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(path.c_str()));
    for (const std::string& arg : args) {
        argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        const std::string_view entry(*e);
        const bool drop = std::any_of(unset.begin(), unset.end(), [&](const std::string& name) {
            return entry.size() > name.size() && entry.starts_with(name) &&
                   entry[name.size()] == '=';
        });
        if (!drop) {
            envp.push_back(*e);
        }
    }
    envp.push_back(nullptr);

    Pipe p = make_pipe();
    const pid_t pid = fork_or_throw(p);
    if (pid == 0) {
        ::setpgid(0, 0);
        const int null_fd = ::open("/dev/null", O_RDWR);
        if (null_fd >= 0) {
            ::dup2(null_fd, STDIN_FILENO);
            ::dup2(null_fd, STDERR_FILENO);
        }
        ::dup2(p.write, STDOUT_FILENO);
        ::execve(path.c_str(), argv.data(), envp.data());
        ::_exit(127);
    }
    ::setpgid(pid, pid);
    ::close(p.write);
    return supervise(pid, p.read, timeout);
}

}  // namespace cenv::system

#pragma once
// Running another program and collecting what it says: for link scripts and the .pyc
// compiler. The child gets its own stdin text (or /dev/null), and its stdout and stderr are
// read to the end through pipes, so neither side blocks on a full pipe.

#include <atomic>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cenv::util {

struct ProcessSpec {
    std::vector<std::string> argv;  ///< argv[0] is looked up in PATH when it has no '/'
    /// Variables set (or, with nullopt, removed) on top of this process's environment.
    std::map<std::string, std::optional<std::string>> environment;
    std::filesystem::path working_directory;  ///< empty: this process's
    std::string stdin_text;                   ///< written to the child's stdin, then closed
    /// When set and it becomes true (a Ctrl-C noted by the caller), the child is sent
    /// SIGTERM; run_process still waits for it to end.
    const std::atomic<bool>* cancel = nullptr;
};

struct ProcessResult {
    int exit_code = 0;  ///< the exit status, or 128 + the signal that ended the child
    std::string out;
    std::string err;
};

/// Runs `spec` to completion. Throws IoError naming the program when it cannot be started.
ProcessResult run_process(const ProcessSpec& spec);

}  // namespace cenv::util

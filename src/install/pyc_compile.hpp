#pragma once
// Compiling the .py files of noarch python packages into .pyc with the environment's own
// interpreter: one process for the whole transaction (it spreads the files over the CPUs
// when there are many), so that the cost is one interpreter start, not one per file.

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

namespace cenv::install {

struct PycJob {
    std::string source;  ///< relative to the prefix: `lib/python3.11/site-packages/a.py`
    std::string target;  ///< relative: `lib/python3.11/site-packages/__pycache__/a.cpython-311.pyc`
};

struct PycResult {
    std::vector<bool> compiled;         ///< per job: whether its .pyc now exists
    std::vector<std::string> problems;  ///< one line per file that did not compile
};

/// Compiles `jobs` in `prefix` with the interpreter at `python`. A file that does not
/// compile is reported, not fatal (conda does the same). Throws InstallError when the
/// interpreter cannot be run at all. A set `cancel` flag terminates the compiler.
PycResult compile_pyc(const std::filesystem::path& python, const std::filesystem::path& prefix,
                      const std::vector<PycJob>& jobs, const std::atomic<bool>* cancel = nullptr);

}  // namespace cenv::install

#include "install/pyc_compile.hpp"

#include <sys/stat.h>

#include <string_view>

#include <fmt/format.h>

#include "install/error.hpp"
#include "util/file.hpp"
#include "util/subprocess.hpp"

namespace cenv::install {

extern const std::string_view compile_pyc_script;

PycResult compile_pyc(const std::filesystem::path& python, const std::filesystem::path& prefix,
                      const std::vector<PycJob>& jobs, const std::atomic<bool>* cancel) {
    PycResult result;
    result.compiled.assign(jobs.size(), false);
    if (jobs.empty()) {
        return result;
    }
    util::ProcessSpec spec;
    // -E -s: no PYTHON* variables and no user site-packages may change how files compile.
    spec.argv = {python.string(), "-E", "-s", "-Wi", "-c", std::string(compile_pyc_script)};
    spec.environment["PYTHONDONTWRITEBYTECODE"] = std::nullopt;
    spec.cancel = cancel;
    for (const auto& job : jobs) {
        spec.stdin_text += (prefix / job.source).string();
        spec.stdin_text += '\t';
        spec.stdin_text += (prefix / job.target).string();
        spec.stdin_text += '\n';
    }
    util::ProcessResult run;
    try {
        run = util::run_process(spec);
    } catch (const util::IoError& e) {
        throw InstallError(fmt::format("cannot compile .pyc files: {}", e.what()), e.hint());
    }
    if (run.exit_code != 0) {
        result.problems.push_back(fmt::format("{} exited with status {} while compiling: {}",
                                              python.string(), run.exit_code, run.err));
    }
    std::size_t pos = 0;
    while (pos < run.out.size()) {
        const std::size_t end = std::min(run.out.find('\n', pos), run.out.size());
        const std::string_view line(run.out.data() + pos, end - pos);
        if (line.starts_with("failed\t")) {
            result.problems.emplace_back(line.substr(7));
        }
        pos = end + 1;
    }
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        struct stat st {};
        result.compiled[i] = ::lstat((prefix / jobs[i].target).c_str(), &st) == 0;
    }
    return result;
}

}  // namespace cenv::install

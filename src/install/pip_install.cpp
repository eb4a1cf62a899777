#include "install/pip_install.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "install/error.hpp"
#include "util/subprocess.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

namespace {

/// A requirements file that is removed when it goes out of scope.
class RequirementsFile {
  public:
    RequirementsFile(const fs::path& folder, const std::vector<std::string>& lines) {
        for (const fs::path& dir : {folder, fs::temp_directory_path()}) {
            std::string pattern = (dir / ".cenv-pip-requirements-XXXXXX").string();
            const int fd = ::mkstemp(pattern.data());
            if (fd < 0) {
                continue;  // a read-only folder: pip resolves fewer relative paths from tmp
            }
            ::close(fd);
            path_ = pattern;
            std::ofstream out(path_, std::ios::trunc);
            for (const auto& line : lines) {
                out << line << '\n';
            }
            if (out.flush()) {
                return;
            }
        }
        throw InstallError(
            fmt::format("cannot write pip's requirements file in {}", folder.string()),
            "check that the folder of the environment file is writable");
    }
    ~RequirementsFile() {
        std::error_code ec;
        fs::remove(path_, ec);
    }
    RequirementsFile(const RequirementsFile&) = delete;
    RequirementsFile& operator=(const RequirementsFile&) = delete;
    [[nodiscard]] const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

/// The last `lines` lines of `text`.
std::string tail(std::string_view text, std::size_t lines) {
    while (!text.empty() && text.back() == '\n') {
        text.remove_suffix(1);
    }
    std::size_t start = text.size();
    for (std::size_t i = 0; i < lines; ++i) {
        const std::size_t newline =
            start == 0 ? std::string_view::npos : text.rfind('\n', start - 1);
        if (newline == std::string_view::npos) {
            return std::string(text);
        }
        start = newline;
    }
    return std::string(text.substr(start + 1));
}

std::vector<std::string> installed_names(const std::string& output) {
    std::vector<std::string> out;
    constexpr std::string_view marker = "Successfully installed ";
    const std::size_t at = output.rfind(marker);
    if (at == std::string::npos) {
        return out;
    }
    const std::size_t end = output.find('\n', at);
    std::string_view list = std::string_view(output).substr(
        at + marker.size(),
        end == std::string::npos ? std::string::npos : end - at - marker.size());
    while (!list.empty()) {
        const std::size_t space = list.find(' ');
        if (space != 0) {
            out.emplace_back(list.substr(0, space));
        }
        if (space == std::string_view::npos) {
            break;
        }
        list.remove_prefix(space + 1);
    }
    return out;
}

}  // namespace

PipInstallResult pip_install(const fs::path& prefix, const std::vector<std::string>& requirements,
                             const PipInstallOptions& options) {
    const fs::path python = prefix / "bin" / "python";
    std::error_code ec;
    if (!fs::exists(python, ec)) {
        throw InstallError(
            fmt::format("cannot install the pip section into {}: it has no bin/python",
                        prefix.string()),
            "add python and pip to the environment file's dependencies");
    }
    const fs::path folder =
        options.working_directory.empty() ? fs::current_path() : options.working_directory;
    const RequirementsFile file(folder, requirements);

    PipInstallResult result;
    result.argv = {python.string(), "-m", "pip", "install", "-U", "--exists-action=b"};
    if (!options.index_url.empty()) {
        result.argv.insert(result.argv.end(), {"--index-url", options.index_url});
    }
    for (const auto& host : options.trusted_hosts) {
        result.argv.insert(result.argv.end(), {"--trusted-host", host});
    }
    result.argv.insert(result.argv.end(), {"-r", file.path().string()});

    util::ProcessSpec spec;
    spec.argv = result.argv;
    spec.working_directory = folder;
    // The environment's pip, not whatever the caller's shell had set up for another one.
    spec.environment = {{"PYTHONPATH", std::nullopt},
                        {"PYTHONHOME", std::nullopt},
                        {"PIP_REQUIRE_VIRTUALENV", std::nullopt},
                        {"PYTHONNOUSERSITE", "1"},
                        {"PIP_DISABLE_PIP_VERSION_CHECK", "1"},
                        {"PIP_NO_INPUT", "1"}};
    const util::ProcessResult run = util::run_process(spec);
    if (run.exit_code != 0) {
        throw InstallError(
            fmt::format("pip failed to install the pip section into {} (exit status {})",
                        prefix.string(), run.exit_code),
            fmt::format("pip said:\n{}", tail(run.err.empty() ? run.out : run.err, 12)));
    }
    result.output = run.out;
    result.installed = installed_names(run.out);
    return result;
}

}  // namespace cenv::install

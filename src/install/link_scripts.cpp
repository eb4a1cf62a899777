#include "install/link_scripts.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "install/error.hpp"
#include "util/file.hpp"
#include "util/subprocess.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

namespace {

// Activates the environment the way its packages expect (CONDA_PREFIX, PATH, the
// activate.d scripts), then sources the link script, whose status is the result.
constexpr const char* kActivatedRun =
    "export CONDA_PREFIX=\"$PREFIX\" CONDA_DEFAULT_ENV=\"$PREFIX\"\n"
    "export PATH=\"$PREFIX/bin:$PATH\"\n"
    "for cenv_script in \"$PREFIX\"/etc/conda/activate.d/*.sh; do\n"
    "    if [ -f \"$cenv_script\" ]; then . \"$cenv_script\"; fi\n"
    "done\n"
    "unset cenv_script\n"
    ". \"$1\"\n";

}  // namespace

fs::path link_script_path(const fs::path& prefix, const specs::PackageRecord& record,
                          LinkScript kind) {
    return prefix / "bin" /
           fmt::format(".{}-{}.sh", record.name,
                       kind == LinkScript::post_link ? "post-link" : "pre-unlink");
}

std::optional<ScriptRun> run_link_script(const fs::path& prefix, const specs::PackageRecord& record,
                                         LinkScript kind, const fs::path& root_prefix,
                                         const std::atomic<bool>* cancel) {
    const fs::path script = link_script_path(prefix, record, kind);
    struct stat st {};
    if (::stat(script.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return std::nullopt;
    }
    util::ProcessSpec spec;
    if (kind == LinkScript::post_link) {
        spec.argv = {"bash", "-c", kActivatedRun, "cenv-post-link", script.string()};
    } else {
        spec.argv = {"bash", "-x", script.string()};
    }
    const std::string path = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
    spec.environment = {
        {"ROOT_PREFIX", root_prefix.string()},
        {"PREFIX", prefix.string()},
        {"PKG_NAME", record.name},
        {"PKG_VERSION", record.version},
        {"PKG_BUILDNUM", std::to_string(record.build_number)},
        {"PATH", script.parent_path().string() + (path.empty() ? "" : ":" + path)},
    };
    spec.working_directory = script.parent_path();
    spec.cancel = cancel;
    ScriptRun run;
    run.script = script;
    try {
        const auto result = util::run_process(spec);
        run.exit_code = result.exit_code;
        run.out = result.out;
        run.err = result.err;
    } catch (const util::IoError& e) {
        throw InstallError(fmt::format("cannot run the {} script of {}: {}",
                                       kind == LinkScript::post_link ? "post-link" : "pre-unlink",
                                       record.dist_str(), e.what()),
                           "install bash: link scripts are bash scripts");
    }
    run.messages = take_messages(prefix);
    return run;
}

std::string take_messages(const fs::path& prefix) {
    const fs::path path = prefix / ".messages.txt";
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        return {};
    }
    std::string text;
    if (S_ISREG(st.st_mode)) {
        text = util::read_file(path);
    }
    ::unlink(path.c_str());
    return text;
}

}  // namespace cenv::install

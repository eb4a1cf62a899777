#include "install/environment_removal.hpp"

#include <cstdlib>
#include <system_error>

#include <fmt/format.h>

#include "install/environments_file.hpp"
#include "install/error.hpp"
#include "install/prefix_lock.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

void remove_environment(const fs::path& prefix) {
    std::error_code ec;
    if (!fs::is_directory(prefix / "conda-meta", ec)) {
        throw InstallError(
            fmt::format("{} is not an environment (it has no conda-meta folder)", prefix.string()),
            "cenv env list shows the environments there are");
    }
    fs::path doomed;
    {
        const PrefixLock lock = PrefixLock::acquire(prefix);
        std::string pattern =
            (prefix.parent_path() / (".cenv-removed-" + prefix.filename().string() + "-XXXXXX"))
                .string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw InstallError(fmt::format("cannot remove {}: its folder {} is not writable",
                                           prefix.string(), prefix.parent_path().string()),
                               "check the permissions of the folder that holds the environment");
        }
        // rename() replaces the empty folder mkdtemp made: a name nobody else can take.
        doomed = pattern;
        fs::rename(prefix, doomed, ec);
        if (ec) {
            std::error_code ignored;  // the empty placeholder folder; the error is the rename's
            fs::remove(doomed, ignored);
            throw InstallError(fmt::format("cannot remove {}: {}", prefix.string(), ec.message()),
                               "check the permissions of the folder that holds the environment");
        }
    }
    unregister_environment(prefix);
    fs::remove_all(doomed, ec);
    if (ec) {
        throw InstallError(
            fmt::format("{} is removed, but deleting its files failed ({}); they are in {}",
                        prefix.string(), ec.message(), doomed.string()),
            "delete that folder yourself (rm -rf)");
    }
}

}  // namespace cenv::install

#include "install/prefix_lock.hpp"

#include <fmt/format.h>

#include "install/error.hpp"
#include "util/file.hpp"

namespace cenv::install {

PrefixLock PrefixLock::acquire(const std::filesystem::path& prefix,
                               const std::function<void()>& on_wait) {
    try {
        auto lock = util::FileLock::try_acquire_directory(prefix);
        if (!lock) {
            if (on_wait) {
                on_wait();
            }
            lock.emplace(util::FileLock::acquire_directory(prefix));
        }
        const Recovery recovery = Journal::recover(prefix);
        return PrefixLock(prefix, std::move(*lock), recovery);
    } catch (const util::IoError& e) {
        throw InstallError(
            fmt::format("cannot lock the environment '{}': {}", prefix.string(), e.what()),
            "check that the folder exists and that you may write to it");
    }
}

}  // namespace cenv::install

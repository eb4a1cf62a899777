#include "install/prefix_lock.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "install/error.hpp"
#include "util/file.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kNewPrefix = ".cenv-new-";

// Temporary folders of creations that were killed before their rename: nobody holds their
// lock any more.
void remove_stale_creations(const fs::path& parent) {
    std::error_code ec;
    for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().filename().string().starts_with(kNewPrefix) && it->is_directory() &&
            util::FileLock::try_acquire_directory(it->path())) {
            std::error_code rm;
            fs::remove_all(it->path(), rm);
        }
    }
}

}  // namespace

PrefixLock PrefixLock::acquire(const fs::path& prefix, const std::function<void()>& on_wait) {
    try {
        auto lock = util::FileLock::try_acquire_directory(prefix);
        if (!lock) {
            if (on_wait) {
                on_wait();
            }
            lock.emplace(util::FileLock::acquire_directory(prefix));
        }
        const Recovery recovery = Journal::recover(prefix);
        return PrefixLock(prefix, std::move(*lock), recovery, false);
    } catch (const util::IoError& e) {
        throw InstallError(
            fmt::format("cannot lock the environment '{}': {}", prefix.string(), e.what()),
            "check that the folder exists and that you may write to it");
    }
}

PrefixLock PrefixLock::create(const fs::path& prefix) {
    const fs::path parent = prefix.parent_path();
    const auto fail = [&](const std::string& why) {
        return InstallError(
            fmt::format("cannot create the environment folder '{}': {}", prefix.string(), why),
            "check the permissions and free space of its parent folder");
    };
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) {
        throw fail(ec.message());
    }
    remove_stale_creations(parent);
    std::string pattern =
        (parent / fmt::format("{}{}-XXXXXX", kNewPrefix, prefix.filename().string())).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw fail(std::strerror(errno));
    }
    const fs::path temp = pattern;
    try {
        // The lock is on the folder itself, so it stays ours through the rename.
        auto lock = util::FileLock::acquire_directory(temp);
        mark_new_prefix(temp);
        if (::rename(temp.c_str(), prefix.c_str()) != 0) {
            throw fail(std::strerror(errno));
        }
        return PrefixLock(prefix, std::move(lock), Recovery::none, true);
    } catch (...) {  // the temporary folder goes, whatever went wrong; the error goes on
        fs::remove_all(temp, ec);
        throw;
    }
}

}  // namespace cenv::install

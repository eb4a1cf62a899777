#include "util/file_lock.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "util/file.hpp"

namespace cenv::util {
namespace {

namespace fs = std::filesystem;

// Whether a separate process could take the lock at `path` right now.
bool free_for_another_process(const fs::path& path) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::_exit(FileLock::try_acquire(path) ? 0 : 1);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST(FileLock, ADirectoryIsLockedWithoutAFileInIt) {
    std::string dir = (fs::temp_directory_path() / "cenv-lock-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(dir.data()), nullptr);
    const auto other_process_can_lock = [&] {
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::_exit(FileLock::try_acquire_directory(dir) ? 0 : 1);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    };
    {
        const auto lock = FileLock::acquire_directory(dir);
        EXPECT_FALSE(other_process_can_lock());
        EXPECT_TRUE(fs::is_empty(dir));
    }
    EXPECT_TRUE(other_process_can_lock());
    EXPECT_THROW((void)FileLock::acquire_directory(fs::path(dir) / "missing"), IoError);
    fs::remove_all(dir);
}

TEST(FileLock, ExcludesOtherProcessesUntilReleased) {
    std::string dir = (fs::temp_directory_path() / "cenv-lock-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(dir.data()), nullptr);
    const fs::path path = fs::path(dir) / "a.lock";
    {
        auto lock = FileLock::acquire(path);
        EXPECT_TRUE(fs::exists(path));
        EXPECT_FALSE(free_for_another_process(path));
    }
    EXPECT_TRUE(free_for_another_process(path));
    auto lock = FileLock::acquire(path);
    lock.remove_and_release();
    EXPECT_FALSE(fs::exists(path));
    EXPECT_TRUE(free_for_another_process(path));
    fs::remove_all(dir);
}

TEST(FileLock, UnwritableDirectoryIsAnError) {
    EXPECT_THROW((void)FileLock::acquire("/nonexistent/cenv/x.lock"), Error);
}

}  // namespace
}  // namespace cenv::util

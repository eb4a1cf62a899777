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

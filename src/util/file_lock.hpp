#pragma once
// An exclusive advisory lock on a lock file (flock), held for the object's lifetime, so that
// two cenv processes never work on the same thing at once. The lock file may be removed by
// `cenv clean` while nobody holds it: acquiring checks that the locked file is still the
// one at the path, and retries otherwise.

#include <filesystem>
#include <optional>

namespace cenv::util {

class FileLock {
  public:
    /// Waits until the lock on `path` (created when missing) is ours. Throws IoError
    /// naming the path when the file cannot be created or locked.
    static FileLock acquire(const std::filesystem::path& path);
    /// The lock when it is free now; nullopt when another process holds it.
    static std::optional<FileLock> try_acquire(const std::filesystem::path& path);
    /// The same on an existing directory itself (no lock file is created): for locking a
    /// folder whose contents must stay exactly what the tool that owns it wrote.
    static FileLock acquire_directory(const std::filesystem::path& path);
    static std::optional<FileLock> try_acquire_directory(const std::filesystem::path& path);

    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&& other) noexcept;

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    /// Removes the lock file while the lock is still held (used by `clean`), then releases.
    void remove_and_release();

  private:
    FileLock(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
    static std::optional<FileLock> lock(const std::filesystem::path& path, bool wait,
                                        bool directory = false);

    std::filesystem::path path_;
    int fd_ = -1;
};

}  // namespace cenv::util

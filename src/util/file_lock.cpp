#include "util/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "util/file.hpp"

namespace cenv::util {

namespace {

[[noreturn]] void throw_lock(const std::filesystem::path& path, const char* what, int err) {
    throw IoError(
        fmt::format("cannot {} lock file '{}': {}", what, path.string(), std::strerror(err)),
        "check that the directory exists and is writable");
}

}  // namespace

std::optional<FileLock> FileLock::lock(const std::filesystem::path& path, bool wait,
                                       bool directory) {
    while (true) {
        const int fd = directory ? ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                                 : ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            throw_lock(path, "open", errno);
        }
        int rc = 0;
        do {
            rc = ::flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB));
        } while (rc != 0 && errno == EINTR);
        if (rc != 0) {
            const int err = errno;
            ::close(fd);
            if (err == EWOULDBLOCK) {
                return std::nullopt;
            }
            throw_lock(path, "take", err);
        }
        // Someone may have removed (and someone else re-created) the file between our open
        // and our flock: then we hold a lock nobody else sees. Try again on the new file.
        struct stat held {};
        struct stat now {};
        if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &now) == 0 &&
            held.st_dev == now.st_dev && held.st_ino == now.st_ino) {
            return FileLock(path, fd);
        }
        ::close(fd);
    }
}

FileLock FileLock::acquire(const std::filesystem::path& path) {
    return std::move(*lock(path, true));
}

std::optional<FileLock> FileLock::try_acquire(const std::filesystem::path& path) {
    return lock(path, false);
}

FileLock FileLock::acquire_directory(const std::filesystem::path& path) {
    return std::move(*lock(path, true, true));
}

std::optional<FileLock> FileLock::try_acquire_directory(const std::filesystem::path& path) {
    return lock(path, false, true);
}

FileLock::~FileLock() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

FileLock::FileLock(FileLock&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        path_ = std::move(other.path_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

void FileLock::remove_and_release() {
    if (fd_ >= 0) {
        ::unlink(path_.c_str());
        ::close(fd_);
        fd_ = -1;
    }
}

}  // namespace cenv::util

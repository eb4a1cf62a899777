#include "util/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace cenv::util {

namespace {

[[noreturn]] void throw_io(const std::filesystem::path& path, const char* what, int err) {
    throw IoError(fmt::format("cannot {} '{}': {}", what, path.string(), std::strerror(err)),
                  err == ENOENT ? "check the path; it does not exist" : std::string{});
}

}  // namespace

std::string read_file(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw_io(path, "open", errno);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        throw_io(path, "stat", err);
    }
    if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw IoError(fmt::format("cannot read '{}': it is a directory", path.string()),
                      "give the path of a file");
    }
    std::string content;
    content.resize(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (true) {
        if (done == content.size()) {
            // The size from fstat may be stale (a growing file, /proc): keep reading.
            content.resize(content.size() + 65536);
        }
        const ssize_t n = ::read(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            const int err = errno;
            ::close(fd);
            throw_io(path, "read", err);
        }
        if (n == 0) {
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    content.resize(done);
    return content;
}

}  // namespace cenv::util

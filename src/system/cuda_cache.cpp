#include "system/cuda_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fmt/format.h>

#include "system/driver_record.hpp"
#include "system/error.hpp"
#include "system/isolated.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

namespace cenv::system {

namespace {

constexpr std::string_view kHeader = "cenv-cuda-cache 1";

bool one_line(const std::string& s) {
    return s.find_first_of("\r\n") == std::string::npos;
}

/// "nvml PATH REAL SIZE MTIME INODE", "nvml -" when absent; nullopt when unusable.
std::optional<std::string> library_line(std::string_view role,
                                        const std::optional<std::filesystem::path>& path) {
    if (!path) {
        return fmt::format("identity {} -", role);
    }
    std::error_code ec;
    const auto real = std::filesystem::canonical(*path, ec);
    struct stat st {};
    if (ec || ::stat(real.c_str(), &st) != 0 || !one_line(path->string()) ||
        !one_line(real.string())) {
        return std::nullopt;
    }
    const long long mtime_ns =
        static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    return fmt::format("identity {} {} {} {} {} {}", role, path->string(), real.string(),
                       static_cast<long long>(st.st_size), mtime_ns,
                       static_cast<unsigned long long>(st.st_ino));
}

std::string boot_id() {
    try {
        return std::string(util::trim(util::read_file("/proc/sys/kernel/random/boot_id")));
    } catch (const util::IoError&) {
        return "-";  // no /proc: the libraries' identity alone keys the cache
    }
}

}  // namespace

std::string driver_identity(const std::optional<std::filesystem::path>& nvml,
                            const std::optional<std::filesystem::path>& libcuda) {
    if (!nvml && !libcuda) {
        return {};
    }
    const auto nvml_line = library_line("nvml", nvml);
    const auto cuda_line = library_line("libcuda", libcuda);
    if (!nvml_line || !cuda_line) {
        return {};
    }
    return fmt::format("{}\n{}\nidentity boot {}\n", *nvml_line, *cuda_line, boot_id());
}

CacheLookup read_cuda_cache(const std::filesystem::path& file, const std::string& identity) {
    CacheLookup lookup;
    std::string text;
    try {
        text = util::read_file(file);
    } catch (const util::IoError&) {
        return lookup;  // missing or unreadable: detect and (try to) write it anew
    }
    if (!text.starts_with(kHeader) || text.size() == kHeader.size() ||
        text[kHeader.size()] != '\n') {
        lookup.state = CacheState::corrupt;
        return lookup;
    }
    std::string cached_identity;
    std::string record;
    for (const std::string_view line :
         util::split_any(std::string_view(text).substr(kHeader.size()), "\n")) {
        if (line.starts_with("identity ")) {
            cached_identity.append(line).append("\n");
        } else {
            record.append(line).append("\n");
        }
    }
    auto driver = parse_driver_record(record);
    if (!driver || cached_identity.empty()) {
        lookup.state = CacheState::corrupt;
        return lookup;
    }
    if (cached_identity != identity) {
        lookup.state = CacheState::stale;
        return lookup;
    }
    lookup.state = CacheState::hit;
    lookup.driver = std::move(driver);
    return lookup;
}

void write_cuda_cache(const std::filesystem::path& file, const std::string& identity,
                      const CudaDriver& driver) {
    const auto fail = [&](const char* what, int err) {
        throw SystemError(fmt::format("cannot {} the CUDA cache '{}': {}", what, file.string(),
                                      std::strerror(err)),
                          "check that the directory is writable, or turn the cache off");
    };
    std::error_code ec;
    if (file.has_parent_path()) {
        std::filesystem::create_directories(file.parent_path(), ec);
        if (ec) {
            fail("create the directory of", ec.value());
        }
    }
    const std::string content =
        fmt::format("{}\n{}{}", kHeader, identity, format_driver_record(driver));
    const std::filesystem::path temp = file.string() + fmt::format(".tmp{}", ::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        fail("write", errno);
    }
    const bool written = write_all(fd, content);
    const int write_err = errno;
    if (::close(fd) != 0 || !written) {
        ::unlink(temp.c_str());
        fail("write", written ? errno : write_err);
    }
    if (::rename(temp.c_str(), file.c_str()) != 0) {
        const int err = errno;
        ::unlink(temp.c_str());
        fail("replace", err);
    }
}

}  // namespace cenv::system

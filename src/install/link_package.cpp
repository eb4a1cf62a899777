#include "install/link_package.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "install/error.hpp"
#include "install/prefix_replace.hpp"
#include "util/hash.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

namespace {

using Kind = PlannedPath::Kind;

// A directory opened once, for the *at() calls: no re-resolution of the prefix per file.
class Dir {
  public:
    explicit Dir(const fs::path& path)
        : fd_(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
        if (fd_ < 0) {
            throw InstallError(
                fmt::format("cannot open '{}': {}", path.string(), std::strerror(errno)),
                "check that the folder exists and is readable");
        }
    }
    ~Dir() { ::close(fd_); }
    Dir(const Dir&) = delete;
    Dir& operator=(const Dir&) = delete;
    [[nodiscard]] int fd() const { return fd_; }

  private:
    int fd_;
};

class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    [[nodiscard]] int get() const { return fd_; }
    [[nodiscard]] bool ok() const { return fd_ >= 0; }

  private:
    int fd_;
};

// Removes the folder `path` (relative to `dirfd`) when it holds nothing but folders: what
// the removal of a package leaves where the new version has a file.
bool remove_empty_folder(int dirfd, const std::string& path) {
    if (::unlinkat(dirfd, path.c_str(), AT_REMOVEDIR) == 0) {
        return true;
    }
    if (errno != ENOTEMPTY && errno != EEXIST) {
        return false;
    }
    const Fd fd(::openat(dirfd, path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.ok()) {
        return false;
    }
    DIR* dir = ::fdopendir(::dup(fd.get()));
    if (dir == nullptr) {
        return false;
    }
    bool ok = true;
    while (const dirent* entry = ::readdir(dir)) {
        const std::string_view name(entry->d_name);
        if (name == "." || name == "..") {
            continue;
        }
        bool is_dir = entry->d_type == DT_DIR;
        if (entry->d_type == DT_UNKNOWN) {
            struct stat st {};
            is_dir = ::fstatat(fd.get(), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                     S_ISDIR(st.st_mode);
        }
        ok = ok && is_dir && remove_empty_folder(fd.get(), std::string(name));
    }
    ::closedir(dir);
    return ok && ::unlinkat(dirfd, path.c_str(), AT_REMOVEDIR) == 0;
}

struct Linker {
    const PackageLink& link;
    const LinkContext& context;
    const Dir& tree;
    const Dir& prefix;
    std::string prefix_text;

    [[nodiscard]] std::string name() const { return link.record.dist_str(); }

    [[noreturn]] void fail(const std::string& path, const char* what, int err) const {
        throw InstallError(fmt::format("cannot {} '{}' of {} in '{}': {}", what, path, name(),
                                       context.prefix.string(), std::strerror(err)),
                           err == ENOSPC || err == EDQUOT
                               ? "free some disk space and try again"
                               : "check the permissions of the environment folder");
    }

    // Opens the target for writing; it must not exist (the transaction moved away what was
    // there). An empty directory in the way is what an upgrade left when a folder became a
    // file: it goes.
    int create_target(const std::string& target, mode_t mode) const {
        int fd =
            ::openat(prefix.fd(), target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fd < 0 && errno == EEXIST &&
            ::unlinkat(prefix.fd(), target.c_str(), AT_REMOVEDIR) == 0) {
            fd = ::openat(prefix.fd(), target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                          mode);
        }
        if (fd < 0) {
            fail(target, "create", errno);
        }
        // The umask must not take the executable bit away.
        ::fchmod(fd, mode);
        return fd;
    }

    void write_all(int fd, const std::string& target, const char* data, std::size_t size) const {
        while (size > 0) {
            const ssize_t n = ::write(fd, data, size);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                fail(target, "write", errno);
            }
            data += n;
            size -= static_cast<std::size_t>(n);
        }
    }

    std::string read_source(const std::string& source, struct stat& st) const {
        const Fd fd(::openat(tree.fd(), source.c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd.ok() || ::fstat(fd.get(), &st) != 0) {
            missing(source, errno);
        }
        std::string data(static_cast<std::size_t>(st.st_size), '\0');
        std::size_t got = 0;
        while (got < data.size()) {
            const ssize_t n = ::read(fd.get(), data.data() + got, data.size() - got);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                missing(source, n < 0 ? errno : EIO);
            }
            got += static_cast<std::size_t>(n);
        }
        return data;
    }

    [[noreturn]] void missing(const std::string& source, int err) const {
        throw InstallError(
            fmt::format("{} lists '{}', which cannot be read from the package cache '{}': {}",
                        name(), source, link.tree.string(), std::strerror(err)),
            "the package in the cache is damaged: remove it (cenv clean --pkgs) and install "
            "again");
    }

    void copy_file(const std::string& source, const std::string& target) const {
        const Fd in(::openat(tree.fd(), source.c_str(), O_RDONLY | O_CLOEXEC));
        struct stat st {};
        if (!in.ok() || ::fstat(in.get(), &st) != 0) {
            missing(source, errno);
        }
        const Fd out(create_target(target, st.st_mode & 07777));
        off_t left = st.st_size;
        while (left > 0) {
            const ssize_t n = ::copy_file_range(in.get(), nullptr, out.get(), nullptr,
                                                static_cast<std::size_t>(left), 0);
            if (n > 0) {
                left -= n;
                continue;
            }
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0 && errno != EXDEV && errno != ENOSYS && errno != EOPNOTSUPP &&
                errno != EINVAL) {
                fail(target, "copy", errno);
            }
            // No copy_file_range here (or it stopped short): plain reads and writes.
            std::string buffer(1 << 16, '\0');
            while (true) {
                const ssize_t r = ::read(in.get(), buffer.data(), buffer.size());
                if (r < 0 && errno == EINTR) {
                    continue;
                }
                if (r < 0) {
                    missing(source, errno);
                }
                if (r == 0) {
                    break;
                }
                write_all(out.get(), target, buffer.data(), static_cast<std::size_t>(r));
            }
            break;
        }
        // The cached file's times, so that a copied .py keeps the mtime its .pyc checks.
        const struct timespec times[2] = {st.st_atim, st.st_mtim};
        ::futimens(out.get(), times);
    }

    // A file: hard link, copy, or rewritten with the prefix. Returns sha256_in_prefix.
    std::string place_file(const specs::PathEntry& entry, const std::string& target,
                           specs::LinkType& used) const {
        const bool patch =
            entry.file_mode != specs::FileMode::none && !entry.prefix_placeholder.empty();
        if (patch) {
            struct stat st {};
            std::string data = read_source(entry.path, st);
            bool changed = false;
            if (entry.file_mode == specs::FileMode::text) {
                std::string replaced =
                    replace_text_prefix(data, entry.prefix_placeholder, prefix_text);
                changed = replaced != data;
                data = std::move(replaced);
            } else {
                const long n = replace_binary_prefix(data, entry.prefix_placeholder, prefix_text);
                if (n < 0) {
                    throw InstallError(
                        fmt::format("the environment path '{}' ({} bytes) is longer than the "
                                    "placeholder that {} left for it in '{}' ({} bytes)",
                                    prefix_text, prefix_text.size(), name(), entry.path,
                                    entry.prefix_placeholder.size()),
                        fmt::format("use an environment path of at most {} characters",
                                    entry.prefix_placeholder.size()));
                }
                changed = n > 0;
            }
            if (changed) {
                const Fd out(create_target(target, st.st_mode & 07777));
                write_all(out.get(), target, data.data(), data.size());
                util::Hasher hasher(util::HashAlgorithm::sha256);
                hasher.update(data);
                return hasher.hex_digest();
            }
        }
        if (!entry.no_link && context.hard_links_work != nullptr &&
            context.hard_links_work->load(std::memory_order_relaxed)) {
            if (::linkat(tree.fd(), entry.path.c_str(), prefix.fd(), target.c_str(), 0) == 0) {
                return entry.sha256;
            }
            const int err = errno;
            if (err == EXDEV || err == EPERM || err == EMLINK) {
                if (err == EXDEV) {
                    context.hard_links_work->store(false);
                }
            } else if (err == EEXIST && remove_empty_folder(prefix.fd(), target) &&
                       ::linkat(tree.fd(), entry.path.c_str(), prefix.fd(), target.c_str(), 0) ==
                           0) {
                return entry.sha256;
            } else if (err == ENOENT) {
                missing(entry.path, err);
            } else {
                fail(target, "link", err);
            }
        }
        copy_file(entry.path, target);
        used = specs::LinkType::copy;
        return entry.sha256;
    }

    // A soft link, with the target the package recorded. Archives repacked by some tools
    // lose their links (empty targets, or empty files in their place) while paths.json
    // still names the linked file by its sha256: the link is then made to that file.
    void place_softlink(const specs::PathEntry& entry, const std::string& target) const {
        char buffer[4096];
        const ssize_t n = ::readlinkat(tree.fd(), entry.path.c_str(), buffer, sizeof buffer);
        std::string destination;
        if (n > 0) {
            destination.assign(buffer, static_cast<std::size_t>(n));
        } else if (const auto repaired = repaired_target(entry)) {
            destination = *repaired;
        } else {
            // Not a link in the package: conda links whatever file is there.
            specs::LinkType ignored = specs::LinkType::hardlink;
            (void)place_file(entry, target, ignored);
            return;
        }
        // A link in the cache is shared like a file (a hard link to the link itself: no new
        // inode to allocate); made anew across filesystems or when it had to be repaired.
        if (n > 0 && context.hard_links_work != nullptr &&
            context.hard_links_work->load(std::memory_order_relaxed) &&
            ::linkat(tree.fd(), entry.path.c_str(), prefix.fd(), target.c_str(), 0) == 0) {
            return;
        }
        if (::symlinkat(destination.c_str(), prefix.fd(), target.c_str()) != 0) {
            fail(target, "create the link", errno);
        }
    }

    std::optional<std::string> repaired_target(const specs::PathEntry& link_entry) const {
        if (link_entry.sha256.empty()) {
            return std::nullopt;
        }
        const fs::path from = fs::path(link_entry.path).parent_path();
        for (const auto& entry : link.contents.paths.paths) {
            if (entry.type == specs::PathType::hardlink && entry.sha256 == link_entry.sha256) {
                return fs::path(entry.path).lexically_relative(from).string();
            }
        }
        return std::nullopt;
    }
};

}  // namespace

PackageLink plan_package_link(specs::PackageRecord record, fs::path tree,
                              const std::optional<PythonLayout>& python) {
    PackageLink link{std::move(record), std::move(tree), read_package_contents(link.tree), {}};
    const bool noarch_python = link.contents.noarch == specs::NoArchType::python;
    if (noarch_python && !python) {
        throw InstallError(
            fmt::format("{} is a noarch python package, and the environment has no python",
                        link.record.dist_str()),
            "add python to the packages you install");
    }
    const auto& entries = link.contents.paths.paths;
    link.paths.reserve(entries.size() + link.contents.entry_points.size());
    for (std::uint32_t i = 0; i < entries.size(); ++i) {
        const auto& entry = entries[i];
        PlannedPath planned;
        planned.target = noarch_python ? noarch_python_target(entry.path, *python) : entry.path;
        planned.kind = entry.type == specs::PathType::softlink    ? Kind::softlink
                       : entry.type == specs::PathType::directory ? Kind::directory
                                                                  : Kind::file;
        planned.source = i;
        link.paths.push_back(std::move(planned));
    }
    if (noarch_python) {
        for (std::uint32_t i = 0; i < link.contents.entry_points.size(); ++i) {
            link.paths.push_back(
                {"bin/" + link.contents.entry_points[i].command, Kind::entry_point, i, true});
        }
        const auto files = static_cast<std::uint32_t>(link.paths.size());
        for (std::uint32_t i = 0; i < files; ++i) {
            const auto& planned = link.paths[i];
            if (planned.kind == Kind::file && planned.target.ends_with(".py") &&
                planned.target.starts_with(python->site_packages + "/")) {
                link.paths.push_back({pyc_target(planned.target, *python), Kind::pyc, i, true});
            }
        }
    }
    return link;
}

LinkedPackage link_package(const PackageLink& link, const LinkContext& context) {
    const Dir tree(link.tree);
    const Dir prefix(context.prefix);
    const Linker linker{link, context, tree, prefix, context.prefix.string()};
    LinkedPackage out;
    out.files.reserve(link.paths.size());
    out.paths_data.paths.reserve(link.paths.size());
    const auto& entries = link.contents.paths.paths;
    for (const auto& planned : link.paths) {
        if (context.interrupted != nullptr &&
            context.interrupted->load(std::memory_order_relaxed)) {
            throw Interrupted("interrupted", "");
        }
        if (planned.kind == Kind::pyc) {
            continue;  // compiled later, recorded when it exists
        }
        specs::PathEntry recorded;
        recorded.path = planned.target;
        if (planned.kind == Kind::entry_point) {
            recorded.type = specs::PathType::unix_python_entry_point;
            if (planned.write) {
                const auto& ep = link.contents.entry_points[planned.source];
                const std::string script =
                    entry_point_script(ep, (context.prefix / context.python->executable).string());
                const Fd out_fd(linker.create_target(planned.target, 0755));
                linker.write_all(out_fd.get(), planned.target, script.data(), script.size());
            }
        } else {
            const auto& entry = entries[planned.source];
            recorded.type = entry.type;
            recorded.file_mode = entry.file_mode;
            recorded.prefix_placeholder = entry.prefix_placeholder;
            recorded.no_link = entry.no_link;
            recorded.sha256 = entry.sha256;
            recorded.size_in_bytes = entry.size_in_bytes;
            if (planned.kind == Kind::directory) {
                if (planned.write && ::mkdirat(prefix.fd(), planned.target.c_str(), 0755) != 0 &&
                    errno != EEXIST) {
                    linker.fail(planned.target, "create the folder", errno);
                }
            } else if (planned.kind == Kind::softlink) {
                if (planned.write) {
                    linker.place_softlink(entry, planned.target);
                }
            } else {
                recorded.sha256_in_prefix =
                    planned.write ? linker.place_file(entry, planned.target, out.link_type)
                                  : entry.sha256;
            }
        }
        out.files.push_back(planned.target);
        out.paths_data.paths.push_back(std::move(recorded));
    }
    return out;
}

}  // namespace cenv::install

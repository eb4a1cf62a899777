#include "install/extract.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "install/entry_guard.hpp"
#include "install/error.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDamagedHint =
    "the archive is damaged or truncated; nothing was extracted; remove it and download it "
    "again";
constexpr const char* kUnsafeHint =
    "the package tries to write outside its own directory or makes special files; nothing was "
    "extracted; do not install it, and tell the channel's maintainers";

struct ArchiveDeleter {
    void operator()(archive* a) const noexcept { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

ArchivePtr new_reader() {
    ArchivePtr a(archive_read_new());
    if (!a) {
        throw InstallError("cannot create an archive reader: out of memory");
    }
    return a;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// One archive (or the inner tarball of a .conda) written into a temporary tree.
class TreeWriter {
  public:
    TreeWriter(const fs::path& archive_path, const fs::path& root)
        : archive_path_(archive_path), root_(root) {}

    void write_all(archive* a, std::string_view member) {
        archive_entry* entry = nullptr;
        while (true) {
            const int rc = archive_read_next_header(a, &entry);
            if (rc == ARCHIVE_EOF) {
                return;
            }
            if (rc < ARCHIVE_WARN) {
                damaged(a, member);
            }
            write_entry(a, entry, member);
        }
    }

    void final_check() const {
        if (auto bad = guard_.recheck_symlinks()) {
            unsafe(bad->first, bad->second);
        }
    }

    [[noreturn]] void damaged(archive* a, std::string_view member) const {
        const char* why = archive_error_string(a);
        throw InstallError(
            fmt::format("cannot extract '{}'{}: {}", archive_path_.string(),
                        member.empty() ? std::string{} : fmt::format(" (member '{}')", member),
                        why != nullptr ? why : "unreadable archive"),
            kDamagedHint);
    }

  private:
    [[noreturn]] void unsafe(std::string_view entry, std::string_view reason) const {
        throw InstallError(fmt::format("refusing to extract '{}': entry '{}' {}",
                                       archive_path_.string(), entry, reason),
                           kUnsafeHint);
    }

    [[noreturn]] void io_failure(const fs::path& path, int err) const {
        throw InstallError(fmt::format("cannot extract '{}': writing '{}' failed: {}",
                                       archive_path_.string(), path.string(), std::strerror(err)),
                           "check the free space and permissions of the package cache");
    }

    void write_entry(archive* a, archive_entry* entry, std::string_view member) {
        const char* raw = archive_entry_pathname(entry);
        const std::string name = raw != nullptr ? raw : "";
        std::string path;
        if (auto reason = EntryGuard::normalize(name, path)) {
            unsafe(name, *reason);
        }
        if (auto reason = guard_.check_parents(path)) {
            unsafe(name, *reason);
        }
        const fs::path dest = root_ / path;
        const mode_t type = archive_entry_filetype(entry);
        const mode_t mode = archive_entry_perm(entry) & 0777;
        const char* hardlink = archive_entry_hardlink(entry);
        if (path.empty()) {
            if (type == AE_IFDIR) {
                return;  // the root itself
            }
            unsafe(name, "has an empty path");
        }
        if (hardlink != nullptr) {
            std::string target;
            if (auto reason = guard_.check_hardlink(hardlink, target)) {
                unsafe(name, *reason);
            }
            if (auto reason = guard_.check_parents(target)) {
                unsafe(name, *reason);
            }
            make_parents(dest);
            replace_existing(dest, path);
            if (::link((root_ / target).c_str(), dest.c_str()) != 0) {
                io_failure(dest, errno);
            }
            guard_.add_file(path);
            return;
        }
        switch (type) {
            case AE_IFDIR:
                make_parents(dest);
                if (::mkdir(dest.c_str(), mode | 0700) != 0) {
                    if (errno != EEXIST || !fs::is_directory(fs::symlink_status(dest))) {
                        io_failure(dest, errno);
                    }
                    ::chmod(dest.c_str(), mode | 0700);
                }
                guard_.forget(path);
                return;
            case AE_IFLNK: {
                const char* raw_target = archive_entry_symlink(entry);
                const std::string target = raw_target != nullptr ? raw_target : "";
                if (auto reason = guard_.check_symlink(path, target)) {
                    unsafe(name, *reason);
                }
                if (target.empty()) {
                    // Some repacked packages carry symlinks with no target; no system can make
                    // one, and it leads nowhere, so it is left out (conda's tar fails on it).
                    return;
                }
                make_parents(dest);
                replace_existing(dest, path);
                if (::symlink(target.c_str(), dest.c_str()) != 0) {
                    io_failure(dest, errno);
                }
                guard_.add_symlink(path, target);
                return;
            }
            case AE_IFREG:
                make_parents(dest);
                replace_existing(dest, path);
                write_file(a, dest, mode | 0600, entry, member);
                guard_.add_file(path);
                return;
            default:
                unsafe(name, "is a device, FIFO or socket, which a package may not contain");
        }
    }

    void make_parents(const fs::path& dest) const {
        std::error_code ec;
        fs::create_directories(dest.parent_path(), ec);
        if (ec) {
            io_failure(dest.parent_path(), ec.value());
        }
    }

    // A tarball may hold the same path twice; the later entry wins, as with tar.
    void replace_existing(const fs::path& dest, const std::string& path) {
        struct stat st {};
        if (::lstat(dest.c_str(), &st) != 0) {
            return;
        }
        if (S_ISDIR(st.st_mode)) {
            throw InstallError(fmt::format("cannot extract '{}': entry '{}' replaces a directory",
                                           archive_path_.string(), path),
                               kDamagedHint);
        }
        if (::unlink(dest.c_str()) != 0) {
            io_failure(dest, errno);
        }
        guard_.forget(path);
    }

    void write_file(archive* a, const fs::path& dest, mode_t mode, archive_entry* entry,
                    std::string_view member) {
        const la_int64_t entry_size = archive_entry_size(entry);
        const int fd =
            ::open(dest.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd < 0) {
            io_failure(dest, errno);
        }
        const void* block = nullptr;
        std::size_t size = 0;
        la_int64_t offset = 0;
        la_int64_t end = 0;
        while (true) {
            const int rc = archive_read_data_block(a, &block, &size, &offset);
            if (rc == ARCHIVE_EOF) {
                break;
            }
            if (rc < ARCHIVE_WARN) {
                ::close(fd);
                damaged(a, member);
            }
            const char* p = static_cast<const char*>(block);
            std::size_t left = size;
            off_t at = static_cast<off_t>(offset);
            while (left > 0) {
                const ssize_t n = ::pwrite(fd, p, left, at);
                if (n < 0) {
                    if (errno == EINTR) {
                        continue;
                    }
                    const int err = errno;
                    ::close(fd);
                    io_failure(dest, err);
                }
                p += n;
                left -= static_cast<std::size_t>(n);
                at += n;
            }
            end = offset + static_cast<la_int64_t>(size);
        }
        // Sparse files end in a hole that no block covers.
        if (end < entry_size && ::ftruncate(fd, static_cast<off_t>(entry_size)) != 0) {
            const int err = errno;
            ::close(fd);
            io_failure(dest, err);
        }
        // The mode again: the umask trimmed the one given to open().
        (void)::fchmod(fd, mode);
        // The packaged modification time: Python checks a .pyc against its source's mtime,
        // so packages' compiled files stay valid only if the sources keep theirs.
        if (archive_entry_mtime_is_set(entry) != 0) {
            const timespec times[2] = {
                {archive_entry_mtime(entry), archive_entry_mtime_nsec(entry)},
                {archive_entry_mtime(entry), archive_entry_mtime_nsec(entry)}};
            (void)::futimens(fd, times);
        }
        if (::close(fd) != 0) {
            io_failure(dest, errno);
        }
    }

    const fs::path& archive_path_;
    const fs::path& root_;
    EntryGuard guard_;
};

// The inner tarball of a .conda, read straight out of the zip as libarchive inflates it.
struct MemberStream {
    archive* outer;
};

la_ssize_t read_member(archive*, void* client, const void** buffer) {
    auto* stream = static_cast<MemberStream*>(client);
    std::size_t size = 0;
    la_int64_t offset = 0;
    const int rc = archive_read_data_block(stream->outer, buffer, &size, &offset);
    if (rc == ARCHIVE_EOF) {
        return 0;
    }
    if (rc < ARCHIVE_WARN) {
        return -1;
    }
    return static_cast<la_ssize_t>(size);
}

void extract_member(archive* outer, std::string_view member, TreeWriter& writer) {
    ArchivePtr inner = new_reader();
    archive_read_support_filter_zstd(inner.get());
    archive_read_support_format_tar(inner.get());
    MemberStream stream{outer};
    if (archive_read_open(inner.get(), &stream, nullptr, read_member, nullptr) != ARCHIVE_OK) {
        const char* outer_why = archive_error_string(outer);
        writer.damaged(outer_why != nullptr ? outer : inner.get(), member);
    }
    writer.write_all(inner.get(), member);
}

void extract_conda(const fs::path& archive_path, TreeWriter& writer) {
    ArchivePtr outer = new_reader();
    // The seekable reader trusts the zip's central directory, so members written with data
    // descriptors (sizes only after the data) read as well as ordinary ones.
    archive_read_support_format_zip_seekable(outer.get());
    if (archive_read_open_filename(outer.get(), archive_path.c_str(), 1 << 16) != ARCHIVE_OK) {
        writer.damaged(outer.get(), {});
    }
    bool info = false;
    bool pkg = false;
    archive_entry* entry = nullptr;
    while (true) {
        const int rc = archive_read_next_header(outer.get(), &entry);
        if (rc == ARCHIVE_EOF) {
            break;
        }
        if (rc < ARCHIVE_WARN) {
            writer.damaged(outer.get(), {});
        }
        const char* raw = archive_entry_pathname(entry);
        const std::string name = raw != nullptr ? raw : "";
        // Members are found by their base name: some tools re-zip packages under a folder.
        const std::string base = fs::path(name).filename().string();
        if (!ends_with(base, ".tar.zst")) {
            continue;
        }
        if (base.starts_with("info-")) {
            info = true;
        } else if (base.starts_with("pkg-")) {
            pkg = true;
        } else {
            continue;
        }
        extract_member(outer.get(), name, writer);
    }
    if (!info || !pkg) {
        throw InstallError(
            fmt::format("cannot extract '{}': it holds no {} member, so it is not "
                        "a .conda package",
                        archive_path.string(), info ? "pkg-*.tar.zst" : "info-*.tar.zst"),
            kDamagedHint);
    }
}

void extract_tarball(const fs::path& archive_path, TreeWriter& writer) {
    ArchivePtr a = new_reader();
    archive_read_support_filter_all(a.get());
    archive_read_support_format_tar(a.get());
    archive_read_support_format_gnutar(a.get());
    if (archive_read_open_filename(a.get(), archive_path.c_str(), 1 << 16) != ARCHIVE_OK) {
        writer.damaged(a.get(), {});
    }
    writer.write_all(a.get(), {});
}

// Removes the temporary tree unless the extraction got to the end.
class TempTree {
  public:
    explicit TempTree(fs::path path) : path_(std::move(path)) {}
    ~TempTree() {
        if (!path_.empty()) {
            std::error_code ec;
            fs::remove_all(path_, ec);
        }
    }
    TempTree(const TempTree&) = delete;
    TempTree& operator=(const TempTree&) = delete;
    [[nodiscard]] const fs::path& path() const { return path_; }
    void release() { path_.clear(); }

  private:
    fs::path path_;
};

fs::path make_temp_sibling(const fs::path& target, std::string_view kind) {
    std::string pattern =
        (target.parent_path() / fmt::format(".cenv-{}-{}-XXXXXX", kind, target.filename().string()))
            .string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        const int err = errno;
        throw InstallError(fmt::format("cannot create a temporary directory next to '{}': {}",
                                       target.string(), std::strerror(err)),
                           "check that the package cache exists and is writable");
    }
    return pattern;
}

}  // namespace

void extract_package(const fs::path& archive, const fs::path& target, const FinishTree& finish) {
    if (!fs::is_regular_file(archive)) {
        throw InstallError(fmt::format("cannot extract '{}': no such file", archive.string()),
                           "check the path of the package archive");
    }
    {
        std::error_code ec;
        fs::create_directories(target.parent_path(), ec);
    }
    TempTree temp(make_temp_sibling(target, "tmp"));
    ::chmod(temp.path().c_str(), 0755);
    TreeWriter writer(archive, temp.path());
    if (archive_format(archive) == ArchiveFormat::conda) {
        extract_conda(archive, writer);
    } else {
        extract_tarball(archive, writer);
    }
    writer.final_check();
    if (finish) {
        finish(temp.path());
    }
    // Swap the new tree in; an old one (invalid, or being replaced) goes aside first, since
    // rename() cannot replace a non-empty directory.
    std::error_code ec;
    if (fs::exists(fs::symlink_status(target))) {
        TempTree old(make_temp_sibling(target, "old"));
        fs::rename(target, old.path() / "tree", ec);
        if (ec) {
            throw InstallError(
                fmt::format("cannot move the old '{}' aside: {}", target.string(), ec.message()),
                "check the permissions of the package cache");
        }
        fs::rename(temp.path(), target, ec);
    } else {
        fs::rename(temp.path(), target, ec);
    }
    if (ec) {
        throw InstallError(fmt::format("cannot move the extracted '{}' into place: {}",
                                       target.string(), ec.message()),
                           "check the permissions of the package cache");
    }
    temp.release();
}

ArchiveFormat archive_format(const fs::path& archive) {
    return ends_with(archive.filename().string(), ".conda") ? ArchiveFormat::conda
                                                            : ArchiveFormat::tarball;
}

std::string archive_stem(const fs::path& archive) {
    const std::string name = archive.filename().string();
    for (std::string_view suffix : {".conda", ".tar.bz2", ".tar.gz", ".tar.zst", ".tar"}) {
        if (ends_with(name, suffix)) {
            return std::string(std::string_view(name).substr(0, name.size() - suffix.size()));
        }
    }
    return name;
}

}  // namespace cenv::install

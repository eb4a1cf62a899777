#include "install/journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include <fmt/format.h>

#include "install/error.hpp"
#include "util/file.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

namespace {

constexpr const char* kHeader = "cenv-transaction 1";

// Journal lines hold paths; a newline or backslash in one is escaped.
std::string escape(std::string_view path) {
    std::string out;
    out.reserve(path.size());
    for (const char c : path) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string unescape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            out += text[++i] == 'n' ? '\n' : text[i];
        } else {
            out += text[i];
        }
    }
    return out;
}

bool lexists(const fs::path& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

bool is_real_directory(const fs::path& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

void write_fully(int fd, const std::string& text, const fs::path& path) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            throw InstallError(fmt::format("cannot write the transaction journal '{}': {}",
                                           path.string(), std::strerror(err)),
                               err == ENOSPC ? "free some disk space and try again"
                                             : "check the permissions of the environment folder");
        }
        done += static_cast<std::size_t>(n);
    }
}

void sync_directory(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// Empties a fresh prefix again: everything but the journal.
void empty_prefix(const fs::path& prefix) {
    std::error_code ec;
    for (fs::directory_iterator it(prefix, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().filename() != ".cenv-transaction") {
            std::error_code rm;
            fs::remove_all(it->path(), rm);
        }
    }
}

}  // namespace

fs::path transaction_dir(const fs::path& prefix) {
    return prefix / ".cenv-transaction";
}

void mark_new_prefix(const fs::path& prefix) {
    const fs::path dir = transaction_dir(prefix);
    std::error_code ec;
    fs::create_directories(dir, ec);
    const fs::path marker = dir / "new-prefix";
    const int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (ec || fd < 0) {
        throw InstallError(fmt::format("cannot create '{}'", marker.string()),
                           "check the permissions and free space of the environment folder");
    }
    ::fsync(fd);
    ::close(fd);
    sync_directory(dir);
}

Journal Journal::begin(const fs::path& prefix, JournalPlan plan) {
    const fs::path dir = transaction_dir(prefix);
    std::error_code ec;
    fs::create_directories(dir / "backup", ec);
    fs::create_directories(dir / "scratch", ec);
    if (ec) {
        throw InstallError(fmt::format("cannot create '{}': {}", dir.string(), ec.message()),
                           "check the permissions and free space of the environment folder");
    }
    std::string text = kHeader;
    text += "\nfresh ";
    text += plan.fresh ? '1' : '0';
    text += "\nremove-prefix ";
    text += plan.remove_prefix ? '1' : '0';
    text += '\n';
    const auto add = [&text](const char* tag, const std::vector<std::string>& paths) {
        for (const auto& path : paths) {
            text += tag;
            text += ' ';
            text += escape(path);
            text += '\n';
        }
    };
    add("folder", plan.folders);
    add("moved", plan.moved);
    add("created", plan.created);
    const fs::path temp = dir / "journal.tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw InstallError(fmt::format("cannot write the transaction journal '{}': {}",
                                       temp.string(), std::strerror(errno)),
                           "check the permissions of the environment folder");
    }
    write_fully(fd, text, temp);
    ::fsync(fd);
    ::close(fd);
    // Only a complete journal counts: it appears under its name at once.
    if (::rename(temp.c_str(), (dir / "journal").c_str()) != 0) {
        throw InstallError(fmt::format("cannot write the transaction journal in '{}': {}",
                                       dir.string(), std::strerror(errno)),
                           "check the permissions of the environment folder");
    }
    sync_directory(dir);
    return Journal(prefix, std::move(plan));
}

void Journal::displace(const std::string& path) const {
    const fs::path from = prefix_ / path;
    if (!lexists(from)) {
        return;
    }
    const fs::path to = transaction_dir(prefix_) / "backup" / path;
    std::error_code ec;
    fs::create_directories(to.parent_path(), ec);
    if (::rename(from.c_str(), to.c_str()) != 0) {
        throw InstallError(
            fmt::format("cannot move '{}' aside: {}", from.string(), std::strerror(errno)),
            "check the permissions of the environment folder");
    }
}

fs::path Journal::scratch(const std::string& name) const {
    return transaction_dir(prefix_) / "scratch" / name;
}

void Journal::commit() {
    const fs::path path = transaction_dir(prefix_) / "journal";
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) {
        throw InstallError(fmt::format("cannot commit the transaction journal '{}': {}",
                                       path.string(), std::strerror(errno)),
                           "check the permissions of the environment folder");
    }
    write_fully(fd, "commit\n", path);
    ::fsync(fd);
    ::close(fd);
    committed_ = true;
}

void Journal::finish() const {
    const fs::path dir = transaction_dir(prefix_);
    std::error_code ec;
    fs::remove_all(dir / "backup", ec);
    // Folders that held only what the transaction displaced go, deepest first; rmdir leaves
    // any folder that still has something in it.
    std::set<std::string, std::greater<>> parents;
    for (const auto& path : plan_.moved) {
        for (fs::path p = fs::path(path).parent_path(); !p.empty(); p = p.parent_path()) {
            if (p == "conda-meta") {
                break;
            }
            parents.insert(p.string());
        }
    }
    for (const auto& parent : parents) {
        ::rmdir((prefix_ / parent).c_str());
    }
    fs::remove_all(dir, ec);
}

void Journal::undo() const {
    const fs::path backup = transaction_dir(prefix_) / "backup";
    const std::set<std::string> moved(plan_.moved.begin(), plan_.moved.end());
    // A displaced path whose backup is gone was restored by an earlier, interrupted undo:
    // what is at its place now is the original and must stay.
    const auto restored = [&](const std::string& path) {
        return moved.count(path) != 0 && !lexists(backup / path);
    };
    if (plan_.fresh) {
        empty_prefix(prefix_);
    } else {
        for (auto it = plan_.created.rbegin(); it != plan_.created.rend(); ++it) {
            const fs::path target = prefix_ / *it;
            if (!restored(*it) && !is_real_directory(target)) {
                ::unlink(target.c_str());
            }
        }
        for (auto it = plan_.folders.rbegin(); it != plan_.folders.rend(); ++it) {
            const fs::path target = prefix_ / *it;
            if (!restored(*it) && is_real_directory(target)) {
                std::error_code ec;
                fs::remove_all(target, ec);
            }
        }
    }
    for (const auto& path : plan_.moved) {
        const fs::path from = backup / path;
        if (!lexists(from)) {
            continue;
        }
        const fs::path to = prefix_ / path;
        std::error_code ec;
        fs::create_directories(to.parent_path(), ec);
        if (lexists(to)) {
            fs::remove_all(to, ec);
        }
        if (::rename(from.c_str(), to.c_str()) != 0) {
            throw InstallError(
                fmt::format("cannot restore '{}': {}", to.string(), std::strerror(errno)),
                "run the command again to finish restoring the environment");
        }
    }
    std::error_code ec;
    if (plan_.remove_prefix) {
        fs::remove_all(prefix_, ec);
    } else {
        fs::remove_all(transaction_dir(prefix_), ec);
    }
}

void Journal::rollback() const noexcept {
    try {
        undo();
    } catch (const std::exception&) {  // the journal stays; the next run's recovery retries
    }
}

Recovery Journal::recover(const fs::path& prefix) {
    const fs::path dir = transaction_dir(prefix);
    if (!lexists(dir)) {
        return Recovery::none;
    }
    const fs::path path = dir / "journal";
    if (!lexists(path)) {
        // Killed before the journal was complete: the prefix was not touched yet. A prefix
        // made for that transaction goes with it.
        std::error_code ec;
        if (lexists(dir / "new-prefix")) {
            fs::remove_all(prefix, ec);
            return Recovery::rolled_back;
        }
        fs::remove_all(dir, ec);
        return Recovery::none;
    }
    const std::string text = util::read_file(path);
    if (!text.starts_with(kHeader)) {
        throw InstallError(
            fmt::format("'{}' is not a transaction journal cenv can read", path.string()),
            "it was left by another version of cenv; finish with that version, or remove the "
            "folder after checking the environment");
    }
    JournalPlan plan;
    bool committed = false;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line(text.data() + pos, end - pos);
        pos = end + 1;
        const auto space = line.find(' ');
        const std::string_view tag = line.substr(0, space);
        const std::string_view rest =
            space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
        if (tag == "fresh") {
            plan.fresh = rest == "1";
        } else if (tag == "remove-prefix") {
            plan.remove_prefix = rest == "1";
        } else if (tag == "folder") {
            plan.folders.push_back(unescape(rest));
        } else if (tag == "moved") {
            plan.moved.push_back(unescape(rest));
        } else if (tag == "created") {
            plan.created.push_back(unescape(rest));
        } else if (tag == "commit") {
            committed = true;
        }
    }
    const Journal journal(prefix, std::move(plan));
    if (committed) {
        journal.finish();
        return Recovery::completed;
    }
    journal.undo();
    return Recovery::rolled_back;
}

}  // namespace cenv::install

#include "install/entry_guard.hpp"

#include <fmt/format.h>

namespace cenv::install {

namespace {

// The kernel gives up after 40 nested symlinks (ELOOP); so do we.
constexpr int kMaxSymlinkDepth = 40;

template <typename F>
void for_each_component(std::string_view path, F&& f) {
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = path.find('/', start);
        const std::string_view part = path.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (!f(part)) {
            return;
        }
        if (end == std::string_view::npos) {
            return;
        }
        start = end + 1;
    }
}

std::string_view parent_of(std::string_view path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

}  // namespace

std::optional<std::string> EntryGuard::normalize(std::string_view name, std::string& out) {
    out.clear();
    if (!name.empty() && name.front() == '/') {
        return std::string("has an absolute path");
    }
    std::optional<std::string> reason;
    for_each_component(name, [&](std::string_view part) {
        if (part.empty() || part == ".") {
            return true;
        }
        if (part == "..") {
            reason = "has a '..' component that leaves the package";
            return false;
        }
        if (!out.empty()) {
            out += '/';
        }
        out += part;
        return true;
    });
    return reason;
}

std::optional<std::string> EntryGuard::check_parents(std::string_view path) const {
    std::string prefix;
    std::optional<std::string> reason;
    const std::string_view parent = parent_of(path);
    if (parent.empty()) {
        return std::nullopt;
    }
    for_each_component(parent, [&](std::string_view part) {
        if (!prefix.empty()) {
            prefix += '/';
        }
        prefix += part;
        if (symlinks_.contains(prefix)) {
            reason = fmt::format("is written through the symlink '{}'", prefix);
            return false;
        }
        return true;
    });
    return reason;
}

bool EntryGuard::resolve(std::string& stack, std::string_view relative, int depth) const {
    bool inside = true;
    for_each_component(relative, [&](std::string_view part) {
        if (part.empty() || part == ".") {
            return true;
        }
        if (part == "..") {
            if (stack.empty()) {
                inside = false;
                return false;
            }
            const std::size_t slash = stack.rfind('/');
            stack.resize(slash == std::string::npos ? 0 : slash);
            return true;
        }
        const std::size_t before = stack.size();
        if (!stack.empty()) {
            stack += '/';
        }
        stack += part;
        if (const auto it = symlinks_.find(stack); it != symlinks_.end()) {
            stack.resize(before);
            if (depth >= kMaxSymlinkDepth || it->second.empty() || it->second.front() == '/' ||
                !resolve(stack, it->second, depth + 1)) {
                inside = false;
                return false;
            }
        }
        return true;
    });
    return inside;
}

std::optional<std::string> EntryGuard::check_symlink(std::string_view path,
                                                     std::string_view target) const {
    if (!target.empty() && target.front() == '/') {
        return fmt::format("is a symlink to the absolute path '{}'", target);
    }
    std::string stack(parent_of(path));
    if (!resolve(stack, target, 0)) {
        return fmt::format("is a symlink to '{}', which leads outside the package", target);
    }
    return std::nullopt;
}

std::optional<std::string> EntryGuard::check_hardlink(std::string_view target,
                                                      std::string& normalized_target) const {
    if (auto reason = normalize(target, normalized_target)) {
        return fmt::format("is a hard link to '{}', which {}", target, *reason);
    }
    if (!files_.contains(normalized_target)) {
        return fmt::format("is a hard link to '{}', which is not a file the package wrote before",
                           target);
    }
    return std::nullopt;
}

std::optional<std::pair<std::string, std::string>> EntryGuard::recheck_symlinks() const {
    for (const auto& [path, target] : symlinks_) {
        if (auto reason = check_symlink(path, target)) {
            return std::pair{path, *reason};
        }
    }
    return std::nullopt;
}

void EntryGuard::add_symlink(const std::string& path, std::string target) {
    files_.erase(path);
    symlinks_[path] = std::move(target);
}

void EntryGuard::add_file(const std::string& path) {
    symlinks_.erase(path);
    files_.insert(path);
}

void EntryGuard::forget(const std::string& path) {
    symlinks_.erase(path);
    files_.erase(path);
}

}  // namespace cenv::install

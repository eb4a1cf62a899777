#include "shell/environments.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "config/settings.hpp"
#include "shell/error.hpp"

namespace cenv::shell {

namespace fs = std::filesystem;

Environments::Environments(fs::path root, std::vector<fs::path> envs_dirs)
    : root_(std::move(root)), envs_dirs_(std::move(envs_dirs)) {
    if (envs_dirs_.empty()) {
        envs_dirs_.push_back(root_ / "envs");
    }
    for (auto& dir : envs_dirs_) {
        dir = expand_path(dir.string());
    }
    root_ = expand_path(root_.string());
}

Environments Environments::from_settings(const config::Settings& settings, const fs::path& root) {
    std::vector<fs::path> dirs;
    for (const auto& dir : settings.list("envs_dirs")) {
        dirs.emplace_back(dir);
    }
    return Environments(root, std::move(dirs));
}

bool Environments::is_path(std::string_view word) noexcept {
    return word.find('/') != std::string_view::npos || word == "." || word == ".." ||
           word.starts_with('~');
}

fs::path Environments::locate(std::string_view word) const {
    if (word.empty()) {
        throw ShellError("no environment given", "name one: cenv activate NAME or PATH");
    }
    if (is_path(word)) {
        const fs::path prefix = expand_path(word);
        if (!is_environment(prefix)) {
            std::error_code ec;
            throw ShellError(
                fs::exists(prefix, ec)
                    ? fmt::format("{} is not an environment (it has no conda-meta folder)",
                                  prefix.string())
                    : fmt::format("no environment at {}", prefix.string()),
                "check the path; 'cenv env list' shows the environments cenv knows");
        }
        return prefix;
    }
    if (word == "base" && is_environment(root_)) {
        return root_;
    }
    for (const auto& dir : envs_dirs_) {
        if (is_environment(dir / word)) {
            return dir / word;
        }
    }
    throw ShellError(fmt::format("no environment named '{}'", word),
                     fmt::format("create it with 'cenv create -n {} ...', or give a path; "
                                 "environments are looked up in {}",
                                 word, envs_dirs_.front().string()));
}

fs::path Environments::prefix_for_name(std::string_view name) const {
    for (const auto& dir : envs_dirs_) {
        std::error_code ec;
        if (fs::is_directory(dir / name, ec)) {
            return dir / name;
        }
    }
    return envs_dirs_.front() / name;
}

std::string Environments::name_of(const fs::path& prefix) const {
    const fs::path normal = expand_path(prefix.string());
    if (normal == root_) {
        return "base";
    }
    for (const auto& dir : envs_dirs_) {
        if (normal.parent_path() == dir) {
            return normal.filename().string();
        }
    }
    return {};
}

std::string Environments::display_name(const fs::path& prefix) const {
    std::string name = name_of(prefix);
    return name.empty() ? expand_path(prefix.string()).string() : name;
}

std::vector<NamedEnvironment> Environments::list() const {
    std::vector<NamedEnvironment> out;
    std::set<std::string> seen;
    for (const auto& dir : envs_dirs_) {
        std::error_code ec;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (is_environment(it->path()) && seen.insert(name).second) {
                out.push_back({name, it->path()});
            }
        }
    }
    std::sort(out.begin(), out.end(),
              [](const NamedEnvironment& a, const NamedEnvironment& b) { return a.name < b.name; });
    if (is_environment(root_) && seen.count("base") == 0) {
        out.insert(out.begin(), {"base", root_});
    }
    return out;
}

bool is_environment(const fs::path& prefix) {
    std::error_code ec;
    return fs::is_directory(prefix / "conda-meta", ec);
}

fs::path expand_path(std::string_view path, const fs::path& base) {
    fs::path out;
    if (path == "~" || path.starts_with("~/")) {
        out = config::home_dir() / std::string(path.substr(std::min<std::size_t>(path.size(), 2)));
    } else {
        out = fs::path(path);
    }
    if (out.is_relative()) {
        std::error_code ec;
        out = (base.empty() ? fs::current_path(ec) : base) / out;
    }
    out = out.lexically_normal();
    if (out.has_relative_path() && !out.has_filename()) {
        out = out.parent_path();
    }
    return out;
}

}  // namespace cenv::shell

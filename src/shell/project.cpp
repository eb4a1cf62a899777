#include "shell/project.hpp"

#include <fmt/format.h>

#include "shell/environments.hpp"
#include "shell/error.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

namespace cenv::shell {

namespace {

namespace fs = std::filesystem;

// A YAML scalar as a project file writes it: quotes taken off, a trailing comment dropped.
std::string scalar(std::string_view text) {
    text = util::trim(text);
    if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'')) {
        const auto close = text.find(text.front(), 1);
        if (close != std::string_view::npos) {
            return std::string(text.substr(1, close - 1));
        }
    }
    if (const auto hash = text.find(" #"); hash != std::string_view::npos) {
        text = util::trim(text.substr(0, hash));
    }
    return std::string(text);
}

Project named(const fs::path& file, const std::string& word, bool is_prefix) {
    Project project;
    project.file = file;
    if (is_prefix || Environments::is_path(word)) {
        project.prefix = expand_path(word, file.parent_path());
    } else {
        project.name = word;
    }
    return project;
}

}  // namespace

std::optional<Project> parse_project_file(std::string_view text, const fs::path& file) {
    const bool dot_cenv = file.filename() == ".cenv";
    std::string name;
    std::string prefix;
    for (const std::string_view raw : util::split_any(text, "\n")) {
        const std::string_view line = util::trim(raw);
        if (line.empty() || line.starts_with('#')) {
            continue;
        }
        if (dot_cenv) {
            return named(file, scalar(line), false);
        }
        if (raw.starts_with("name:")) {
            name = scalar(raw.substr(5));
        } else if (raw.starts_with("prefix:")) {
            prefix = scalar(raw.substr(7));
        }
    }
    // conda: a prefix names the environment more precisely than a name.
    if (!prefix.empty()) {
        return named(file, prefix, true);
    }
    if (!name.empty()) {
        return named(file, name, false);
    }
    return std::nullopt;
}

std::optional<Project> find_project(const fs::path& dir) {
    for (fs::path at = dir;; at = at.parent_path()) {
        for (const std::string_view file_name : kProjectFiles) {
            const fs::path file = at / file_name;
            std::error_code ec;
            if (!fs::is_regular_file(file, ec)) {
                continue;
            }
            if (auto project = parse_project_file(util::read_file(file), file)) {
                return project;
            }
            throw ShellError(
                fmt::format("{} names no environment", file.string()),
                file_name == ".cenv"
                    ? std::string("write an environment name or path on its first line")
                    : std::string("add a top-level 'name: NAME' (or 'prefix: PATH')"));
        }
        if (!at.has_relative_path()) {
            return std::nullopt;
        }
    }
}

fs::path locate_environment(std::string_view word, const Environments& environments,
                            const fs::path& dir) {
    if (!word.empty()) {
        return environments.locate(word);
    }
    const auto project = find_project(dir);
    if (!project) {
        throw ShellError("no environment given, and no project here names one",
                         "name one (NAME or PATH), or write its name into a .cenv file or the "
                         "'name:' of environment.yml in this folder or above");
    }
    try {
        return environments.locate(project->target());
    } catch (const ShellError& e) {
        const bool from_yml = project->file.filename() != ".cenv";
        throw ShellError(fmt::format("{} (named by {})", e.what(), project->file.string()),
                         from_yml ? fmt::format("create it from the file: cenv env create -f {}",
                                                project->file.string())
                                  : e.hint());
    }
}

}  // namespace cenv::shell

#pragma once
// Per-project environments: a folder names the environment its work runs in, and cenv finds
// it from that folder or any folder below.
//
//   .cenv              one line: an environment name, or a path (relative to the file's folder)
//   environment.yml    its top-level `name:` or `prefix:` (also environment.yaml)
//
// The nearest folder holding one of them is the project (`.cenv` first when a folder has
// both). Only the top-level keys are read, line by line: no YAML library on this path.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace cenv::shell {

struct Project {
    std::filesystem::path file;    ///< the file that names the environment
    std::string name;              ///< a name, or
    std::filesystem::path prefix;  ///< an absolute path (exactly one of the two is set)

    /// The word `cenv activate` would take: the name, or the prefix.
    [[nodiscard]] std::string target() const { return name.empty() ? prefix.string() : name; }
};

/// The file names that make a folder a project, in the order they are looked for.
inline constexpr std::string_view kProjectFiles[] = {".cenv", "environment.yml",
                                                     "environment.yaml"};

/// The project `dir` (absolute) or one of its parents belongs to. Throws ShellError when the
/// nearest project file names no environment (an empty `.cenv`, an environment.yml without
/// `name:` or `prefix:`), or cannot be read.
std::optional<Project> find_project(const std::filesystem::path& dir);

/// The environment named by one project file's text; `file` gives its kind and the folder
/// relative paths start from. nullopt when it names none.
std::optional<Project> parse_project_file(std::string_view text, const std::filesystem::path& file);

class Environments;

/// The environment `word` names (Environments::locate), or with an empty `word` the one the
/// project of `dir` names. Throws ShellError when there is none, with a hint that says how to
/// name one.
std::filesystem::path locate_environment(std::string_view word, const Environments& environments,
                                         const std::filesystem::path& dir);

}  // namespace cenv::shell

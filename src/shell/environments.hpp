#pragma once
// Where named environments live, how a NAME or PATH given on the command line becomes a
// prefix, and how an environment is named in CONDA_DEFAULT_ENV and the prompt.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cenv::config {
class Settings;
}

namespace cenv::shell {

struct NamedEnvironment {
    std::string name;
    std::filesystem::path prefix;
};

class Environments {
  public:
    /// `envs_dirs` folders (in order), else `<root>/envs`. `root` is the root prefix, whose
    /// own environment (when it has conda-meta) is "base", as in conda.
    Environments(std::filesystem::path root, std::vector<std::filesystem::path> envs_dirs);

    /// From the `envs_dirs` setting and the root prefix.
    static Environments from_settings(const config::Settings& settings,
                                      const std::filesystem::path& root);

    [[nodiscard]] const std::vector<std::filesystem::path>& envs_dirs() const noexcept {
        return envs_dirs_;
    }

    /// A word that names a path rather than an environment: it holds a `/`, or is `.` / `..`,
    /// or starts with `~`.
    static bool is_path(std::string_view word) noexcept;

    /// The prefix `word` stands for: a path (`~` is $HOME), made absolute; or a name, the
    /// first envs folder holding it ("base": the root prefix). Throws ShellError when there is
    /// no such environment or the folder has no conda-meta.
    [[nodiscard]] std::filesystem::path locate(std::string_view word) const;

    /// The prefix of the name `name` whether or not it exists yet: where it is, else in the
    /// first envs folder (for `create`).
    [[nodiscard]] std::filesystem::path prefix_for_name(std::string_view name) const;

    /// conda's name of `prefix`: "base" for the root prefix, the folder's name for an
    /// environment directly in an envs folder; empty otherwise (known by its path only).
    [[nodiscard]] std::string name_of(const std::filesystem::path& prefix) const;

    /// name_of(prefix), else the path (conda's CONDA_DEFAULT_ENV).
    [[nodiscard]] std::string display_name(const std::filesystem::path& prefix) const;

    /// The named environments (folders with conda-meta in the envs folders, then base), by
    /// name; a name found in two folders is the first folder's.
    [[nodiscard]] std::vector<NamedEnvironment> list() const;

  private:
    std::filesystem::path root_;
    std::vector<std::filesystem::path> envs_dirs_;
};

/// Whether `prefix` is an environment: it has a conda-meta folder.
bool is_environment(const std::filesystem::path& prefix);

/// `path` with a leading `~` replaced by $HOME, made absolute and normal (no `.`, `..`).
std::filesystem::path expand_path(std::string_view path, const std::filesystem::path& base = {});

}  // namespace cenv::shell

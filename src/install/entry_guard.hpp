#pragma once
// The rules an archive entry must pass before extraction writes it: its path stays inside
// the target, it is not written through a symlink the archive made, a symlink's target
// (followed through the archive's other symlinks) stays inside, a hard link names a file the
// archive already wrote. Purely lexical: the target tree is fresh, so every symlink in it is
// one this guard has seen.
//
// Example: `cur -> .` is fine, then `par -> cur/..` is refused: `cur` is followed to the
// root and `..` leaves it, although `cur/..` alone looks harmless.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace cenv::install {

class EntryGuard {
  public:
    /// The entry's path relative to the target (`./a//b/` -> `a/b`, `.` -> ``), or the
    /// reason it is refused (absolute, `..` components).
    static std::optional<std::string> normalize(std::string_view name, std::string& out);

    /// Why writing at `path` (normalized) is refused, if it is: a parent is a symlink.
    [[nodiscard]] std::optional<std::string> check_parents(std::string_view path) const;
    /// Why a symlink at `path` pointing to `target` is refused, if it is.
    [[nodiscard]] std::optional<std::string> check_symlink(std::string_view path,
                                                           std::string_view target) const;
    /// Why a hard link at `path` to the archive path `target` is refused, if it is; on
    /// success `normalized_target` holds the target relative to the root.
    [[nodiscard]] std::optional<std::string> check_hardlink(std::string_view target,
                                                            std::string& normalized_target) const;
    /// Every symlink again, now that all are known (a later symlink can change where an
    /// earlier one leads). Returns the first offender's path and reason.
    [[nodiscard]] std::optional<std::pair<std::string, std::string>> recheck_symlinks() const;

    void add_symlink(const std::string& path, std::string target);
    void add_file(const std::string& path);
    /// The path now holds something else (a tar may replace an entry).
    void forget(const std::string& path);

  private:
    /// Follows `relative` from the directory `stack`; false when it leaves the root or
    /// loops.
    bool resolve(std::string& stack, std::string_view relative, int depth) const;

    std::unordered_map<std::string, std::string> symlinks_;
    std::unordered_set<std::string> files_;
};

}  // namespace cenv::install

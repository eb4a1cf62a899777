#pragma once
// Colon-separated lists of directories (PATH, LD_LIBRARY_PATH) and how to take an edit back.

#include <string>
#include <string_view>
#include <vector>

namespace cenv::shell {

/// The entries of `list`; none for "", empty entries kept ("a::b" has three).
std::vector<std::string> split_path_list(std::string_view list);

std::string join_path_list(const std::vector<std::string>& entries);

/// `current` with an edit from `before` to `after` taken back, for a list that may have
/// changed since the edit: entries the edit added (in `after`, not in `before`) are removed
/// once each, entries it removed are put back where the first added entry was (at the front
/// when there was none). When `current == after` this is exactly `before`.
std::string undo_list_edit(std::string_view current, std::string_view before,
                           std::string_view after);

}  // namespace cenv::shell

#include "shell/path_list.hpp"

#include <algorithm>
#include <optional>

namespace cenv::shell {

namespace {

// The entries of `from` left after taking out one occurrence of each entry of `take`.
std::vector<std::string> minus(std::vector<std::string> from,
                               const std::vector<std::string>& take) {
    for (const auto& entry : take) {
        if (const auto it = std::find(from.begin(), from.end(), entry); it != from.end()) {
            from.erase(it);
        }
    }
    return from;
}

}  // namespace

std::vector<std::string> split_path_list(std::string_view list) {
    std::vector<std::string> out;
    if (list.empty()) {
        return out;
    }
    std::size_t pos = 0;
    while (true) {
        const std::size_t end = list.find(':', pos);
        out.emplace_back(list.substr(pos, end == std::string_view::npos ? end : end - pos));
        if (end == std::string_view::npos) {
            break;
        }
        pos = end + 1;
    }
    return out;
}

std::string join_path_list(const std::vector<std::string>& entries) {
    std::string out;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) {
            out += ':';
        }
        out += entries[i];
    }
    return out;
}

std::string undo_list_edit(std::string_view current, std::string_view before,
                           std::string_view after) {
    if (current == after) {
        return std::string(before);
    }
    const auto before_entries = split_path_list(before);
    const auto after_entries = split_path_list(after);
    const auto added = minus(after_entries, before_entries);
    const auto removed = minus(before_entries, after_entries);
    auto entries = split_path_list(current);
    std::optional<std::size_t> insert_at;
    for (const auto& entry : added) {
        if (const auto it = std::find(entries.begin(), entries.end(), entry); it != entries.end()) {
            const auto at = static_cast<std::size_t>(it - entries.begin());
            insert_at = std::min(insert_at.value_or(at), at);
            entries.erase(it);
        }
    }
    entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(insert_at.value_or(0)),
                   removed.begin(), removed.end());
    return join_path_list(entries);
}

}  // namespace cenv::shell

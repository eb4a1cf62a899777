#pragma once
// Editing a settings file (~/.cenvrc) for `cenv config set/append/prepend/remove`: only the
// edited key's lines are rewritten, so comments, blank lines and keys cenv does not know stay
// as they were (full-line comments inside the edited key move just above it). The result is
// parsed again before it is written, and written atomically (temporary file + rename): a
// malformed file is reported and left untouched.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "config/setting.hpp"

namespace cenv::config {

enum class EditOp {
    set,         ///< scalars: the value; lists: the comma-separated items; map entries: the value
    append,      ///< lists (and list map entries): add at the end, moving an item already there
    prepend,     ///< ... add at the front
    remove,      ///< lists: remove the item
    remove_key,  ///< remove the key (or the map entry) altogether
};

/// One edit: `key` is a setting (`channels`) or a map entry (`mirrors.URL`,
/// `custom_channels.conda-forge`: the map's name, a dot, the entry's key).
struct Edit {
    EditOp op = EditOp::set;
    std::string key;
    std::string value;
};

/// The settings file text after `edit`. `source` names the file in errors. Throws
/// ConfigError for malformed text, unknown keys, values of the wrong type, removing what is
/// not there, or a file this line-based editor cannot change safely (flow style at the top).
std::string apply_edit(std::string_view text, const std::string& source, const Edit& edit);

/// Sets `key` to `value` in `text` (replacing its lines or adding them at the end), or
/// removes the key when `value` is nullptr.
std::string replace_key(std::string_view text, const std::string& source, std::string_view key,
                        const Value* value);

/// Applies `edit` to the file at `path` (created when missing) and writes it atomically.
void edit_rc_file(const std::filesystem::path& path, const Edit& edit);

/// Reads the file at `path` (empty when missing; a symbolic link is followed and kept),
/// passes its text and name to `change`, and writes the result atomically. Nothing is written
/// when `change` throws.
void update_rc_file(
    const std::filesystem::path& path,
    const std::function<std::string(std::string_view text, const std::string& source)>& change);

/// Writes `text` to `path` through a temporary file in the same folder and a rename, keeping
/// the permissions of the file it replaces. Throws ConfigError naming the path.
/// With `durable` (settings files) the data is flushed to the disk before the rename; a
/// cache that is rebuilt when damaged passes false and saves the wait.
void write_file_atomically(const std::filesystem::path& path, std::string_view text,
                           bool durable = true);

}  // namespace cenv::config

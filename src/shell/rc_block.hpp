#pragma once
// The block `cenv shell init` adds to a shell's startup file and `cenv shell deinit` takes
// out again, leaving the file byte for byte as it was:
//
//     # >>> cenv initialize >>>
//     # Added by 'cenv shell init'; 'cenv shell deinit' removes this block.
//     eval "$('/home/u/.local/bin/cenv' shell hook -s bash)"
//     # <<< cenv initialize <<<
//
// Adding again replaces the block where it is (nothing changes when it is the same). When
// the file does not end with a line break, the block starts with one, and its first line says
// so, so that removing it takes that line break too.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "shell/shell_kind.hpp"

namespace cenv::shell {

/// The startup file `shell init` edits by default: ~/.bashrc, ${ZDOTDIR:-~}/.zshrc,
/// ~/.config/fish/config.fish, ~/.profile.
std::filesystem::path default_rc_file(Shell shell);

/// The lines between the markers: the hook for `shell`, run from `exe`.
std::string init_lines(Shell shell, const std::filesystem::path& exe, bool auto_activate);

/// `rc` with the block holding `lines` added (or replacing the block there).
std::string add_block(std::string_view rc, std::string_view lines);

/// `rc` without the block; nullopt when it has none. Throws ShellError (naming `file`) when
/// a start marker has no end marker: that file was edited by hand and is left alone.
std::optional<std::string> remove_block(std::string_view rc, const std::filesystem::path& file);

}  // namespace cenv::shell

#pragma once
// A Script (activation.hpp) written in a shell's language, to be evaluated by the hook.
//
// Values are quoted so that any byte string survives: single quotes for bash, zsh and posix
// (a quote inside is written '\''), fish's single quotes (\\ and \' inside). PS1 is assigned,
// not exported. fish splits variables whose name ends in PATH at colons and joins them back
// when exporting, so PATH and LD_LIBRARY_PATH are set as one string there too.

#include <string>
#include <string_view>

#include "shell/activation.hpp"
#include "shell/shell_kind.hpp"

namespace cenv::shell {

/// `text` as one word of `shell`, quoted.
std::string quote(std::string_view text, Shell shell);

/// The code that carries out `script` in `shell`, one statement per line.
std::string render(const Script& script, Shell shell);

}  // namespace cenv::shell

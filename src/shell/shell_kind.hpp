#pragma once
// The shells cenv writes code for.

#include <optional>
#include <span>
#include <string_view>

namespace cenv::shell {

enum class Shell { bash, zsh, fish, posix };

/// The shell named `name` ("bash", "zsh", "fish", "posix"; "sh" and "dash" are posix);
/// nullopt for any other name.
std::optional<Shell> parse_shell(std::string_view name) noexcept;

/// Parses `name`; throws ShellError naming it, with the supported shells as hint.
Shell shell_named(std::string_view name);

/// "bash", "zsh", "fish", "posix".
std::string_view shell_name(Shell shell) noexcept;

/// Every shell, in the order help texts list them.
std::span<const Shell> all_shells() noexcept;

/// The extension of the activate.d / deactivate.d scripts this shell sources: ".sh" for
/// bash, zsh and posix (as conda), ".fish" for fish.
std::string_view script_extension(Shell shell) noexcept;

}  // namespace cenv::shell

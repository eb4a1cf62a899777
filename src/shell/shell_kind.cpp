#include "shell/shell_kind.hpp"

#include <array>

#include <fmt/format.h>

#include "shell/error.hpp"

namespace cenv::shell {

namespace {

constexpr std::array kShells{Shell::bash, Shell::zsh, Shell::fish, Shell::posix};

}  // namespace

std::optional<Shell> parse_shell(std::string_view name) noexcept {
    if (name == "bash") {
        return Shell::bash;
    }
    if (name == "zsh") {
        return Shell::zsh;
    }
    if (name == "fish") {
        return Shell::fish;
    }
    if (name == "posix" || name == "sh" || name == "dash") {
        return Shell::posix;
    }
    return std::nullopt;
}

Shell shell_named(std::string_view name) {
    if (const auto shell = parse_shell(name)) {
        return *shell;
    }
    throw ShellError(fmt::format("unknown shell '{}'", name),
                     "cenv supports bash, zsh, fish and posix (sh, dash)");
}

std::string_view shell_name(Shell shell) noexcept {
    switch (shell) {
        case Shell::bash:
            return "bash";
        case Shell::zsh:
            return "zsh";
        case Shell::fish:
            return "fish";
        case Shell::posix:
            break;
    }
    return "posix";
}

std::span<const Shell> all_shells() noexcept {
    return kShells;
}

std::string_view script_extension(Shell shell) noexcept {
    return shell == Shell::fish ? ".fish" : ".sh";
}

}  // namespace cenv::shell

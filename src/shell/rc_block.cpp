#include "shell/rc_block.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "config/settings.hpp"
#include "shell/error.hpp"
#include "shell/render.hpp"

namespace cenv::shell {

namespace {

constexpr std::string_view kStart = "# >>> cenv initialize >>>";
constexpr std::string_view kStartAfterBreak =
    "# >>> cenv initialize >>> (cenv added the line break above)";
constexpr std::string_view kEnd = "# <<< cenv initialize <<<";
constexpr std::string_view kNote =
    "# Added by 'cenv shell init'; 'cenv shell deinit' removes this block.";

struct Found {
    std::size_t begin = 0;  ///< start of the start marker's line
    std::size_t end = 0;    ///< past the end marker's line break (or the text's end)
    bool after_break = false;
};

// The position of `line` as a whole line of `text`, from `from`.
std::size_t find_line(std::string_view text, std::string_view line, std::size_t from) {
    for (std::size_t at = text.find(line, from); at != std::string_view::npos;
         at = text.find(line, at + 1)) {
        const bool starts = at == 0 || text[at - 1] == '\n';
        const std::size_t after = at + line.size();
        if (starts && (after == text.size() || text[after] == '\n')) {
            return at;
        }
    }
    return std::string_view::npos;
}

std::optional<Found> find_block(std::string_view rc, const std::filesystem::path& file) {
    Found found;
    std::size_t start = find_line(rc, kStartAfterBreak, 0);
    found.after_break = start != std::string_view::npos;
    if (!found.after_break) {
        start = find_line(rc, kStart, 0);
    }
    if (start == std::string_view::npos) {
        return std::nullopt;
    }
    const std::size_t end = find_line(rc, kEnd, start);
    if (end == std::string_view::npos) {
        throw ShellError(
            fmt::format("{}: the cenv block has no end marker '{}'", file.string(), kEnd),
            "the block was edited by hand; remove what is left of it by hand");
    }
    found.begin = start;
    found.end = std::min(rc.size(), end + kEnd.size() + 1);
    return found;
}

}  // namespace

std::filesystem::path default_rc_file(Shell shell) {
    const auto home = config::home_dir();
    switch (shell) {
        case Shell::bash:
            return home / ".bashrc";
        case Shell::zsh:
            if (const char* z = std::getenv("ZDOTDIR"); z != nullptr && *z != '\0') {
                return std::filesystem::path(z) / ".zshrc";
            }
            return home / ".zshrc";
        case Shell::fish:
            return home / ".config" / "fish" / "config.fish";
        case Shell::posix:
            break;
    }
    return home / ".profile";
}

std::string init_lines(Shell shell, const std::filesystem::path& exe, bool auto_activate) {
    const std::string command =
        fmt::format("{} shell hook -s {}{}", quote(exe.string(), shell), shell_name(shell),
                    auto_activate ? " --auto-activate" : "");
    if (shell == Shell::fish) {
        return command + " | source\n";
    }
    return fmt::format("eval \"$({})\"\n", command);
}

std::string add_block(std::string_view rc, std::string_view lines) {
    std::string out;
    bool after_break = false;
    std::string_view head = rc;
    std::string_view tail;
    if (const auto found = find_block(rc, {})) {
        after_break = found->after_break;
        head = rc.substr(0, found->begin);
        tail = rc.substr(found->end);
    } else if (!rc.empty() && rc.back() != '\n') {
        after_break = true;
    }
    out.append(head);
    if (after_break && !out.ends_with('\n')) {
        out += '\n';
    }
    out.append(after_break ? kStartAfterBreak : kStart).append("\n");
    out.append(kNote).append("\n");
    out.append(lines);
    out.append(kEnd).append("\n");
    out.append(tail);
    return out;
}

std::optional<std::string> remove_block(std::string_view rc, const std::filesystem::path& file) {
    const auto found = find_block(rc, file);
    if (!found) {
        return std::nullopt;
    }
    std::size_t begin = found->begin;
    if (found->after_break && begin > 0) {
        --begin;  // the line break cenv added before the block
    }
    std::string out(rc.substr(0, begin));
    out.append(rc.substr(found->end));
    return out;
}

}  // namespace cenv::shell

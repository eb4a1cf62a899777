#include "shell/render.hpp"

namespace cenv::shell {

std::string quote(std::string_view text, Shell shell) {
    std::string out = "'";
    for (const char c : text) {
        if (shell == Shell::fish) {
            if (c == '\\' || c == '\'') {
                out += '\\';
            }
            out += c;
        } else if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    out += '\'';
    return out;
}

std::string render(const Script& script, Shell shell) {
    const bool fish = shell == Shell::fish;
    const std::string source = fish ? "source " : ". ";
    std::string out;
    for (const auto& file : script.deactivate_scripts) {
        out += source + quote(file.string(), shell) + '\n';
    }
    for (const auto& change : script.changes) {
        if (!change.value) {
            out += (fish ? "set -e -g " : "unset ") + change.name + '\n';
        } else if (fish) {
            out += "set -gx " + change.name + ' ' + quote(*change.value, shell) + '\n';
        } else {
            out += (change.exported ? "export " : "") + change.name + '=' +
                   quote(*change.value, shell) + '\n';
        }
    }
    for (const auto& file : script.activate_scripts) {
        out += source + quote(file.string(), shell) + '\n';
    }
    return out;
}

}  // namespace cenv::shell

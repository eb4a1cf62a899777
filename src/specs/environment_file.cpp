#include "specs/environment_file.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace cenv::specs {

namespace {

/// Words YAML 1.1 (yaml-cpp, PyYAML) reads as booleans or null.
constexpr std::array<std::string_view, 14> special_words{
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "", ".nan", ".inf", "-.inf"};

bool looks_like_number(std::string_view s) {
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        s.remove_prefix(1);
    }
    if (s.empty()) {
        return false;
    }
    // Digits with at most one '.', '_' separators, an exponent, or 0x/0o forms: quote them all.
    return std::all_of(s.begin(), s.end(),
                       [](char c) {
                           return (c >= '0' && c <= '9') || c == '.' || c == '_' || c == 'e' ||
                                  c == 'E' || c == 'x' || c == 'o' || c == '+' || c == '-';
                       }) &&
           ((s.front() >= '0' && s.front() <= '9') || s.front() == '.');
}

bool plain_safe(std::string_view s) {
    if (std::find(special_words.begin(), special_words.end(), util::to_lower(s)) !=
            special_words.end() ||
        looks_like_number(s)) {
        return false;
    }
    const char first = s.front();
    const bool first_ok = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') ||
                          (first >= '0' && first <= '9') || first == '_' || first == '/' ||
                          first == '.';
    if (!first_ok || s.back() == ' ' || s.back() == ':') {
        return false;
    }
    if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos) {
        return false;
    }
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view(" _.+=<>!~*/:@,-^$()#").find(c) != std::string_view::npos;
    });
}

}  // namespace

std::string yaml_scalar(std::string_view text) {
    if (plain_safe(text)) {
        return std::string(text);
    }
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

std::string environment_yaml_text(const EnvironmentFile& env) {
    std::string out;
    if (!env.name.empty()) {
        out += "name: " + yaml_scalar(env.name) + "\n";
    }
    if (!env.channels.empty()) {
        out += "channels:\n";
        for (const auto& channel : env.channels) {
            out += "  - " + yaml_scalar(channel) + "\n";
        }
    }
    if (!env.dependencies.empty() || !env.pip.empty()) {
        out += "dependencies:\n";
        for (const auto& spec : env.dependencies) {
            out += "  - " + yaml_scalar(spec) + "\n";
        }
        if (!env.pip.empty()) {
            out += "  - pip:\n";
            for (const auto& line : env.pip) {
                out += "      - " + yaml_scalar(line) + "\n";
            }
        }
    }
    if (!env.variables.empty()) {
        out += "variables:\n";
        for (const auto& [name, value] : env.variables) {
            out += "  " + yaml_scalar(name) + ": " + yaml_scalar(value) + "\n";
        }
    }
    if (!env.prefix.empty()) {
        out += "prefix: " + yaml_scalar(env.prefix) + "\n";
    }
    return out;
}

}  // namespace cenv::specs

#include "shell/saved_state.hpp"

#include "shell/env_vars.hpp"

namespace cenv::shell {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";

void encode_value(std::string& out, std::string_view value) {
    for (const char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '%' || c == ';' || c == '>' || u < 0x20 || u == 0x7f) {
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 0xf];
        } else {
            out += c;
        }
    }
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::optional<std::string> decode_value(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size()) {
            return std::nullopt;
        }
        const int hi = hex_digit(text[i + 1]);
        const int lo = hex_digit(text[i + 2]);
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

}  // namespace

std::string saved_variable_name(int level) {
    return "_CENV_SAVED_" + std::to_string(level);
}

std::string encode_saved_state(const SavedState& state) {
    std::string out;
    for (const auto& var : state) {
        if (!out.empty()) {
            out += ';';
        }
        out += var.name;
        if (var.before) {
            out += '=';
            encode_value(out, *var.before);
        }
        if (var.after) {
            out += '>';
            encode_value(out, *var.after);
        }
    }
    return out;
}

std::optional<SavedState> decode_saved_state(std::string_view text) {
    SavedState state;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find(';', pos), text.size());
        const std::string_view entry = text.substr(pos, end - pos);
        pos = end + 1;
        const std::size_t name_end = std::min(entry.find_first_of("=>"), entry.size());
        SavedVar var;
        var.name = entry.substr(0, name_end);
        if (!is_variable_name(var.name)) {
            return std::nullopt;
        }
        std::string_view rest = entry.substr(name_end);
        const std::size_t after_at = rest.find('>');
        if (rest.starts_with('=')) {
            var.before = decode_value(rest.substr(
                1, after_at == std::string_view::npos ? std::string_view::npos : after_at - 1));
            if (!var.before) {
                return std::nullopt;
            }
        }
        if (after_at != std::string_view::npos) {
            var.after = decode_value(rest.substr(after_at + 1));
            if (!var.after) {
                return std::nullopt;
            }
        }
        state.push_back(std::move(var));
    }
    return state;
}

}  // namespace cenv::shell

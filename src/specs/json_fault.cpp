#include "specs/json_fault.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <vector>

#include <fmt/format.h>

namespace cenv::specs {

std::string describe_position(std::string_view text, std::size_t offset) {
    if (offset >= text.size()) {
        return "at the end of the file";
    }
    const std::string_view before = text.substr(0, offset);
    const auto line = static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n')) + 1;
    const std::size_t line_start = before.rfind('\n');
    const std::size_t column =
        line_start == std::string_view::npos ? offset + 1 : offset - line_start;
    return fmt::format("at line {}, column {} (byte {})", line, column, offset);
}

std::size_t first_invalid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t n = 0;
        std::uint32_t min = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if ((c & 0xE0) == 0xC0) {
            n = 1;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            min = 0x10000;
        } else {
            return i;
        }
        if (i + n >= text.size()) {
            return i;  // cut short
        }
        std::uint32_t code = c & (0x3F >> n);
        for (std::size_t k = 1; k <= n; ++k) {
            const auto cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xC0) != 0x80) {
                return i;
            }
            code = (code << 6) | (cc & 0x3F);
        }
        if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
            return i;
        }
        i += n + 1;
    }
    return std::string_view::npos;
}

JsonFault locate_json_fault(std::string_view text, std::size_t stop) {
    struct Level {
        char open;
        std::string_view key;  // the current member's key, when the level is an object
    };
    std::vector<Level> stack;
    bool root_done = false;
    JsonFault fault;
    auto record_key = [&]() -> std::string {
        if (stack.size() >= 2 && stack[0].open == '{' && stack[1].open == '{' &&
            (stack[0].key == "packages" || stack[0].key == "packages.conda")) {
            return std::string(stack[1].key);
        }
        return {};
    };
    auto fail = [&](std::size_t at, std::string what) {
        fault.offset = at;
        fault.what = std::move(what);
        fault.record = record_key();
        return fault;
    };
    // The byte at `stop` is scanned too: simdjson points at the offending token.
    const std::size_t end = stop < text.size() ? stop + 1 : text.size();
    std::size_t i = 0;
    while (i < end) {
        const char c = text[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            ++i;
            continue;
        }
        if (root_done) {
            return fail(i, "content after the end of the top-level object");
        }
        if (c == '"') {
            std::size_t j = i + 1;
            while (j < text.size() && text[j] != '"') {
                if (static_cast<unsigned char>(text[j]) < 0x20) {
                    return fail(j, "a control character in a string (it must be escaped)");
                }
                j += text[j] == '\\' ? 2 : 1;
            }
            if (j >= text.size()) {
                return fail(i, "a string that is never closed (a truncated file?)");
            }
            const std::string_view str = text.substr(i + 1, j - i - 1);
            std::size_t k = j + 1;
            while (k < text.size() &&
                   (text[k] == ' ' || text[k] == '\n' || text[k] == '\r' || text[k] == '\t')) {
                ++k;
            }
            if (k < text.size() && text[k] == ':' && !stack.empty() && stack.back().open == '{') {
                stack.back().key = str;
            }
            i = j + 1;
            continue;
        }
        if (c == '{' || c == '[') {
            stack.push_back(Level{c, {}});
        } else if (c == '}' || c == ']') {
            if (stack.empty() || stack.back().open != (c == '}' ? '{' : '[')) {
                return fail(i, fmt::format("an unexpected '{}'", c));
            }
            stack.pop_back();
            root_done = stack.empty();
        } else if (c == ',') {
            if (!stack.empty()) {
                stack.back().key = {};
            }
        } else if (c != ':') {
            if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-') {
                return fail(
                    i, fmt::format("an unexpected byte 0x{:02x}", static_cast<unsigned char>(c)));
            }
            // A number or a literal: skip the rest of it.
            while (i + 1 < end &&
                   (std::isalnum(static_cast<unsigned char>(text[i + 1])) != 0 ||
                    text[i + 1] == '.' || text[i + 1] == '+' || text[i + 1] == '-')) {
                ++i;
            }
            root_done = stack.empty();  // a scalar at the top level: the caller reports it
        }
        ++i;
    }
    if (stop < text.size()) {
        fault.record = record_key();
        return fault;
    }
    if (!stack.empty()) {
        return fail(text.size(), "the file ends inside an object or a list (a truncated file?)");
    }
    if (!root_done) {
        return fail(text.size(), "the file holds no JSON value");
    }
    return fault;
}

}  // namespace cenv::specs

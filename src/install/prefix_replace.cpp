#include "install/prefix_replace.hpp"

#include <cstring>

namespace cenv::install {

namespace {

// The first occurrence of `needle` in `hay` at or after `from`; npos when none. glibc's
// memmem (two-way search) keeps this linear on multi-megabyte binaries.
std::size_t find(std::string_view hay, std::string_view needle, std::size_t from) {
    if (from > hay.size() || needle.empty()) {
        return std::string_view::npos;
    }
    const void* at = ::memmem(hay.data() + from, hay.size() - from, needle.data(), needle.size());
    return at == nullptr ? std::string_view::npos
                         : static_cast<std::size_t>(static_cast<const char*>(at) - hay.data());
}

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

std::string shorten_shebang(std::string data) {
    if (!data.starts_with("#!")) {
        return data;
    }
    const std::size_t line_end = std::min(data.find('\n'), data.size());
    // The interpreter: escaped spaces ("\ ") and non-blank characters after "#!".
    std::size_t i = 2;
    bool escaped_space = false;
    while (i < line_end) {
        if (data[i] == '\\' && i + 1 < line_end && data[i + 1] == ' ') {
            escaped_space = true;
            i += 2;
        } else if (!is_blank(data[i])) {
            ++i;
        } else {
            break;
        }
    }
    const std::string_view interpreter(data.data() + 2, i - 2);
    const std::size_t slash = interpreter.rfind('/');
    if (slash == std::string_view::npos) {
        return data;
    }
    const bool space_in_dir =
        escaped_space && interpreter.substr(0, slash).find("\\ ") != std::string_view::npos;
    if (line_end <= kMaxShebangLength && !space_in_dir) {
        return data;
    }
    std::string line = "#!/usr/bin/env ";
    line.append(interpreter.substr(slash + 1));
    line.append(data, i, line_end - i);  // the arguments, as they were
    data.replace(0, line_end, line);
    return data;
}

std::string replace_text_prefix(std::string_view data, std::string_view placeholder,
                                std::string_view prefix) {
    std::string out;
    if (placeholder.empty()) {
        return shorten_shebang(std::string(data));
    }
    std::size_t pos = find(data, placeholder, 0);
    if (pos == std::string_view::npos) {
        return shorten_shebang(std::string(data));
    }
    out.reserve(data.size() + 64);
    // A prefix with spaces would split the shebang into interpreter and arguments: escape
    // them there, which shorten_shebang then turns into the /usr/bin/env form.
    const std::size_t first_line_end = std::min(data.find('\n'), data.size());
    std::size_t copied = 0;
    while (pos != std::string_view::npos) {
        out.append(data, copied, pos - copied);
        const bool in_shebang = pos == 2 && data.starts_with("#!") && pos < first_line_end;
        if (in_shebang && prefix.find(' ') != std::string_view::npos) {
            for (const char c : prefix) {
                if (c == ' ') {
                    out += '\\';
                }
                out += c;
            }
        } else {
            out.append(prefix);
        }
        copied = pos + placeholder.size();
        pos = find(data, placeholder, copied);
    }
    out.append(data, copied, std::string_view::npos);
    return shorten_shebang(std::move(out));
}

long replace_binary_prefix(std::string& data, std::string_view placeholder,
                           std::string_view prefix) {
    const std::string_view view(data);
    std::size_t pos = find(view, placeholder, 0);
    if (pos == std::string_view::npos) {
        return 0;
    }
    if (prefix.size() > placeholder.size()) {
        return -1;
    }
    long rewritten = 0;
    std::string piece;
    while (pos != std::string_view::npos) {
        // The C string runs from the placeholder to the next NUL; without one there is no
        // string to rewrite (conda's pattern needs the terminator too).
        const void* nul = std::memchr(data.data() + pos, '\0', data.size() - pos);
        if (nul == nullptr) {
            break;
        }
        const std::size_t end =
            static_cast<std::size_t>(static_cast<const char*>(nul) - data.data());
        piece.clear();
        const std::string_view string(view.substr(0, end));
        std::size_t copied = pos;
        for (std::size_t at = pos; at != std::string_view::npos;
             at = find(string, placeholder, copied)) {
            piece.append(data, copied, at - copied);
            piece.append(prefix);
            copied = at + placeholder.size();
        }
        piece.append(data, copied, end - copied);
        std::memcpy(data.data() + pos, piece.data(), piece.size());
        std::memset(data.data() + pos + piece.size(), 0, end - pos - piece.size());
        ++rewritten;
        pos = find(view, placeholder, end + 1);
    }
    return rewritten;
}

}  // namespace cenv::install

#include "util/redact.hpp"

namespace cenv::util {

namespace {

// Characters that end a URL inside a longer text (a message naming several URLs).
bool ends_url(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\'' || c == '"' || c == ',' || c == ')';
}

}  // namespace

std::string redact_url(std::string_view url) {
    std::string out;
    out.reserve(url.size());
    std::size_t i = 0;
    while (i < url.size()) {
        // A token segment: "/t/" followed by a non-empty segment.
        if (url.compare(i, 3, "/t/") == 0) {
            std::size_t end = i + 3;
            while (end < url.size() && url[end] != '/' && !ends_url(url[end])) {
                ++end;
            }
            if (end > i + 3) {
                out += "/t/<TOKEN>";
                i = end;
                continue;
            }
        }
        // A password: "://user:password@" within one authority.
        if (url.compare(i, 3, "://") == 0) {
            const std::size_t start = i + 3;
            std::size_t end = start;
            while (end < url.size() && url[end] != '/' && url[end] != '@' && !ends_url(url[end])) {
                ++end;
            }
            if (end < url.size() && url[end] == '@') {
                const std::string_view userinfo = url.substr(start, end - start);
                const std::size_t colon = userinfo.find(':');
                out += "://";
                if (colon != std::string_view::npos) {
                    out += userinfo.substr(0, colon);
                    out += ":<PASSWORD>";
                } else {
                    out += userinfo;
                }
                out += '@';
                i = end + 1;
                continue;
            }
        }
        out += url[i];
        ++i;
    }
    return out;
}

}  // namespace cenv::util

#include "specs/match_spec.hpp"

#include <algorithm>
#include <array>

#include "specs/error.hpp"
#include "util/strings.hpp"

namespace cenv::specs {

struct MatchSpec::Extra {
    std::optional<ChannelSpec> channel;
    std::string subdir;
    std::string md5;
    std::string sha256;
    std::string fn;
    std::string url;
    std::optional<GlobSpec> license;
    std::optional<GlobSpec> license_family;
    std::optional<std::vector<std::string>> track_features;
    std::optional<std::vector<std::string>> features;
    std::string target;
    bool optional = false;
};

namespace {

using util::is_space;
using util::trim;

constexpr std::string_view default_hint =
    "a match spec looks like numpy, numpy>=1.2,<2, numpy=1.2=py310_0, "
    "conda-forge::numpy[build=*mkl*]";

const MatchSpec::Extra& empty_extra() {
    static const MatchSpec::Extra extra;
    return extra;
}

// The fields of the bracket section, in the order conda prints them after the name.
enum class Field : std::uint8_t {
    channel,
    subdir,
    name,
    version,
    build,
    build_number,
    track_features,
    features,
    url,
    md5,
    sha256,
    license,
    license_family,
    fn,
};

constexpr std::array<std::string_view, 14> field_names{
    "channel",  "subdir", "name", "version", "build",   "build_number",   "track_features",
    "features", "url",    "md5",  "sha256",  "license", "license_family", "fn",
};

constexpr std::string_view field_hint =
    "the fields in [...] are channel, subdir, name, version, build, build_number, "
    "track_features, features, url, md5, sha256, license, license_family and fn";

std::optional<Field> field_of(std::string_view key) noexcept {
    for (std::size_t i = 0; i < field_names.size(); ++i) {
        if (field_names[i] == key) {
            return static_cast<Field>(i);
        }
    }
    return std::nullopt;
}

bool is_key_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

bool is_hex(std::string_view s) noexcept {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

// conda's _sanitize_version_str: `=1.2` means `1.2*` when no build follows, `==1.2` means
// `1.2`; anything else is kept.
std::string sanitize_version(std::string_view version, bool has_build) {
    if (version == "=" || version == "==" || !version.starts_with('=')) {
        return std::string(version);
    }
    std::string_view bare = version;
    while (bare.starts_with('=')) {
        bare.remove_prefix(1);
    }
    if (version.starts_with("==") && !has_build) {
        return std::string(bare);
    }
    if (bare.find_first_of("=,|") == std::string_view::npos) {
        std::string out(bare);
        if (!has_build && !bare.ends_with('*')) {
            out += '*';
        }
        return out;
    }
    return std::string(version);
}

// Where conda's _parse_version_plus_build splits `version build`: the first space or `=`
// (not at the start) that does not follow an operator character, and after which only
// characters that a build string may hold remain. npos when the whole text is a version.
// (conda's regex: `((?:.+?)[^><!,|]?)(?:(?<![=!|,<>~])(?:[ =])([^-=,|<>~]+?))?$`.)
std::size_t find_build_separator(std::string_view s) noexcept {
    // The build may not hold any of these, so the separator is at or after the last one.
    const std::size_t last_bad = s.find_last_of("-=,|<>~");
    const std::size_t first =
        last_bad == std::string_view::npos ? 1 : std::max<std::size_t>(last_bad, 1);
    for (std::size_t i = first; i + 1 < s.size(); ++i) {
        const char c = s[i];
        if (c != '=' && !is_space(c)) {
            continue;
        }
        if (std::string_view("=!|,<>~").find(s[i - 1]) == std::string_view::npos) {
            return i;
        }
    }
    return std::string_view::npos;
}

// A set of features from `mkl debug` or `mkl,debug`: sorted, without duplicates or empties.
std::vector<std::string> feature_set(std::string_view text) {
    std::vector<std::string> out;
    for (const std::string_view piece : util::split_any(text, " ,\t")) {
        out.emplace_back(piece);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

bool has_feature(const std::vector<std::string>& set, std::string_view feature) noexcept {
    return std::binary_search(set.begin(), set.end(), feature, std::less<>{});
}

// conda's FeatureMatch: the record's features, as a set, equal the spec's.
// `for_each_piece(visit)` calls `visit` on each of the record's features.
template <typename Pieces>
bool same_features(const std::vector<std::string>& spec, const Pieces& for_each_piece) {
    bool all_in_spec = true;
    for_each_piece(
        [&](std::string_view piece) { all_in_spec = all_in_spec && has_feature(spec, piece); });
    if (!all_in_spec) {
        return false;
    }
    for (const std::string& feature : spec) {
        bool present = false;
        for_each_piece([&](std::string_view piece) { present = present || piece == feature; });
        if (!present) {
            return false;
        }
    }
    return true;
}

// Calls `f` on each non-empty piece of `text` between spaces and commas.
template <typename F>
void for_each_token(std::string_view text, F&& f) {
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find_first_of(" ,\t", start);
        const std::size_t stop = end == std::string_view::npos ? text.size() : end;
        if (stop > start) {
            f(text.substr(start, stop - start));
        }
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
}

// `key=value` for the canonical form, quoted when the value holds a separator.
void append_field(std::string& brackets, std::string_view key, std::string_view value) {
    if (!brackets.empty()) {
        brackets += ',';
    }
    brackets += key;
    brackets += '=';
    const bool needs_quotes =
        value.empty() || value.find_first_of(", =[]'\"\t") != std::string_view::npos;
    if (!needs_quotes) {
        brackets += value;
        return;
    }
    const char quote = value.find('\'') == std::string_view::npos ? '\'' : '"';
    brackets += quote;
    brackets += value;
    brackets += quote;
}

void append_quoted_field(std::string& brackets, std::string_view key, std::string_view value) {
    if (!brackets.empty()) {
        brackets += ',';
    }
    brackets += key;
    brackets += "='";
    brackets += value;
    brackets += '\'';
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) {
        if (!out.empty()) {
            out += ' ';
        }
        out += item;
    }
    return out;
}

// One `key=value` of the bracket section, as views into the spec.
struct Entry {
    Field field;
    std::string_view key;
    std::string_view value;
};

// Reads one spec. Every view points into `input_`, so that errors can give the column.
class Parser {
  public:
    explicit Parser(std::string_view input) : input_(input) {}

    // A field's text and the part of the spec it came from (for the column of an error).
    struct Text {
        std::string text;
        std::string_view part;
    };

    MatchSpec::Extra extra;
    bool has_extra = false;
    std::string name = "*";
    std::string_view name_part;
    std::optional<Text> version;
    std::optional<Text> build;
    std::optional<Text> build_number;

    void run();

    // Parses the fields into `spec`, with errors that point at where each came from.
    void finish(GlobSpec& name_spec, VersionSpec& version_spec, GlobSpec& build_spec,
                BuildNumberSpec& build_number_spec) const;

    [[noreturn]] void fail(std::string_view what, std::string_view hint = default_hint) const {
        throw ParseError("invalid match spec \"" + std::string(input_) + "\": " + std::string(what),
                         std::string(hint));
    }

    [[noreturn]] void fail_at(std::string_view part, std::string_view what,
                              std::string_view hint = default_hint) const {
        fail(std::string(what) + " at column " + std::to_string(column(part)), hint);
    }

    [[nodiscard]] std::size_t column(std::string_view part) const noexcept {
        return static_cast<std::size_t>(part.data() - input_.data()) + 1;
    }

  private:
    void parse_package_file(std::string_view text);
    std::string_view take_brackets(std::string_view text);
    std::string_view take_trailing_parens(std::string_view text);
    bool parse_parens(std::string_view content, bool strict);
    void parse_brackets(std::string_view content);
    void parse_name(std::string_view name_text);
    void set_channel(std::string_view channel_text);

    std::string_view input_;
    std::vector<Entry> entries_;
};

void Parser::run() {
    std::string_view text = trim(input_);
    if (text.empty()) {
        fail("it is empty");
    }

    // `# comment`, or `#<md5>` / `#sha256:<hex>` after a package URL.
    const std::size_t hash = text.find('#');
    if (hash != std::string_view::npos) {
        const std::string_view head = trim(text.substr(0, hash));
        const std::string_view tail = trim(text.substr(hash + 1));
        if (head.empty()) {
            fail_at(text, "nothing comes before the comment");
        }
        if (is_package_file(head)) {
            if (tail.size() == 32 && is_hex(tail)) {
                extra.md5 = std::string(tail);
            } else if (tail.starts_with("sha256:") && tail.size() == 7 + 64 &&
                       is_hex(tail.substr(7))) {
                extra.sha256 = std::string(tail.substr(7));
            } else if (tail.size() == 64 && is_hex(tail)) {
                extra.sha256 = std::string(tail);
            }
        }
        text = head;
    }

    // Legacy `feature@`: any package that tracks the feature.
    if (text.back() == '@') {
        const std::string_view feature = trim(text.substr(0, text.size() - 1));
        if (feature.empty() || feature.find_first_of(" \t,[]=") != std::string_view::npos) {
            fail_at(text, "a feature name must come before '@'");
        }
        extra.track_features = std::vector<std::string>{std::string(feature)};
        has_extra = true;
        return;
    }

    if (const std::size_t cond = text.find(" if "); cond != std::string_view::npos) {
        fail_at(text.substr(cond + 1), "conditional specs ('if') are not supported",
                "write the condition as a separate spec");
    }

    if (is_package_file(text)) {
        parse_package_file(text);
        return;
    }

    text = take_brackets(text);
    text = take_trailing_parens(text);

    // `channel::` and `channel/subdir::`.
    if (const std::size_t sep = text.rfind("::"); sep != std::string_view::npos) {
        const std::string_view channel_text = trim(text.substr(0, sep));
        text = trim(text.substr(sep + 2));
        if (!channel_text.empty()) {
            set_channel(channel_text);
        }
    } else if (has_url_scheme(text)) {
        fail_at(text, "a URL that is neither a package file nor followed by ::name",
                "write a package file URL (https://host/channel/linux-64/numpy-1.2-0.conda) or "
                "a channel URL and a name (https://host/channel::numpy)");
    } else if (const std::size_t colon = text.find(':'); colon != std::string_view::npos) {
        fail_at(text.substr(colon), "a single ':'",
                "a channel is separated from the name by two colons: conda-forge::numpy");
    }

    // The name runs up to the first space or operator character.
    std::size_t name_end = 0;
    while (name_end < text.size() && !is_space(text[name_end]) &&
           std::string_view("=<>!~").find(text[name_end]) == std::string_view::npos) {
        ++name_end;
    }
    if (name_end == 0) {
        fail_at(text, "the package name is missing");
    }
    parse_name(text.substr(0, name_end));

    // Version and build. A lone trailing `=` (`numpy=`) is ignored, as conda does.
    std::string_view rest = text.substr(name_end);
    if (rest == "=") {
        rest = {};
    }
    rest = trim(rest);
    if (!rest.empty()) {
        std::string_view version_text = rest;
        std::optional<std::string_view> build_text;
        if (const std::size_t sep = find_build_separator(rest); sep != std::string_view::npos) {
            version_text = rest.substr(0, sep);
            build_text = trim(rest.substr(sep + 1));
            if (const std::size_t space = build_text->find_first_of(" \t\r\n\v\f");
                space != std::string_view::npos) {
                fail_at(build_text->substr(space), "unexpected text after the build string \"" +
                                                       std::string(build_text->substr(0, space)) +
                                                       "\"");
            }
        }
        std::string compact;
        compact.reserve(version_text.size());
        for (const char c : version_text) {
            if (!is_space(c)) {
                compact += c;
            }
        }
        version = Text{sanitize_version(compact, build_text.has_value()), version_text};
        if (build_text) {
            build = Text{std::string(*build_text), *build_text};
        }
    }

    // The bracket section overrides what came before (except the name).
    for (const Entry& entry : entries_) {
        const std::string_view value = entry.value;
        switch (entry.field) {
            case Field::name:
                break;  // conda ignores a name in brackets when one is given outside
            case Field::channel:
                set_channel(value);
                break;
            case Field::subdir:
                break;  // applied after channel, below
            case Field::version:
                version = Text{sanitize_version(value, false), value};
                break;
            case Field::build:
                build = Text{std::string(value), value};
                break;
            case Field::build_number:
                build_number = Text{std::string(value), value};
                break;
            case Field::track_features:
                extra.track_features = feature_set(value);
                has_extra = true;
                break;
            case Field::features:
                extra.features = feature_set(value);
                has_extra = true;
                break;
            case Field::url:
                extra.url = std::string(value);
                has_extra = true;
                break;
            case Field::md5:
                extra.md5 = std::string(value);
                has_extra = true;
                break;
            case Field::sha256:
                extra.sha256 = std::string(value);
                has_extra = true;
                break;
            case Field::license:
            case Field::license_family:
                try {
                    (entry.field == Field::license ? extra.license : extra.license_family) =
                        GlobSpec::parse(value, GlobSpec::Case::insensitive);
                } catch (const ParseError& e) {
                    fail_at(value,
                            std::string("bad ") + std::string(entry.key) + " (" + e.what() + ")",
                            e.hint());
                }
                has_extra = true;
                break;
            case Field::fn:
                extra.fn = std::string(value);
                has_extra = true;
                break;
        }
    }
    for (const Entry& entry : entries_) {
        if (entry.field == Field::subdir) {
            extra.subdir = std::string(entry.value);
            has_extra = true;
        }
    }
}

void Parser::parse_package_file(std::string_view text) {
    PackageUrl package;
    try {
        package = parse_package_url(text);
    } catch (const ParseError& e) {
        fail_at(text, e.what(), e.hint());
    }
    has_extra = true;
    extra.url = std::move(package.url);
    if (package.channel.empty()) {
        // The URL is not inside a channel: only the URL and the file name are known.
        extra.fn = std::move(package.filename);
        return;
    }
    try {
        extra.channel = ChannelSpec::parse(package.channel);
    } catch (const ParseError& e) {
        fail_at(text, e.what(), e.hint());
    }
    extra.subdir = std::move(package.subdir);
    extra.fn = std::move(package.filename);
    name = util::to_lower(package.name);
    name_part = text;
    version = Text{std::move(package.version), text};
    build = Text{std::move(package.build), text};
}

// Cuts off the bracket section `[...]` (and a `(...)` right after it); returns the text
// before it.
std::string_view Parser::take_brackets(std::string_view text) {
    const std::size_t open = text.find('[');
    if (open == std::string_view::npos) {
        if (const std::size_t close = text.find(']'); close != std::string_view::npos) {
            fail_at(text.substr(close), "']' without '['");
        }
        return text;
    }
    // The matching `]`, skipping quoted values and nested brackets (`build=^py3[0-9]$`).
    std::size_t close = std::string_view::npos;
    int depth = 0;
    char quote = 0;
    for (std::size_t i = open; i < text.size(); ++i) {
        const char c = text[i];
        if (quote != 0) {
            if (c == quote) {
                quote = 0;
            }
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '[') {
            ++depth;
        } else if (c == ']' && --depth == 0) {
            close = i;
            break;
        }
    }
    if (close == std::string_view::npos) {
        fail_at(text.substr(open), quote != 0 ? "a quote in the brackets is never closed"
                                              : "'[' is never closed by ']'");
    }
    const std::string_view after = trim(text.substr(close + 1));
    if (!after.empty()) {
        if (after.front() == '(' && after.back() == ')') {
            if (!parse_parens(after.substr(1, after.size() - 2), true)) {
                fail_at(after, "unexpected section after the brackets",
                        "the section in parentheses holds optional and target=...");
            }
        } else if (after.find('[') != std::string_view::npos) {
            fail_at(after.substr(after.find('[')), "a second bracket section",
                    "put every key=value in one [...] section");
        } else {
            fail_at(after, "unexpected text after ']'");
        }
    }
    parse_brackets(text.substr(open + 1, close - open - 1));
    return trim(text.substr(0, open));
}

// Cuts off a trailing `(optional)` / `(target=..., optional)`. Parentheses that hold anything
// else belong to the version (`foo (>=1,<2)|>3`) and are left alone.
std::string_view Parser::take_trailing_parens(std::string_view text) {
    if (!text.ends_with(')')) {
        return text;
    }
    int depth = 0;
    for (std::size_t i = text.size(); i-- > 0;) {
        if (text[i] == ')') {
            ++depth;
        } else if (text[i] == '(' && --depth == 0) {
            if (parse_parens(text.substr(i + 1, text.size() - i - 2), false)) {
                return trim(text.substr(0, i));
            }
            return text;
        }
    }
    return text;
}

bool Parser::parse_parens(std::string_view content, bool strict) {
    bool optional = false;
    std::string target;
    bool any = false;
    std::size_t i = 0;
    while (i < content.size()) {
        while (i < content.size() && (is_space(content[i]) || content[i] == ',')) {
            ++i;
        }
        if (i == content.size()) {
            break;
        }
        std::size_t end = i;
        while (end < content.size() && is_key_char(content[end])) {
            ++end;
        }
        const std::string_view key = content.substr(i, end - i);
        if (key == "optional" &&
            (end == content.size() || is_space(content[end]) || content[end] == ',')) {
            optional = true;
            any = true;
            i = end;
            continue;
        }
        if (key != "target" || end == content.size() || content[end] != '=') {
            return false;
        }
        i = end + 1;
        char quote = 0;
        if (i < content.size() && (content[i] == '\'' || content[i] == '"')) {
            quote = content[i++];
        }
        const std::size_t start = i;
        while (i < content.size() &&
               (quote != 0 ? content[i] != quote : !(is_space(content[i]) || content[i] == ','))) {
            ++i;
        }
        target = std::string(content.substr(start, i - start));
        if (quote != 0) {
            if (i == content.size()) {
                return false;
            }
            ++i;
        }
        any = true;
    }
    if (!any && !strict) {
        return false;
    }
    if (optional || !target.empty()) {
        extra.optional = optional;
        extra.target = std::move(target);
        has_extra = true;
    }
    return true;
}

void Parser::parse_brackets(std::string_view content) {
    std::size_t i = 0;
    while (true) {
        while (i < content.size() && (is_space(content[i]) || content[i] == ',')) {
            ++i;
        }
        if (i == content.size()) {
            break;
        }
        std::size_t end = i;
        while (end < content.size() && is_key_char(content[end])) {
            ++end;
        }
        const std::string_view key = content.substr(i, end - i);
        if (key.empty()) {
            fail_at(content.substr(i), "expected key=value in the brackets", field_hint);
        }
        const std::optional<Field> field = field_of(key);
        if (!field) {
            fail_at(key, "unknown field \"" + std::string(key) + "\" in the brackets", field_hint);
        }
        for (const Entry& seen : entries_) {
            if (seen.field == *field) {
                fail_at(key, "field \"" + std::string(key) + "\" is given twice");
            }
        }
        i = end;
        while (i < content.size() && is_space(content[i])) {
            ++i;
        }
        // `version<2`, the old way of writing version='<2', is still read.
        const bool operator_value =
            (*field == Field::version || *field == Field::build_number) && i < content.size() &&
            std::string_view("<>!~").find(content[i]) != std::string_view::npos;
        if (!operator_value) {
            if (i == content.size() || content[i] != '=') {
                fail_at(key, "\"" + std::string(key) + "\" is not followed by '=' and a value",
                        field_hint);
            }
            ++i;
            while (i < content.size() && is_space(content[i])) {
                ++i;
            }
        }
        std::string_view value;
        bool quoted = false;
        if (i < content.size() && (content[i] == '\'' || content[i] == '"')) {
            const char quote = content[i];
            const std::size_t close = content.find(quote, i + 1);
            if (close == std::string_view::npos) {
                fail_at(content.substr(i), "the quote is never closed");
            }
            value = content.substr(i + 1, close - i - 1);
            quoted = true;
            i = close + 1;
            if (i < content.size() && !is_space(content[i]) && content[i] != ',') {
                fail_at(content.substr(i),
                        "unexpected text after the quoted value of \"" + std::string(key) + "\"");
            }
        } else {
            const std::size_t start = i;
            while (i < content.size() && !is_space(content[i]) && content[i] != ',') {
                ++i;
            }
            value = content.substr(start, i - start);
        }
        const bool may_be_empty =
            quoted && (*field == Field::track_features || *field == Field::features);
        if (trim(value).empty() && !may_be_empty) {
            fail_at(value.empty() ? content.substr(std::min(i, content.size())) : value,
                    "the value of \"" + std::string(key) + "\" is missing", field_hint);
        }
        entries_.push_back({*field, key, value});
    }
    if (entries_.empty()) {
        fail_at(content, "no key=value in the brackets", field_hint);
    }
}

void Parser::parse_name(std::string_view name_text) {
    name = util::to_lower(name_text);
    name_part = name_text;
    if (name == "*" || (name.size() >= 2 && name.front() == '^' && name.back() == '$')) {
        return;
    }
    constexpr std::string_view name_hint =
        "package names use lower-case letters, digits, '-', '_' and '.', and start with a "
        "letter, a digit or '_'";
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                        c == '.' || c == '*';
        if (!ok) {
            fail_at(name_text.substr(i),
                    "invalid characters in package name \"" + std::string(name_text) + "\": '" +
                        std::string(1, name_text[i]) + "'",
                    name_hint);
        }
    }
    const auto is_separator = [](char c) { return c == '.' || c == '-'; };
    if (is_separator(name.front())) {
        fail_at(name_text,
                "invalid package name \"" + std::string(name_text) + "\": it starts with '" +
                    std::string(1, name.front()) + "'",
                name_hint);
    }
    for (std::size_t i = 1; i < name.size(); ++i) {
        if (is_separator(name[i]) && is_separator(name[i - 1])) {
            fail_at(name_text.substr(i - 1),
                    "invalid package name \"" + std::string(name_text) + "\": \"" +
                        name.substr(i - 1, 2) + "\"",
                    name_hint);
        }
    }
}

void Parser::finish(GlobSpec& name_spec, VersionSpec& version_spec, GlobSpec& build_spec,
                    BuildNumberSpec& build_number_spec) const {
    // Each field's parser reports its own fault; say which field of the spec it was in.
    const auto parse_field = [this](auto& out, auto parse, std::string_view part,
                                    std::string_view what, const std::string& text) {
        try {
            out = parse(text);
        } catch (const ParseError& e) {
            fail_at(part, "bad " + std::string(what) + " \"" + text + "\" (" + e.what() + ")",
                    e.hint().empty() ? default_hint : std::string_view(e.hint()));
        }
    };
    const auto glob = [](std::string_view text) { return GlobSpec::parse(text); };
    parse_field(name_spec, glob, name_part, "package name", name);
    if (version) {
        parse_field(version_spec, &VersionSpec::parse, version->part, "version", version->text);
    }
    if (build) {
        parse_field(build_spec, glob, build->part, "build string", build->text);
    }
    if (build_number) {
        parse_field(build_number_spec, &BuildNumberSpec::parse, build_number->part, "build_number",
                    build_number->text);
    }
}

void Parser::set_channel(std::string_view channel_text) {
    ChannelSpec channel;
    try {
        channel = ChannelSpec::parse(channel_text);
    } catch (const ParseError& e) {
        fail_at(channel_text, e.what(), e.hint());
    }
    if (!channel.subdir().empty()) {
        extra.subdir = channel.subdir();
    }
    if (channel.matches_all()) {
        extra.channel.reset();
    } else {
        extra.channel = channel.without_subdir();
    }
    has_extra = true;
}

}  // namespace

MatchSpec::MatchSpec() = default;

MatchSpec MatchSpec::parse(std::string_view text) {
    Parser parser(text);
    parser.run();
    MatchSpec spec;
    parser.finish(spec.name_, spec.version_, spec.build_, spec.build_number_);
    if (parser.has_extra) {
        spec.extra_ = std::make_shared<const Extra>(std::move(parser.extra));
    }
    return spec;
}

const std::optional<ChannelSpec>& MatchSpec::channel() const noexcept {
    return (extra_ ? *extra_ : empty_extra()).channel;
}
const std::string& MatchSpec::subdir() const noexcept {
    return (extra_ ? *extra_ : empty_extra()).subdir;
}
const std::string& MatchSpec::md5() const noexcept {
    return (extra_ ? *extra_ : empty_extra()).md5;
}
const std::string& MatchSpec::sha256() const noexcept {
    return (extra_ ? *extra_ : empty_extra()).sha256;
}
const std::string& MatchSpec::fn() const noexcept {
    return (extra_ ? *extra_ : empty_extra()).fn;
}
const std::string& MatchSpec::url() const noexcept {
    return (extra_ ? *extra_ : empty_extra()).url;
}
const std::optional<GlobSpec>& MatchSpec::license() const noexcept {
    return (extra_ ? *extra_ : empty_extra()).license;
}
const std::optional<GlobSpec>& MatchSpec::license_family() const noexcept {
    return (extra_ ? *extra_ : empty_extra()).license_family;
}
const std::optional<std::vector<std::string>>& MatchSpec::track_features() const noexcept {
    return (extra_ ? *extra_ : empty_extra()).track_features;
}
const std::optional<std::vector<std::string>>& MatchSpec::features() const noexcept {
    return (extra_ ? *extra_ : empty_extra()).features;
}
bool MatchSpec::is_optional() const noexcept {
    return extra_ && extra_->optional;
}
const std::string& MatchSpec::target() const noexcept {
    return (extra_ ? *extra_ : empty_extra()).target;
}

bool MatchSpec::is_name_only() const noexcept {
    if (!name_.is_exact() || !version_.matches_all() || !build_.matches_all() ||
        !build_number_.matches_all()) {
        return false;
    }
    if (!extra_) {
        return true;
    }
    const Extra& x = *extra_;
    return !x.channel && x.subdir.empty() && x.md5.empty() && x.sha256.empty() && x.fn.empty() &&
           x.url.empty() && !x.license && !x.license_family && !x.track_features && !x.features;
}

std::string MatchSpec::str() const {
    const Extra& x = extra_ ? *extra_ : empty_extra();
    std::string out;
    std::string brackets;

    const bool exact_channel = x.channel && x.channel->is_exact();
    if (exact_channel) {
        out += x.channel->location();
    } else if (x.channel && !x.channel->matches_all()) {
        append_field(brackets, "channel", x.channel->location());
    }
    if (!x.subdir.empty()) {
        if (exact_channel) {
            out += '/';
            out += x.subdir;
        } else {
            append_field(brackets, "subdir", x.subdir);
        }
    }
    if (!out.empty()) {
        out += "::";
    }
    out += name_.str();

    bool version_exact = false;
    if (!version_.matches_all()) {
        const std::string& v = version_.str();
        // An `=` past the leading operator (a version written in brackets) would be read
        // back as a version=build split outside them (found by the fuzzer).
        const std::size_t body = v.find_first_not_of("=!~<>");
        const bool inner_equals =
            body != std::string::npos && v.find('=', body) != std::string::npos;
        if (v.find_first_of("><$^|,") != std::string::npos || inner_equals) {
            append_quoted_field(brackets, "version", v);
        } else if (v.starts_with("!=") || v.starts_with("~=")) {
            if (!build_.matches_all()) {
                append_quoted_field(brackets, "version", v);
            } else {
                out += v;
            }
        } else if (v.ends_with('*')) {
            // `=1.2` for `1.2.*` / `1.2*`. Where that would not read back as the same spec
            // (`1.*.*` would print as `=1.*`, which reads as `1.*`) the version goes in
            // brackets instead; conda prints `=1.*` there.
            const std::string_view fuzzy =
                std::string_view(v).substr(0, v.size() - (v.ends_with(".*") ? 2 : 1));
            if (fuzzy.empty() || fuzzy.ends_with('*')) {
                append_field(brackets, "version", v);
            } else {
                out += '=';
                out += fuzzy;
            }
        } else if (v.starts_with("==")) {
            out += v;
            version_exact = true;
        } else {
            out += "==";
            out += v;
            version_exact = true;
        }
    }

    if (!build_.matches_all()) {
        const std::string& b = build_.str();
        if (b.find_first_of("><$^|,") != std::string::npos) {
            append_quoted_field(brackets, "build", b);
        } else if (b.find('*') != std::string::npos || !version_exact) {
            append_field(brackets, "build", b);
        } else {
            out += '=';
            out += b;
        }
    }

    if (!build_number_.matches_all()) {
        append_field(brackets, "build_number", build_number_.str());
    }
    if (x.track_features) {
        append_field(brackets, "track_features", join(*x.track_features));
    }
    if (x.features) {
        append_field(brackets, "features", join(*x.features));
    }
    if (!x.url.empty() && !x.channel) {
        append_field(brackets, "url", x.url);
    }
    if (!x.md5.empty()) {
        append_field(brackets, "md5", x.md5);
    }
    if (!x.sha256.empty()) {
        append_field(brackets, "sha256", x.sha256);
    }
    if (x.license) {
        append_field(brackets, "license", x.license->str());
    }
    if (x.license_family) {
        append_field(brackets, "license_family", x.license_family->str());
    }
    if (!x.fn.empty() && x.url.empty()) {
        append_field(brackets, "fn", x.fn);
    }

    if (!brackets.empty()) {
        out += '[';
        out += brackets;
        out += ']';
    }
    return out;
}

bool MatchSpec::contains_except_version(const PackageRecord& record) const {
    if (!name_.contains(record.name) || !build_number_.contains(record.build_number) ||
        !build_.contains(record.build)) {
        return false;
    }
    if (!extra_) {
        return true;
    }
    const Extra& x = *extra_;
    if (!x.subdir.empty() && x.subdir != record.subdir) {
        return false;
    }
    if (x.channel && !x.channel->contains(record.channel)) {
        return false;
    }
    if ((!x.md5.empty() && x.md5 != record.md5) ||
        (!x.sha256.empty() && x.sha256 != record.sha256) || (!x.fn.empty() && x.fn != record.fn) ||
        (!x.url.empty() && x.url != record.url)) {
        return false;
    }
    if ((x.license && !x.license->contains(record.license)) ||
        (x.license_family && !x.license_family->contains(record.license_family))) {
        return false;
    }
    if (x.track_features && !same_features(*x.track_features, [&record](const auto& visit) {
            for (const std::string& item : record.track_features) {
                for_each_token(item, visit);
            }
        })) {
        return false;
    }
    if (x.features && !same_features(*x.features, [&record](const auto& visit) {
            for_each_token(record.features, visit);
        })) {
        return false;
    }
    return true;
}

bool MatchSpec::contains(const PackageRecord& record) const {
    if (!contains_except_version(record)) {
        return false;
    }
    if (version_.matches_all()) {
        return true;
    }
    Version version;
    try {
        version = Version::parse(record.version);
    } catch (const ParseError&) {
        return false;  // a record whose version does not parse is in no version range
    }
    return version_.contains(version);
}

bool MatchSpec::contains(const PackageRecord& record, const Version& version) const {
    return contains_except_version(record) &&
           (version_.matches_all() || version_.contains(version));
}

std::string MatchSpec::conda_build_form() const {
    if (!name_.is_exact()) {
        throw ParseError("the match spec \"" + str() + "\" has no exact package name",
                         "the conda-build form needs one, as in numpy 1.2 py310_0");
    }
    std::string out = name_.str();
    if (!build_.matches_all()) {
        out += ' ';
        out += version_.matches_all() ? std::string("*") : version_.str();
        out += ' ';
        out += build_.str();
    } else if (!version_.matches_all()) {
        out += ' ';
        out += version_.str();
    }
    return out;
}

std::string MatchSpec::conda_env_form() const {
    std::string out = str();
    if (const std::size_t sep = out.find("::"); sep != std::string::npos) {
        out.erase(0, sep + 2);
    }
    if (const std::size_t eq = out.find("=="); eq != std::string::npos) {
        out.erase(eq, 1);
    }
    return out;
}

std::size_t MatchSpec::hash() const {
    return std::hash<std::string>{}(str());
}

std::optional<std::string> spec_from_line(std::string_view line) {
    // conda: line.split('#')[0].rstrip(), then
    //   (?P<name>[^=<>!\s]+) \s* ( (?P<cc>=[^=]+(=[^=]+)?) | (?P<pc>(?:[=!]=|[><]=?|~=).+) )? $
    std::string_view text = line.substr(0, line.find('#'));
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    std::size_t i = 0;
    while (i < text.size() && !is_space(text[i]) &&
           std::string_view("=<>!").find(text[i]) == std::string_view::npos) {
        ++i;
    }
    if (i == 0) {
        return std::nullopt;
    }
    std::string out = util::to_lower(text.substr(0, i));
    while (i < text.size() && is_space(text[i])) {
        ++i;
    }
    const std::string_view rest = text.substr(i);
    if (rest.empty()) {
        return out;
    }
    // conda constraint: `=version` or `=version=build`, no `=` inside either.
    if (rest.size() >= 2 && rest[0] == '=' && rest[1] != '=') {
        const std::size_t second = rest.find('=', 1);
        const bool ok =
            second == std::string_view::npos ||
            (second + 1 < rest.size() && rest.find('=', second + 1) == std::string_view::npos);
        if (ok) {
            out += ' ';
            for (std::size_t k = 1; k < rest.size(); ++k) {
                out += rest[k] == '=' ? ' ' : rest[k];
            }
            return out;
        }
    }
    // pip-style constraint: an operator, then anything; spaces are dropped.
    static constexpr std::array<std::string_view, 7> operators{
        "==", "!=", "~=", ">=", "<=", ">", "<"};
    for (const std::string_view op : operators) {
        if (rest.starts_with(op) && rest.size() > op.size()) {
            out += ' ';
            for (const char c : rest) {
                if (c != ' ') {
                    out += c;
                }
            }
            return out;
        }
    }
    return std::nullopt;
}

}  // namespace cenv::specs

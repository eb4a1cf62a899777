#include "specs/version_spec.hpp"

#include <variant>
#include <vector>

#include "specs/error.hpp"
#include "util/glob.hpp"
#include "util/regex.hpp"

// The grammar and its meaning follow conda's VersionSpec (conda/models/version.py):
//
// - A spec with any of `()|,^$` (before any newline: conda tests it with `.*[()|,^$]`) goes
//   through `treeify`: tokens are `^...$` regexes, the punctuation `()|,`, and runs of
//   anything else, each stripped; a shunting-yard with `,` binding tighter than `|` builds a
//   tree whose nested nodes of the same operator are fused. Like conda, extra terms left on
//   the output are dropped (`(1.5)(1.6)` is `1.5`).
// - The canonical text of a node is its children's texts joined with `,` or `|`, without
//   parentheses (conda's `untreeify` of a tuple of already-rendered strings).
// - A term is, by its first match: `^...$` a regex matched from the start of the version's
//   source text; `=`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `~=` and a version (`=1.2` and
//   `=1.2.*` mean "starts with 1.2", `!=1.2.*` "does not start with", `~=` with `.*` is an
//   error, other operators ignore a trailing `.*`); `*`; a glob with an inner `*`
//   (`1.*.1`), matched against the source text; `1.2*` / `1.2.*` (starts with 1.2, printed
//   as `1.2.*`); a plain version (==); or, when it holds an `@`, a literal text.

namespace cenv::specs {

namespace {

constexpr bool is_py_space(char c) noexcept {
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

std::string_view py_strip(std::string_view s) noexcept {
    while (!s.empty() && is_py_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_py_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

constexpr std::string_view kHint =
    "a version spec is terms like 1.2, ==1.2, >=1.2, <2, !=1.5, ~=1.2.3, =1.2, 1.2.*, * or "
    "^regex$, joined with ',' (and) and '|' (or), grouped with parentheses";

[[noreturn]] void fail(std::string_view spec, const std::string& what) {
    throw ParseError("invalid version spec '" + std::string(spec) + "': " + what,
                     std::string(kHint));
}

}  // namespace

struct VersionSpec::Node {
    enum class Kind : std::uint8_t { All, Compare, Regex, Glob, Text, And, Or };
    enum class Op : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge, StartsWith, NotStartsWith, Compatible };

    Kind kind = Kind::All;
    Op op = Op::Eq;
    bool exact = false;
    std::string text;                   // canonical
    Version version;                    // Compare
    Version prefix;                     // Compare with ~=: version cut at its last '.'
    std::string pattern;                // Glob
    std::unique_ptr<std::regex> regex;  // Regex
    std::vector<Node> children;         // And, Or

    [[nodiscard]] bool contains(const Version& v) const {
        switch (kind) {
            case Kind::All:
                return true;
            case Kind::Compare:
                switch (op) {
                    case Op::Eq:
                        return v == version;
                    case Op::Ne:
                        return v != version;
                    case Op::Lt:
                        return v < version;
                    case Op::Le:
                        return v <= version;
                    case Op::Gt:
                        return v > version;
                    case Op::Ge:
                        return v >= version;
                    case Op::StartsWith:
                        return v.starts_with(version);
                    case Op::NotStartsWith:
                        return !v.starts_with(version);
                    case Op::Compatible:
                        return v >= version && v.starts_with(prefix);
                }
                return false;
            case Kind::Regex:
                return std::regex_search(v.source(), *regex,
                                         std::regex_constants::match_continuous);
            case Kind::Glob:
                return util::glob_match(pattern, v.source());
            case Kind::Text:
                return v.source() == text;
            case Kind::And:
                for (const Node& c : children) {
                    if (!c.contains(v)) {
                        return false;
                    }
                }
                return true;
            case Kind::Or:
                for (const Node& c : children) {
                    if (c.contains(v)) {
                        return true;
                    }
                }
                return false;
        }
        return false;
    }
};

namespace {

using Node = VersionSpec::Node;

/// conda's treeify output: a term's text or (operator, children).
struct Tree;
using Item = std::variant<std::string, Tree>;
struct Tree {
    char op;
    std::vector<Item> children;
};

/// conda's VSPEC_TOKENS over "(" + spec + ")": `\s*\^[^$]*[$]` | `\s*[()|,]` | `[^()|,]+`,
/// each token stripped.
std::vector<std::string_view> tokenize(std::string_view s) {
    std::vector<std::string_view> tokens;
    std::size_t pos = 0;
    const auto is_punct = [](char c) { return c == '(' || c == ')' || c == '|' || c == ','; };
    while (pos < s.size()) {
        std::size_t j = pos;
        while (j < s.size() && is_py_space(s[j])) {
            ++j;
        }
        if (j < s.size() && s[j] == '^') {
            if (const std::size_t dollar = s.find('$', j + 1); dollar != std::string_view::npos) {
                tokens.push_back(s.substr(j, dollar + 1 - j));
                pos = dollar + 1;
                continue;
            }
        }
        if (j < s.size() && is_punct(s[j])) {
            tokens.push_back(s.substr(j, 1));
            pos = j + 1;
            continue;
        }
        std::size_t end = pos;
        while (end < s.size() && !is_punct(s[end])) {
            ++end;
        }
        tokens.push_back(py_strip(s.substr(pos, end - pos)));
        pos = end;
    }
    return tokens;
}

/// conda's treeify: shunting-yard with `,` over `|`, fusing same-operator nodes.
Item treeify(std::string_view spec) {
    const std::string wrapped = "(" + std::string(spec) + ")";
    std::vector<Item> output;
    std::vector<char> stack;
    const auto apply_ops = [&](std::string_view stop) {
        while (!stack.empty() && stop.find(stack.back()) == std::string_view::npos) {
            if (output.size() < 2) {
                fail(spec, std::string("'") + stack.back() + "' lacks a term on one side");
            }
            const char op = stack.back();
            stack.pop_back();
            Item right = std::move(output.back());
            output.pop_back();
            Item left = std::move(output.back());
            output.pop_back();
            Tree joined{op, {}};
            for (Item* side : {&left, &right}) {
                if (auto* t = std::get_if<Tree>(side); t != nullptr && t->op == op) {
                    for (Item& c : t->children) {
                        joined.children.push_back(std::move(c));
                    }
                } else {
                    joined.children.push_back(std::move(*side));
                }
            }
            output.emplace_back(std::move(joined));
        }
    };
    for (const std::string_view token : tokenize(wrapped)) {
        if (token == "|") {
            apply_ops("(");
            stack.push_back('|');
        } else if (token == ",") {
            apply_ops("|(");
            stack.push_back(',');
        } else if (token == "(") {
            stack.push_back('(');
        } else if (token == ")") {
            apply_ops("(");
            if (stack.empty() || stack.back() != '(') {
                fail(spec, "')' without a matching '('");
            }
            stack.pop_back();
        } else {
            output.emplace_back(std::string(token));
        }
    }
    if (!stack.empty()) {
        fail(spec, "'(' without a matching ')'");
    }
    if (output.empty()) {
        fail(spec, "no version in it");
    }
    return std::move(output.front());
}

Version parse_version(std::string_view spec, std::string_view text) {
    try {
        return Version::parse(text);
    } catch (const ParseError& e) {
        fail(spec, e.what());
    }
}

/// One term (conda's get_matcher for a string without operators `,|()`).
Node parse_term(std::string_view spec, std::string_view raw) {
    const std::string_view s = py_strip(raw);
    if (s.empty()) {
        fail(spec, "empty");
    }
    Node node;
    node.text = std::string(s);
    const auto part = [&] { return " in '" + std::string(s) + "'"; };

    if (s.front() == '^' || s.back() == '$') {
        if (s.front() != '^' || s.back() != '$') {
            fail(spec, "a regex must start with '^' and end with '$'" + part());
        }
        node.kind = Node::Kind::Regex;
        try {
            node.regex = std::make_unique<std::regex>(node.text, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            fail(spec, std::string("bad regular expression '") + node.text + "': " + e.what());
        }
        return node;
    }

    if (s.front() == '=' || s.front() == '<' || s.front() == '>' || s.front() == '!' ||
        s.front() == '~') {
        // conda: ^(=|==|!=|<=|>=|<|>|~=)(?![=<>!~])(\S+)$, alternatives tried in this order
        static constexpr std::string_view kOps[] = {"=", "==", "!=", "<=", ">=", "<", ">", "~="};
        std::string_view op;
        for (const std::string_view candidate : kOps) {
            if (!s.starts_with(candidate) || s.size() == candidate.size()) {
                continue;
            }
            const char next = s[candidate.size()];
            if (next == '=' || next == '<' || next == '>' || next == '!' || next == '~') {
                continue;
            }
            bool space = false;
            for (const char c : s.substr(candidate.size())) {
                space = space || is_py_space(c);
            }
            if (!space) {
                op = candidate;
                break;
            }
        }
        if (op.empty()) {
            fail(spec, "invalid operator" + part());
        }
        std::string_view version = s.substr(op.size());
        node.kind = Node::Kind::Compare;
        node.exact = op == "==";
        if (op == "=") {
            node.op = Node::Op::StartsWith;
        } else if (op == "==") {
            node.op = Node::Op::Eq;
        } else if (op == "!=") {
            node.op = Node::Op::Ne;
        } else if (op == "<") {
            node.op = Node::Op::Lt;
        } else if (op == "<=") {
            node.op = Node::Op::Le;
        } else if (op == ">") {
            node.op = Node::Op::Gt;
        } else if (op == ">=") {
            node.op = Node::Op::Ge;
        } else {
            node.op = Node::Op::Compatible;
        }
        if (version.ends_with(".*")) {
            // `=1.2.*` and `>=1.2.*` drop it, `!=1.2.*` means "does not start with"; conda
            // accepts and ignores it (with a deprecation warning) after `==`, `<`, `<=`, `>`.
            if (node.op == Node::Op::Compatible) {
                fail(spec, "'~=' cannot be combined with '.*'" + part());
            }
            if (node.op == Node::Op::Ne) {
                node.op = Node::Op::NotStartsWith;
            }
            version.remove_suffix(2);
        }
        node.version = parse_version(spec, version);
        if (node.op == Node::Op::Compatible) {
            const std::string& norm = node.version.str();
            const std::size_t dot = norm.rfind('.');
            if (dot == std::string::npos) {
                fail(spec, "'~=' needs a version with a '.' to cut at" + part());
            }
            node.prefix = parse_version(spec, std::string_view(norm).substr(0, dot));
        }
        return node;
    }

    if (s == "*") {
        node.kind = Node::Kind::All;
        return node;
    }

    const std::size_t last_non_star = s.find_last_not_of('*');
    if (last_non_star != std::string_view::npos &&
        s.substr(0, last_non_star + 1).find('*') != std::string_view::npos) {
        // An inner `*`: conda turns it into the regex ^(?:...)$ with `.` and `+` escaped and
        // `*` as `.*`. Without other regex syntax that is a plain glob.
        if (s.find_first_of("?{}[]\\^$") == std::string_view::npos) {
            node.kind = Node::Kind::Glob;
            node.pattern = node.text;
            return node;
        }
        std::string rx = "^(?:";
        for (const char c : s) {
            if (c == '.' || c == '+') {
                rx += '\\';
                rx += c;
            } else if (c == '*') {
                rx += ".*";
            } else {
                rx += c;
            }
        }
        rx += ")$";
        node.kind = Node::Kind::Regex;
        try {
            node.regex = std::make_unique<std::regex>(rx, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            fail(spec, std::string("bad pattern '") + node.text + "': " + e.what());
        }
        return node;
    }

    if (s.back() == '*') {
        if (!s.ends_with(".*")) {
            node.text = std::string(s.substr(0, s.size() - 1)) + ".*";
        }
        std::string_view version = node.text;  // conda strips from the rewritten text
        while (!version.empty() && version.back() == '*') {
            version.remove_suffix(1);
        }
        while (!version.empty() && version.back() == '.') {
            version.remove_suffix(1);
        }
        node.kind = Node::Kind::Compare;
        node.op = Node::Op::StartsWith;
        node.version = parse_version(spec, version);
        return node;
    }

    node.exact = true;
    if (s.find('@') == std::string_view::npos) {
        node.kind = Node::Kind::Compare;
        node.op = Node::Op::Eq;
        node.version = parse_version(spec, s);
    } else {
        node.kind = Node::Kind::Text;
    }
    return node;
}

Node build(std::string_view spec, const Item& item) {
    if (const auto* term = std::get_if<std::string>(&item)) {
        return parse_term(spec, *term);
    }
    const Tree& tree = std::get<Tree>(item);
    Node node;
    node.kind = tree.op == '|' ? Node::Kind::Or : Node::Kind::And;
    node.children.reserve(tree.children.size());
    for (const Item& child : tree.children) {
        node.children.push_back(build(spec, child));
        if (node.children.size() > 1) {
            node.text += tree.op;
        }
        node.text += node.children.back().text;
    }
    return node;
}

/// Whether conda hands the spec to treeify: `re.match(r".*[()|,^$]", spec)`.
bool needs_tree(std::string_view spec) noexcept {
    for (const char c : spec) {
        if (c == '\n') {
            return false;
        }
        if (c == '(' || c == ')' || c == '|' || c == ',' || c == '^' || c == '$') {
            return true;
        }
    }
    return false;
}

std::shared_ptr<const Node> all_node() {
    static const std::shared_ptr<const Node> node = [] {
        auto n = std::make_shared<Node>();
        n->kind = Node::Kind::All;
        n->text = "*";
        return n;
    }();
    return node;
}

}  // namespace

VersionSpec::VersionSpec() : root_(all_node()) {}

VersionSpec VersionSpec::parse(std::string_view text) {
    if (py_strip(text).empty()) {
        fail(text, "empty (write * for any version)");
    }
    VersionSpec spec;
    if (needs_tree(text)) {
        spec.root_ = std::make_shared<const Node>(build(text, treeify(text)));
    } else {
        spec.root_ = std::make_shared<const Node>(parse_term(text, text));
    }
    return spec;
}

bool VersionSpec::contains(const Version& version) const {
    return root_->contains(version);
}

const std::string& VersionSpec::str() const noexcept {
    return root_->text;
}

bool VersionSpec::is_exact() const noexcept {
    return root_->exact;
}

bool VersionSpec::matches_all() const noexcept {
    return root_->kind == Node::Kind::All;
}

}  // namespace cenv::specs

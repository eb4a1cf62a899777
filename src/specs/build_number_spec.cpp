#include "specs/build_number_spec.hpp"

#include <array>
#include <charconv>

#include "util/regex.hpp"

#include "specs/error.hpp"
#include "util/strings.hpp"

namespace cenv::specs {

struct BuildNumberSpec::Regex {
    std::string text;
    std::regex re;
};

namespace {

constexpr std::string_view hint =
    "a build number spec is a number (3), a comparison (>=3, <5, !=2, ==3) or *";

[[noreturn]] void fail(std::string_view text, std::string_view what) {
    throw ParseError(
        "invalid build number spec \"" + std::string(text) + "\": " + std::string(what),
        std::string(hint));
}

}  // namespace

BuildNumberSpec BuildNumberSpec::parse(std::string_view text) {
    const std::string_view t = util::trim(text);
    BuildNumberSpec spec;
    if (t.empty()) {
        fail(text, "it is empty");
    }
    if (t == "*") {
        return spec;
    }
    if (t.front() == '^' || t.back() == '$') {
        if (t.size() < 2 || t.front() != '^' || t.back() != '$') {
            fail(text, "a regular expression must start with ^ and end with $");
        }
        try {
            spec.regex_ = std::make_shared<const Regex>(
                Regex{std::string(t), std::regex(t.begin(), t.end())});
        } catch (const std::regex_error& e) {
            fail(text, std::string("bad regular expression: ") + e.what());
        }
        spec.op_ = Op::regex;
        return spec;
    }

    // The operator, longest first.
    struct Operator {
        std::string_view text;
        Op op;
    };
    static constexpr std::array<Operator, 8> operators{{{"==", Op::eq_double},
                                                        {"!=", Op::ne},
                                                        {"<=", Op::le},
                                                        {">=", Op::ge},
                                                        {"=", Op::eq_single},
                                                        {"<", Op::lt},
                                                        {">", Op::gt},
                                                        {"", Op::eq}}};
    std::string_view rest = t;
    for (const Operator& candidate : operators) {
        if (rest.starts_with(candidate.text)) {
            spec.op_ = candidate.op;
            rest.remove_prefix(candidate.text.size());
            break;
        }
    }
    if (rest.empty()) {
        fail(text, "the number after the operator is missing");
    }
    const char* const first = rest.data();
    const char* const last = rest.data() + rest.size();
    if (*first < '0' || *first > '9') {
        fail(text, "\"" + std::string(rest) + "\" is not a decimal number");
    }
    const auto [end, error] = std::from_chars(first, last, spec.number_);
    if (error == std::errc::result_out_of_range) {
        fail(text, "the number is too large");
    }
    if (error != std::errc{} || end != last) {
        fail(text, "\"" + std::string(rest) + "\" is not a decimal number");
    }
    return spec;
}

bool BuildNumberSpec::contains(std::uint64_t number) const {
    switch (op_) {
        case Op::any:
            return true;
        case Op::eq:
        case Op::eq_single:
        case Op::eq_double:
            return number == number_;
        case Op::ne:
            return number != number_;
        case Op::lt:
            return number < number_;
        case Op::le:
            return number <= number_;
        case Op::gt:
            return number > number_;
        case Op::ge:
            return number >= number_;
        case Op::regex: {
            std::array<char, 24> digits{};
            const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), number);
            return std::regex_match(static_cast<const char*>(digits.data()),
                                    static_cast<const char*>(result.ptr), regex_->re);
        }
    }
    return false;
}

std::string BuildNumberSpec::str() const {
    std::string_view op;
    switch (op_) {
        case Op::any:
            return "*";
        case Op::regex:
            return regex_->text;
        case Op::eq:
            break;
        case Op::eq_single:
            op = "=";
            break;
        case Op::eq_double:
            op = "==";
            break;
        case Op::ne:
            op = "!=";
            break;
        case Op::lt:
            op = "<";
            break;
        case Op::le:
            op = "<=";
            break;
        case Op::gt:
            op = ">";
            break;
        case Op::ge:
            op = ">=";
            break;
    }
    std::string out(op);
    out += std::to_string(number_);
    return out;
}

}  // namespace cenv::specs

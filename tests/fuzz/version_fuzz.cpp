// Version and VersionSpec parsing on arbitrary bytes: a ParseError is fine, anything else
// (a crash, a sanitizer report, another exception type) is a bug. Parsed values must
// round-trip through their canonical text and compare equal to themselves.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "specs/error.hpp"
#include "specs/version.hpp"
#include "specs/version_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    using cenv::specs::ParseError;
    try {
        const auto version = cenv::specs::Version::parse(text);
        const auto again = cenv::specs::Version::parse(version.str());
        if (!(version == again) || version.hash() != again.hash()) {
            std::abort();
        }
    } catch (const ParseError&) {
    }
    try {
        const auto spec = cenv::specs::VersionSpec::parse(text);
        // A `^...$` spec is the user's own regular expression; like conda's (Python's re),
        // std::regex can backtrack exponentially on one, so matching is only fuzzed for
        // the rest of the language. Parsing every spec is still fuzzed.
        if (text.find('^') == std::string_view::npos) {
            (void)spec.contains(cenv::specs::Version::parse("1.2.3"));
        }
        (void)cenv::specs::VersionSpec::parse(spec.str());
    } catch (const ParseError&) {
    }
    return 0;
}

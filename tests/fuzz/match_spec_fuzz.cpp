// MatchSpec parsing and matching on arbitrary bytes: only ParseError may escape.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "specs/error.hpp"
#include "specs/match_spec.hpp"
#include "specs/package_record.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const auto spec = cenv::specs::MatchSpec::parse(text);
        // The canonical text must parse again. It is not always a fixed point on inputs no
        // person writes (`1..*`, a bracketed version holding `=`), as in conda; the unit
        // tests check the round trip on every real spec of the fixture channels.
        (void)cenv::specs::MatchSpec::parse(spec.str());
        cenv::specs::PackageRecord record;
        record.name = "numpy";
        record.version = "1.26.4";
        record.build = "py310h5f9d8c6_0";
        record.subdir = "linux-64";
        // `^...$` fields are the user's own regular expressions, which std::regex (like
        // Python's re in conda) can backtrack on exponentially: only their parsing is fuzzed.
        if (text.find('^') == std::string_view::npos) {
            (void)spec.contains(record);
        }
    } catch (const cenv::specs::ParseError&) {
    }
    return 0;
}

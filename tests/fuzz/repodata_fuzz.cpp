// repodata.json parsing on arbitrary bytes: a ParseError naming the file is fine; a crash,
// a hang or another exception type is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "specs/error.hpp"
#include "specs/repodata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const cenv::specs::RepodataSource source{"file:///fuzz", "file:///fuzz/linux-64",
                                             "fuzz/linux-64/repodata.json"};
    try {
        (void)cenv::specs::parse_repodata(text, source);
    } catch (const cenv::specs::ParseError&) {
    }
    return 0;
}

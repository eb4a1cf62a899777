#pragma once
// Error-path helpers for the JSON readers of `specs`: where a text stops being JSON, in words
// a person can act on. simdjson says *that* a document is broken, and not always where (a
// truncated file is rejected before any record is read); these say where, by a plain
// byte-by-byte scan. Slow by design (one pass, no SIMD): never call them on a hot path.

#include <cstddef>
#include <string>
#include <string_view>

namespace cenv::specs {

/// The first structural fault of a JSON text, and the repodata record it falls in.
struct JsonFault {
    std::size_t offset = std::string_view::npos;  ///< npos: no fault found (up to `stop`)
    std::string what;    ///< e.g. "an unexpected ']'"; empty when no fault was found
    std::string record;  ///< key of the member of `packages`/`packages.conda` around the
                         ///< fault (or around `stop` when none was found); else empty
};

/// Scans `text` up to and including byte `stop` (or to its end) for the first structural
/// fault: a string never closed or holding a raw control character, a bracket that does not
/// match, a byte that starts no JSON token, content after the top-level value, an early end.
JsonFault locate_json_fault(std::string_view text, std::size_t stop = std::string_view::npos);

/// The offset of the first byte that is not part of a valid UTF-8 sequence, or npos.
std::size_t first_invalid_utf8(std::string_view text);

/// "at line L, column C (byte B)", or "at the end of the file" when `offset` is past it.
std::string describe_position(std::string_view text, std::size_t offset);

}  // namespace cenv::specs

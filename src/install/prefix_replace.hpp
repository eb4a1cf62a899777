#pragma once
// Rewriting the build prefix recorded in a package's files (its placeholder) into the prefix
// the package is installed in, as conda does:
// - text files: every occurrence is replaced, so the file may change length. A shebang whose
//   interpreter path then has spaces, or whose line is longer than the kernel reads
//   (127 bytes on Linux), becomes `#!/usr/bin/env NAME ARGS`.
// - binary files: the length must not change. Each C string that holds the placeholder is
//   rewritten in place and padded with NULs up to its old terminator, so a new prefix
//   longer than the placeholder cannot be written.

#include <cstddef>
#include <string>
#include <string_view>

namespace cenv::install {

/// The longest shebang line Linux reads (BINPRM_BUF_SIZE - 1).
inline constexpr std::size_t kMaxShebangLength = 127;

/// `data` with every `placeholder` replaced by `prefix` (text mode), then the shebang fixed
/// as described above.
std::string replace_text_prefix(std::string_view data, std::string_view placeholder,
                                std::string_view prefix);

/// `data`'s shebang line rewritten to the `/usr/bin/env` form when it is longer than
/// kMaxShebangLength or its interpreter path has an escaped space; unchanged otherwise.
std::string shorten_shebang(std::string data);

/// Rewrites `placeholder` to `prefix` in the binary `data`, in place (binary mode). Returns
/// the number of C strings rewritten, or -1 when the placeholder occurs and `prefix` is
/// longer than it (nothing is changed then).
long replace_binary_prefix(std::string& data, std::string_view placeholder,
                           std::string_view prefix);

}  // namespace cenv::install

#pragma once
// Wildcard matching where `*` stands for any run of characters and everything else is
// literal: the matcher behind build-string globs (`*cuda*`) and version globs (`1.*.3`).

#include <string_view>

namespace cenv::util {

/// Whether all of `text` matches `pattern`. With `fold_text_case`, upper-case ASCII letters
/// of `text` are read as lower case (the pattern must then already be lower case).
/// Linear in practice, never allocates.
bool glob_match(std::string_view pattern, std::string_view text,
                bool fold_text_case = false) noexcept;

}  // namespace cenv::util

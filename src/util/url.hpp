#pragma once
// Percent-encoding in URLs, for file:// channels and package URLs.

#include <string>
#include <string_view>

namespace cenv::util {

/// `text` with every `%XX` escape decoded; a `%` not followed by two hex digits is kept
/// as it is (as browsers and Python's unquote do).
std::string percent_decode(std::string_view text);

/// `path` with every byte outside [A-Za-z0-9-._~/] written as `%XX`, ready to follow
/// `file://`.
std::string percent_encode_path(std::string_view path);

}  // namespace cenv::util

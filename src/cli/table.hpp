#pragma once
// Plain-text tables and sizes for human output.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cenv::cli {

/// Columns in `header` order, padded to the widest cell (in terminal cells, so Chinese
/// text lines up), a rule under the header, one space of margin.
std::string render_table(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows);

/// How many terminal cells `text` (UTF-8) takes: 2 for East Asian wide characters.
std::size_t display_width(std::string_view text);

/// `1.4 GB`, `312.0 KB`, `12 B`: decimal units, as conda prints sizes.
std::string format_bytes(std::uint64_t bytes);

}  // namespace cenv::cli

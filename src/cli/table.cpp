#include "cli/table.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace cenv::cli {

namespace {

bool is_wide(char32_t cp) {
    // The East Asian Wide/Fullwidth blocks that matter for names and paths.
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

void pad_to(std::string& out, std::string_view cell, std::size_t width) {
    out += cell;
    out.append(width - std::min(width, display_width(cell)), ' ');
}

}  // namespace

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 1;
        char32_t cp = lead;
        if (lead >= 0xF0) {
            length = 4;
            cp = lead & 0x07U;
        } else if (lead >= 0xE0) {
            length = 3;
            cp = lead & 0x0FU;
        } else if (lead >= 0xC0) {
            length = 2;
            cp = lead & 0x1FU;
        }
        for (std::size_t k = 1; k < length && i + k < text.size(); ++k) {
            cp = (cp << 6U) | (static_cast<unsigned char>(text[i + k]) & 0x3FU);
        }
        width += is_wide(cp) ? 2 : 1;
        i += length;
    }
    return width;
}

std::string render_table(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) {
        widths[c] = display_width(header[c]);
        for (const auto& row : rows) {
            widths[c] = std::max(widths[c], display_width(row.at(c)));
        }
    }
    const auto render_row = [&widths](std::string& out, const std::vector<std::string>& cells) {
        std::string line;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            line += ' ';
            pad_to(line, cells[c], c + 1 == cells.size() ? 0 : widths[c]);
        }
        out += line;
        out += '\n';
    };
    std::string out;
    render_row(out, header);
    std::size_t total = 0;
    for (const std::size_t w : widths) {
        total += w + 1;
    }
    out += ' ';
    for (std::size_t i = 1; i < total; ++i) {
        out += "\u2500";
    }
    out += '\n';
    for (const auto& row : rows) {
        render_row(out, row);
    }
    return out;
}

std::string format_bytes(std::uint64_t bytes) {
    static constexpr std::array<const char*, 5> kUnits{"KB", "MB", "GB", "TB", "PB"};
    if (bytes < 1000) {
        return fmt::format("{} B", bytes);
    }
    double value = static_cast<double>(bytes) / 1000.0;
    std::size_t unit = 0;
    while (value >= 1000.0 && unit + 1 < kUnits.size()) {
        value /= 1000.0;
        ++unit;
    }
    return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

}  // namespace cenv::cli

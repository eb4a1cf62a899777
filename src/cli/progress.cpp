#include "cli/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include <fmt/format.h>

#include "cli/table.hpp"

namespace cenv::cli {

namespace {

// Transfers drawn at most on a terminal; more are summed up in the total line.
constexpr std::size_t kMaxLines = 6;
// Plain mode: silent for quick fetches, then a line every few seconds.
constexpr double kPlainQuietSecs = 2.0;
constexpr auto kPlainInterval = std::chrono::seconds(5);

std::size_t terminal_width() {
    winsize ws{};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40) {
        return ws.ws_col;
    }
    return 80;
}

// `text` cut from the left to `width` cells (the end of a label names the file).
std::string keep_end(const std::string& text, std::size_t width) {
    if (display_width(text) <= width || width < 4) {
        return text;
    }
    std::size_t start = 0;
    while (start < text.size() && display_width(std::string_view(text).substr(start)) > width - 3) {
        ++start;
        while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
            ++start;  // not inside a UTF-8 sequence
        }
    }
    return "..." + text.substr(start);
}

std::string amount(std::uint64_t done, std::optional<std::uint64_t> total) {
    return total ? fmt::format("{} / {}", format_bytes(done), format_bytes(*total))
                 : format_bytes(done);
}

std::string speed(double bytes_per_second) {
    return fmt::format("{}/s", format_bytes(static_cast<std::uint64_t>(bytes_per_second)));
}

}  // namespace

std::string format_duration(double seconds) {
    const auto s = static_cast<long long>(seconds + 0.5);
    if (s < 60) {
        return fmt::format("{} s", s);
    }
    if (s < 3600) {
        return s % 60 == 0 ? fmt::format("{} min", s / 60)
                           : fmt::format("{} min {} s", s / 60, s % 60);
    }
    return fmt::format("{} h {} min", s / 3600, (s % 3600) / 60);
}

std::string transfer_line(const channels::TransferProgress& transfer, std::size_t width) {
    const std::string right = fmt::format("  {}  {}", amount(transfer.done, transfer.total),
                                          speed(transfer.bytes_per_second));
    const std::size_t room =
        width > display_width(right) + 2 ? width - display_width(right) - 2 : 10;
    return "  " + keep_end(transfer.label, room) + right;
}

std::string total_line(const channels::ProgressSnapshot& s) {
    std::string line =
        fmt::format("Total {}/{}  {}  {}", s.finished, s.targets,
                    amount(s.done_bytes, s.total_known ? std::optional<std::uint64_t>(s.total_bytes)
                                                       : std::nullopt),
                    speed(s.bytes_per_second));
    if (s.total_known && s.bytes_per_second > 0 && s.total_bytes > s.done_bytes && !s.final) {
        line += "  ETA " + format_duration(static_cast<double>(s.total_bytes - s.done_bytes) /
                                           s.bytes_per_second);
    }
    if (s.final) {
        line += "  in " + format_duration(s.elapsed_secs);
    }
    return line;
}

StderrProgress::StderrProgress(std::ostream& out, bool terminal, bool verbose)
    : out_(out), terminal_(terminal), verbose_(verbose) {}

bool StderrProgress::stderr_is_terminal() {
    const char* term = std::getenv("TERM");
    return ::isatty(STDERR_FILENO) == 1 && (term == nullptr || std::string_view(term) != "dumb");
}

void StderrProgress::erase_drawn() {
    for (std::size_t i = 0; i < drawn_lines_; ++i) {
        out_ << "\x1b[1A\x1b[2K";
    }
    drawn_lines_ = 0;
}

void StderrProgress::update(const channels::ProgressSnapshot& snapshot) {
    const std::lock_guard lock(mutex_);
    if (!terminal_) {
        const auto now = std::chrono::steady_clock::now();
        const bool printed_before = last_plain_ != std::chrono::steady_clock::time_point{};
        if (snapshot.final) {
            if (printed_before) {
                out_ << total_line(snapshot) << '\n' << std::flush;
            }
            return;
        }
        if (snapshot.elapsed_secs >= kPlainQuietSecs &&
            (!printed_before || now - last_plain_ >= kPlainInterval)) {
            last_plain_ = now;
            out_ << total_line(snapshot) << '\n' << std::flush;
        }
        return;
    }
    erase_drawn();
    if (snapshot.final) {
        out_ << std::flush;
        return;
    }
    const std::size_t width = terminal_width();
    for (std::size_t i = 0; i < snapshot.active.size() && i < kMaxLines; ++i) {
        out_ << transfer_line(snapshot.active[i], width) << '\n';
        ++drawn_lines_;
    }
    out_ << keep_end(total_line(snapshot), width) << '\n' << std::flush;
    ++drawn_lines_;
}

void StderrProgress::message(channels::MessageLevel level, std::string_view text) {
    if (level == channels::MessageLevel::info && !verbose_) {
        return;
    }
    const std::lock_guard lock(mutex_);
    // The next update() redraws the progress lines under the message.
    erase_drawn();
    out_ << (level == channels::MessageLevel::warning ? "warning: " : "info: ") << text << '\n'
         << std::flush;
}

}  // namespace cenv::cli

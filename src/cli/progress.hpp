#pragma once
// Download progress on stderr (stdout stays clean for --json). On a terminal: one line per
// active transfer and a total line (bytes, speed, ETA), redrawn in place and erased at the
// end. Elsewhere (a log, CI): a plain total line every few seconds once a fetch has taken
// more than a moment, so that quick fetches print nothing. Warnings are always shown, the
// downloader's notes (which URL served what, fail-overs) with -v.

#include <chrono>
#include <mutex>
#include <ostream>
#include <string>

#include "channels/download_progress.hpp"

namespace cenv::cli {

/// `  label  12.3 MB / 40.0 MB  5.1 MB/s` for one transfer, cut to `width` cells.
std::string transfer_line(const channels::TransferProgress& transfer, std::size_t width);

/// `Total 3/10  12.3 MB / 40.0 MB  5.1 MB/s  ETA 6 s` (sizes and ETA only where known).
std::string total_line(const channels::ProgressSnapshot& snapshot);

/// `6 s`, `2 min 5 s`, `1 h 3 min`.
std::string format_duration(double seconds);

class StderrProgress : public channels::ProgressSink {
  public:
    /// `terminal`: redraw lines in place; `verbose`: also print the downloader's notes.
    StderrProgress(std::ostream& out, bool terminal, bool verbose);
    /// Whether stderr is a terminal (and TERM is not "dumb").
    static bool stderr_is_terminal();

    void update(const channels::ProgressSnapshot& snapshot) override;
    void message(channels::MessageLevel level, std::string_view text) override;

  private:
    void erase_drawn();

    std::ostream& out_;
    bool terminal_;
    bool verbose_;
    std::mutex mutex_;
    std::size_t drawn_lines_ = 0;
    std::chrono::steady_clock::time_point last_plain_{};
};

}  // namespace cenv::cli

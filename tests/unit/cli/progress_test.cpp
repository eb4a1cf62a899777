#include "cli/progress.hpp"
#include "cli/table.hpp"

#include <sstream>

#include <gtest/gtest.h>

namespace cenv::cli {
namespace {

channels::ProgressSnapshot snapshot(double elapsed, bool final = false) {
    channels::ProgressSnapshot s;
    s.targets = 10;
    s.finished = 3;
    s.done_bytes = 12'300'000;
    s.total_bytes = 40'000'000;
    s.total_known = true;
    s.bytes_per_second = 5'000'000;
    s.elapsed_secs = elapsed;
    s.final = final;
    s.active.push_back({4, "conda.anaconda.org/pytorch/linux-64/pytorch-2.1.0.tar.bz2", 1'500'000,
                        std::uint64_t{9'000'000}, 1'000'000});
    return s;
}

TEST(Progress, TotalLineHasBytesSpeedAndEta) {
    EXPECT_EQ(total_line(snapshot(3)), "Total 3/10  12.3 MB / 40.0 MB  5.0 MB/s  ETA 6 s");
    auto unknown = snapshot(3);
    unknown.total_known = false;
    EXPECT_EQ(total_line(unknown), "Total 3/10  12.3 MB  5.0 MB/s");
    EXPECT_EQ(total_line(snapshot(75, true)),
              "Total 3/10  12.3 MB / 40.0 MB  5.0 MB/s  in 1 min 15 s");
}

TEST(Progress, TransferLineKeepsTheEndOfALongLabel) {
    const auto s = snapshot(1);
    EXPECT_EQ(
        transfer_line(s.active[0], 200),
        "  conda.anaconda.org/pytorch/linux-64/pytorch-2.1.0.tar.bz2  1.5 MB / 9.0 MB  1.0 MB/s");
    const std::string narrow = transfer_line(s.active[0], 50);
    EXPECT_TRUE(narrow.starts_with("  ...")) << narrow;
    EXPECT_NE(narrow.find("-2.1.0.tar.bz2  1.5 MB / 9.0 MB"), std::string::npos) << narrow;
    EXPECT_LE(display_width(narrow), 50U);
}

TEST(Progress, Durations) {
    EXPECT_EQ(format_duration(0.2), "0 s");
    EXPECT_EQ(format_duration(59.4), "59 s");
    EXPECT_EQ(format_duration(120), "2 min");
    EXPECT_EQ(format_duration(3725), "1 h 2 min");
}

TEST(Progress, PlainModeIsQuietForQuickFetchesThenPeriodic) {
    std::ostringstream out;
    StderrProgress progress(out, false, false);
    progress.update(snapshot(0.5));
    progress.update(snapshot(0.5, true));
    EXPECT_EQ(out.str(), "");  // quick: nothing at all

    std::ostringstream slow;
    StderrProgress later(slow, false, false);
    later.update(snapshot(2.5));
    later.update(snapshot(2.7));  // within the interval: no second line
    later.update(snapshot(80, true));
    EXPECT_EQ(slow.str(),
              "Total 3/10  12.3 MB / 40.0 MB  5.0 MB/s  ETA 6 s\n"
              "Total 3/10  12.3 MB / 40.0 MB  5.0 MB/s  in 1 min 20 s\n");
}

TEST(Progress, TerminalModeRedrawsInPlaceAndErasesAtTheEnd) {
    std::ostringstream out;
    StderrProgress progress(out, true, false);
    progress.update(snapshot(1));
    const std::string first = out.str();
    EXPECT_NE(first.find("pytorch-2.1.0.tar.bz2"), std::string::npos);
    EXPECT_NE(first.find("Total 3/10"), std::string::npos);
    progress.update(snapshot(1, true));
    // Two lines drawn, two erased.
    const std::string rest = out.str().substr(first.size());
    EXPECT_EQ(rest, "\x1b[1A\x1b[2K\x1b[1A\x1b[2K");
}

TEST(Progress, WarningsAlwaysNotesOnlyWhenVerbose) {
    std::ostringstream quiet;
    StderrProgress a(quiet, false, false);
    a.message(channels::MessageLevel::info, "served by m1");
    a.message(channels::MessageLevel::warning, "m2 failed");
    EXPECT_EQ(quiet.str(), "warning: m2 failed\n");
    std::ostringstream verbose;
    StderrProgress b(verbose, false, true);
    b.message(channels::MessageLevel::info, "served by m1");
    EXPECT_EQ(verbose.str(), "info: served by m1\n");
}

}  // namespace
}  // namespace cenv::cli

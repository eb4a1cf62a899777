#pragma once
// What the downloader tells whoever shows its progress: a snapshot of the transfers a few
// times a second, and messages (the URL that served each file and each failure, for -v;
// warnings). The downloader calls the sink from its transfer thread, one call at a time; the
// CLI renders it (cli/progress.hpp) on stderr.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cenv::channels {

struct TransferProgress {
    std::size_t index = 0;  ///< the target's index in the fetch
    std::string label;      ///< what it is (DownloadTarget::label, else the file name)
    std::uint64_t done = 0;
    std::optional<std::uint64_t> total;  ///< when the size is known
    double bytes_per_second = 0;
};

struct ProgressSnapshot {
    std::vector<TransferProgress> active;  ///< transfers running now
    std::size_t finished = 0;              ///< targets done (served or failed)
    std::size_t targets = 0;
    std::uint64_t done_bytes = 0;   ///< over all targets, finished ones included
    std::uint64_t total_bytes = 0;  ///< over the targets whose size is known so far
    bool total_known = false;       ///< every target's size is known
    double bytes_per_second = 0;    ///< recent overall speed
    double elapsed_secs = 0;
    bool final = false;  ///< the last snapshot of this fetch
};

enum class MessageLevel : std::uint8_t {
    info,     ///< shown with -v: which URL served what, fail-overs
    warning,  ///< always shown: TLS verification off, a source that failed
};

class ProgressSink {
  public:
    virtual ~ProgressSink() = default;
    virtual void update(const ProgressSnapshot& snapshot) = 0;
    /// `text` has its secrets redacted already.
    virtual void message(MessageLevel level, std::string_view text) = 0;
};

}  // namespace cenv::channels

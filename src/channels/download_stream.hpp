#pragma once
// Where the bytes of one download go while they arrive: a temporary file next to the
// destination (`.cenv-dl-<name>-XXXXXX`, which the package cache and `cenv clean` know as a
// leftover), the size and checksums computed as the bytes stream (OpenSSL EVP), and, for a
// `.zst` file, zstd decompression on the way to the disk. `commit()` renames the file over
// the destination only after every check passed, so a killed cenv never leaves a file that
// looks complete. No network here: the downloader feeds it.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace cenv::channels {

/// What the bytes must be. Size and checksums apply to the bytes as received (before zstd).
struct StreamExpectation {
    std::optional<std::uint64_t> size;
    std::string sha256;  ///< lower- or upper-case hex; empty: not checked
    std::string md5;     ///< checked only when there is no sha256
};

/// Why the received bytes were refused.
enum class StreamFault : std::uint8_t {
    none,
    too_large,  ///< more bytes than the expected size (stops the transfer early)
    truncated,  ///< fewer bytes than the expected size
    checksum,   ///< size right, digest wrong
    corrupt,    ///< a zstd stream that does not decode or ends early
    io,         ///< the temporary file could not be written
};

class DownloadStream {
  public:
    /// A stream into a new temporary file next to `destination` (its folder is created).
    /// With `decompress_zstd` the bytes are a zstd stream written decompressed. Throws
    /// util::IoError naming the folder when no file can be created there.
    DownloadStream(std::filesystem::path destination, StreamExpectation expect,
                   bool decompress_zstd);
    ~DownloadStream();  ///< removes the temporary file unless committed
    DownloadStream(const DownloadStream&) = delete;
    DownloadStream& operator=(const DownloadStream&) = delete;

    /// Appends received bytes. Returns false (see fault()) when they cannot be accepted:
    /// past the expected size, undecodable zstd, or a write error.
    bool write(const void* data, std::size_t size);

    /// Bytes received so far (before decompression): where a resumed transfer continues.
    [[nodiscard]] std::uint64_t received() const noexcept;
    /// Whether a transfer may continue from received() with a `Range` request: only a
    /// stream whose result is checked by a checksum (and not decompressed) is resumed.
    [[nodiscard]] bool resumable() const noexcept;
    /// Whether the bytes are a zstd stream written decompressed.
    [[nodiscard]] bool decompresses() const noexcept;
    /// Forgets everything received (the server ignored a Range, or the bytes were bad).
    void restart();

    /// Checks the whole stream once the transfer ended: size, checksum, zstd frame end.
    /// Returns StreamFault::none when the file may be committed; detail() says why not.
    StreamFault finish();
    [[nodiscard]] StreamFault fault() const noexcept;
    [[nodiscard]] const std::string& detail() const noexcept;

    /// The temporary file (complete after finish() returned none).
    [[nodiscard]] const std::filesystem::path& temporary() const noexcept;
    /// Size of what was written to disk (after decompression).
    [[nodiscard]] std::uint64_t written() const noexcept;
    /// The sha256 of the received bytes, when one was computed (after finish()).
    [[nodiscard]] const std::string& sha256() const noexcept;

    /// Renames the checked file over the destination. Throws util::IoError when it cannot.
    void commit();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cenv::channels

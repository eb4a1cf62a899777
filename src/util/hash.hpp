#pragma once
// Streaming message digests (OpenSSL EVP) for package checksums: feed bytes as they come,
// read the lower-case hex digest at the end. `FileDigests` hashes a file once for both of
// the digests conda records (md5 and sha256).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace cenv::util {

enum class HashAlgorithm : std::uint8_t { md5, sha256 };

/// An incremental digest. Not copyable; `hex_digest()` ends it (further updates throw).
class Hasher {
  public:
    explicit Hasher(HashAlgorithm algorithm);
    ~Hasher();
    Hasher(const Hasher&) = delete;
    Hasher& operator=(const Hasher&) = delete;
    Hasher(Hasher&&) noexcept;
    Hasher& operator=(Hasher&&) noexcept;

    void update(const void* data, std::size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    /// The digest as lower-case hex (32 characters for md5, 64 for sha256).
    std::string hex_digest();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Size, md5 and sha256 of one file, read once.
struct FileDigests {
    std::uint64_t size = 0;
    std::string md5;
    std::string sha256;
};

/// The digests of `path`. Throws IoError naming the path when it cannot be read.
FileDigests file_digests(const std::filesystem::path& path);

/// `text` as lower-case hex, one byte at a time.
std::string to_hex(const unsigned char* bytes, std::size_t size);

}  // namespace cenv::util

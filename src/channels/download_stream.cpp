#include "channels/download_stream.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <zstd.h>

#include "util/file.hpp"
#include "util/hash.hpp"
#include "util/strings.hpp"

namespace cenv::channels {

namespace {

// Large writes: curl hands over up to its buffer size at a time.
constexpr std::size_t kFileBuffer = std::size_t{1} << 20;

}  // namespace

struct DownloadStream::Impl {
    std::filesystem::path destination;
    std::filesystem::path temporary;
    StreamExpectation expect;
    bool zstd = false;
    std::FILE* file = nullptr;
    std::vector<char> file_buffer;
    std::optional<util::Hasher> hasher;
    std::uint64_t received = 0;
    std::uint64_t written = 0;
    StreamFault fault = StreamFault::none;
    std::string detail;
    std::string sha256;
    bool committed = false;
    ZSTD_DCtx* dctx = nullptr;
    std::vector<char> zstd_out;
    std::size_t zstd_last = 1;  // ZSTD_decompressStream's last return: 0 at a frame's end

    void start_hash() {
        if (!expect.sha256.empty()) {
            hasher.emplace(util::HashAlgorithm::sha256);
        } else if (!expect.md5.empty()) {
            hasher.emplace(util::HashAlgorithm::md5);
        } else {
            hasher.reset();
        }
    }

    bool fail(StreamFault f, std::string why) {
        if (fault == StreamFault::none) {
            fault = f;
            detail = std::move(why);
        }
        return false;
    }

    bool put(const void* data, std::size_t size) {
        if (size != 0 && std::fwrite(data, 1, size, file) != size) {
            return fail(StreamFault::io, fmt::format("cannot write '{}': {}", temporary.string(),
                                                     std::strerror(errno)));
        }
        written += size;
        return true;
    }

    bool decompress(const void* data, std::size_t size) {
        ZSTD_inBuffer in{data, size, 0};
        while (in.pos < in.size) {
            ZSTD_outBuffer out{zstd_out.data(), zstd_out.size(), 0};
            const std::size_t ret = ZSTD_decompressStream(dctx, &out, &in);
            if (ZSTD_isError(ret) != 0U) {
                return fail(StreamFault::corrupt,
                            fmt::format("not a valid zstd stream: {}", ZSTD_getErrorName(ret)));
            }
            zstd_last = ret;
            if (!put(zstd_out.data(), out.pos)) {
                return false;
            }
        }
        return true;
    }
};

DownloadStream::DownloadStream(std::filesystem::path destination, StreamExpectation expect,
                               bool decompress_zstd)
    : impl_(std::make_unique<Impl>()) {
    auto& d = *impl_;
    d.destination = std::move(destination);
    d.expect = std::move(expect);
    d.expect.sha256 = util::to_lower(d.expect.sha256);
    d.expect.md5 = util::to_lower(d.expect.md5);
    d.zstd = decompress_zstd;
    const auto folder = d.destination.parent_path().empty() ? std::filesystem::path(".")
                                                            : d.destination.parent_path();
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    std::string pattern =
        (folder / fmt::format(".cenv-dl-{}-XXXXXX", d.destination.filename().string())).string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
        throw util::IoError(
            fmt::format("cannot create a file in '{}': {}", folder.string(), std::strerror(errno)),
            "check the free space and permissions of that folder");
    }
    d.temporary = pattern;
    d.file = ::fdopen(fd, "wb");
    if (d.file == nullptr) {
        ::close(fd);
        std::filesystem::remove(d.temporary, ec);
        throw util::IoError(fmt::format("cannot open '{}'", d.temporary.string()));
    }
    d.file_buffer.resize(kFileBuffer);
    std::setvbuf(d.file, d.file_buffer.data(), _IOFBF, d.file_buffer.size());
    if (d.zstd) {
        d.dctx = ZSTD_createDCtx();
        d.zstd_out.resize(ZSTD_DStreamOutSize());
    }
    d.start_hash();
}

DownloadStream::~DownloadStream() {
    auto& d = *impl_;
    if (d.file != nullptr) {
        std::fclose(d.file);
    }
    ZSTD_freeDCtx(d.dctx);
    if (!d.committed) {
        std::error_code ec;
        std::filesystem::remove(d.temporary, ec);
    }
}

bool DownloadStream::write(const void* data, std::size_t size) {
    auto& d = *impl_;
    if (d.fault != StreamFault::none) {
        return false;
    }
    if (d.expect.size && d.received + size > *d.expect.size) {
        return d.fail(StreamFault::too_large,
                      fmt::format("more than the expected {} bytes", *d.expect.size));
    }
    d.received += size;
    if (d.hasher) {
        d.hasher->update(data, size);
    }
    return d.zstd ? d.decompress(data, size) : d.put(data, size);
}

std::uint64_t DownloadStream::received() const noexcept {
    return impl_->received;
}

bool DownloadStream::resumable() const noexcept {
    return !impl_->zstd && impl_->hasher.has_value() && impl_->fault == StreamFault::none;
}

bool DownloadStream::decompresses() const noexcept {
    return impl_->zstd;
}

void DownloadStream::restart() {
    auto& d = *impl_;
    std::fflush(d.file);
    if (::ftruncate(::fileno(d.file), 0) != 0) {
        d.fail(StreamFault::io,
               fmt::format("cannot truncate '{}': {}", d.temporary.string(), std::strerror(errno)));
        return;
    }
    std::rewind(d.file);
    d.received = 0;
    d.written = 0;
    d.fault = StreamFault::none;
    d.detail.clear();
    d.sha256.clear();
    d.zstd_last = 1;
    if (d.dctx != nullptr) {
        ZSTD_DCtx_reset(d.dctx, ZSTD_reset_session_only);
    }
    d.start_hash();
}

StreamFault DownloadStream::finish() {
    auto& d = *impl_;
    if (d.fault != StreamFault::none) {
        return d.fault;
    }
    // Not fsync'ed: what matters is that a killed cenv leaves no file under the real name,
    // which the rename gives; after a power loss, caches check what they find again.
    if (std::fflush(d.file) != 0) {
        d.fail(StreamFault::io,
               fmt::format("cannot write '{}': {}", d.temporary.string(), std::strerror(errno)));
        return d.fault;
    }
    if (d.expect.size && d.received < *d.expect.size) {
        d.fail(StreamFault::truncated,
               fmt::format("only {} of {} bytes arrived", d.received, *d.expect.size));
        return d.fault;
    }
    if (d.zstd && d.zstd_last != 0) {
        d.fail(StreamFault::corrupt, d.received == 0 ? std::string("empty zstd stream")
                                                     : std::string("zstd stream ends early"));
        return d.fault;
    }
    if (d.hasher) {
        const std::string digest = d.hasher->hex_digest();
        d.hasher.reset();
        const bool sha = !d.expect.sha256.empty();
        const std::string& want = sha ? d.expect.sha256 : d.expect.md5;
        if (sha) {
            d.sha256 = digest;
        }
        if (digest != want) {
            d.fail(StreamFault::checksum,
                   fmt::format("{} is {}, expected {}", sha ? "sha256" : "md5", digest, want));
            return d.fault;
        }
    }
    return StreamFault::none;
}

StreamFault DownloadStream::fault() const noexcept {
    return impl_->fault;
}

const std::string& DownloadStream::detail() const noexcept {
    return impl_->detail;
}

const std::filesystem::path& DownloadStream::temporary() const noexcept {
    return impl_->temporary;
}

std::uint64_t DownloadStream::written() const noexcept {
    return impl_->written;
}

const std::string& DownloadStream::sha256() const noexcept {
    return impl_->sha256;
}

void DownloadStream::commit() {
    auto& d = *impl_;
    if (d.file != nullptr) {
        std::fclose(d.file);
        d.file = nullptr;
    }
    std::error_code ec;
    std::filesystem::permissions(d.temporary, std::filesystem::perms(0644),
                                 std::filesystem::perm_options::replace, ec);
    std::filesystem::rename(d.temporary, d.destination, ec);
    if (ec) {
        throw util::IoError(fmt::format("cannot move '{}' to '{}': {}", d.temporary.string(),
                                        d.destination.string(), ec.message()),
                            "check the free space and permissions of that folder");
    }
    d.committed = true;
}

}  // namespace cenv::channels

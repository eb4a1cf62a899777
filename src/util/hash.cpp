#include "util/hash.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/file.hpp"

namespace cenv::util {

struct Hasher::Impl {
    EVP_MD_CTX* ctx = nullptr;
    ~Impl() { EVP_MD_CTX_free(ctx); }
};

Hasher::Hasher(HashAlgorithm algorithm) : impl_(std::make_unique<Impl>()) {
    impl_->ctx = EVP_MD_CTX_new();
    const EVP_MD* md = algorithm == HashAlgorithm::md5 ? EVP_md5() : EVP_sha256();
    if (impl_->ctx == nullptr || EVP_DigestInit_ex(impl_->ctx, md, nullptr) != 1) {
        throw Error("cannot start a message digest: OpenSSL refused",
                    "check that OpenSSL's default provider is available");
    }
}

Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::update(const void* data, std::size_t size) {
    if (impl_->ctx == nullptr || EVP_DigestUpdate(impl_->ctx, data, size) != 1) {
        throw Error("cannot update a message digest that has ended");
    }
}

std::string Hasher::hex_digest() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (impl_->ctx == nullptr || EVP_DigestFinal_ex(impl_->ctx, digest.data(), &size) != 1) {
        throw Error("cannot finish a message digest that has ended");
    }
    EVP_MD_CTX_free(impl_->ctx);
    impl_->ctx = nullptr;
    return to_hex(digest.data(), size);
}

std::string to_hex(const unsigned char* bytes, std::size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = kDigits[bytes[i] >> 4];
        out[2 * i + 1] = kDigits[bytes[i] & 0xf];
    }
    return out;
}

FileDigests file_digests(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        throw IoError(fmt::format("cannot open '{}': {}", path.string(), std::strerror(err)));
    }
    Hasher md5(HashAlgorithm::md5);
    Hasher sha256(HashAlgorithm::sha256);
    FileDigests out;
    std::array<char, 1 << 16> buffer{};
    while (true) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            const int err = errno;
            ::close(fd);
            throw IoError(fmt::format("cannot read '{}': {}", path.string(), std::strerror(err)));
        }
        if (n == 0) {
            break;
        }
        md5.update(buffer.data(), static_cast<std::size_t>(n));
        sha256.update(buffer.data(), static_cast<std::size_t>(n));
        out.size += static_cast<std::uint64_t>(n);
    }
    ::close(fd);
    out.md5 = md5.hex_digest();
    out.sha256 = sha256.hex_digest();
    return out;
}

}  // namespace cenv::util

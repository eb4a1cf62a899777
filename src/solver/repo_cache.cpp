#include "solver/repo_cache.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <random>
#include <span>
#include <vector>

#include <fmt/format.h>

#include "util/file.hpp"

namespace cenv::solver {

namespace {

// Bump when the layout or the meaning of a field changes; part of every key.
constexpr std::uint64_t format_version = 1;
constexpr std::uint64_t magic = 0x564c4f5356454e43ULL;  // "CENVSOLV"

static_assert(sizeof(RecordTable::Hot) == 16);
static_assert(sizeof(RecordTable::Cold) == 80);

struct Header {
    std::uint64_t magic = 0;
    std::uint64_t format = 0;
    std::uint64_t key_bytes = 0;
    std::uint64_t repodata_size = 0;
    std::uint64_t repodata_mtime_ns = 0;
    std::uint64_t repodata_inode = 0;
    std::uint64_t records = 0;
    std::uint64_t lists = 0;
    std::uint64_t shared_strings = 0;  // offsets: shared_strings + 1
    std::uint64_t shared_bytes = 0;
    std::uint64_t unique_strings = 0;
    std::uint64_t unique_bytes = 0;
    std::uint64_t file_size = 0;
    std::uint64_t body_checksum = 0;
    std::uint64_t reserved = 0;
    std::uint64_t header_checksum = 0;  // of the fields above
};
static_assert(sizeof(Header) == 128);

constexpr std::uint64_t align8(std::uint64_t n) {
    return (n + 7) & ~std::uint64_t{7};
}

// A 64-bit checksum over whole words, four lanes at a time (fast enough to check a few
// hundred MB per solve); the tail is zero-padded. Not cryptographic: it finds faults.
class Checksum {
  public:
    void update(const char* data, std::size_t n) {
        while (n > 0) {
            if (fill_ == 0 && n >= 32) {
                const std::size_t blocks = n / 32;
                for (std::size_t b = 0; b < blocks; ++b) {
                    std::uint64_t w[4];
                    std::memcpy(w, data + b * 32, 32);
                    for (int k = 0; k < 4; ++k) {
                        lanes_[k] = mix(lanes_[k] ^ w[k]);
                    }
                }
                data += blocks * 32;
                n -= blocks * 32;
                total_ += blocks * 32;
                continue;
            }
            const std::size_t take = std::min(n, sizeof block_ - fill_);
            std::memcpy(block_ + fill_, data, take);
            fill_ += take;
            data += take;
            n -= take;
            total_ += take;
            if (fill_ == sizeof block_) {
                fill_ = 0;
                update(block_, sizeof block_);
                total_ -= sizeof block_;
            }
        }
    }
    std::uint64_t finish() {
        if (fill_ > 0) {
            std::memset(block_ + fill_, 0, sizeof block_ - fill_);
            const std::size_t saved = total_;
            fill_ = 0;
            update(block_, sizeof block_);
            total_ = saved;
        }
        std::uint64_t h = total_;
        for (const std::uint64_t lane : lanes_) {
            h = mix(h ^ lane);
        }
        return h;
    }

  private:
    static std::uint64_t mix(std::uint64_t x) {
        x *= 0x9E3779B97F4A7C15ULL;
        return x ^ (x >> 31);
    }
    std::array<std::uint64_t, 4> lanes_{1, 2, 3, 4};
    char block_[32]{};
    std::size_t fill_ = 0;
    std::size_t total_ = 0;
};

std::uint64_t header_checksum(const Header& h) {
    Checksum c;
    c.update(reinterpret_cast<const char*>(&h), offsetof(Header, header_checksum));
    return c.finish();
}

// Where each part lies in the file, from the header's counts.
struct Layout {
    std::uint64_t key = 0, hot = 0, cold = 0, lists = 0, shared_offsets = 0, shared_bytes = 0,
                  unique_offsets = 0, unique_bytes = 0, end = 0;
};

bool layout_of(const Header& h, Layout& l) {
    // Counts that a real file cannot have would overflow below: refuse them first.
    constexpr std::uint64_t limit = std::uint64_t{1} << 36;
    for (const std::uint64_t n : {h.key_bytes, h.records, h.lists, h.shared_strings, h.shared_bytes,
                                  h.unique_strings, h.unique_bytes}) {
        if (n > limit) {
            return false;
        }
    }
    l.key = sizeof(Header);
    l.hot = l.key + align8(h.key_bytes);
    l.cold = l.hot + h.records * sizeof(RecordTable::Hot);
    l.lists = l.cold + h.records * sizeof(RecordTable::Cold);
    l.shared_offsets = l.lists + align8(h.lists * 4);
    l.shared_bytes = l.shared_offsets + align8((h.shared_strings + 1) * 4);
    l.unique_offsets = l.shared_bytes + align8(h.shared_bytes);
    l.unique_bytes = l.unique_offsets + align8((h.unique_strings + 1) * 4);
    l.end = l.unique_bytes + align8(h.unique_bytes);
    return true;
}

std::string hex16(std::uint64_t v) {
    return fmt::format("{:016x}", v);
}

struct Mapping {
    void* data = nullptr;
    std::size_t size = 0;
    ~Mapping() {
        if (data != nullptr) {
            ::munmap(data, size);
        }
    }
};

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

bool write_all(int fd, const void* data, std::size_t n) {
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

}  // namespace

CacheKey cache_key(const std::filesystem::path& repodata, const specs::RepodataSource& source) {
    struct stat st {};
    if (::stat(repodata.c_str(), &st) != 0) {
        throw util::IoError(
            fmt::format("cannot stat '{}': {}", repodata.string(), std::strerror(errno)),
            "check the path; it does not exist");
    }
    std::error_code ec;
    const auto absolute = std::filesystem::absolute(repodata, ec);
    CacheKey key;
    key.text = fmt::format("cenv-solv {}\n{}\n{}\n{}\n", format_version,
                           (ec ? repodata : absolute).string(), source.channel, source.subdir_url);
    key.size = static_cast<std::uint64_t>(st.st_size);
    key.mtime_ns = static_cast<std::uint64_t>(st.st_mtim.tv_sec) * 1000000000ULL +
                   static_cast<std::uint64_t>(st.st_mtim.tv_nsec);
    key.inode = static_cast<std::uint64_t>(st.st_ino);
    return key;
}

std::filesystem::path cache_path(const std::filesystem::path& dir, const CacheKey& key) {
    Checksum c;
    c.update(key.text.data(), key.text.size());
    return dir / (hex16(c.finish()) + ".solv");
}

namespace {

// The table in `file`, checked against `key` (the repodata's state, the body's checksum)
// unless `key` is null: then only the header and the sizes are checked.
std::unique_ptr<RecordTable> map_table(const std::filesystem::path& file, const CacheKey* key,
                                       std::string* why) {
    const auto fail = [why](std::string reason) -> std::unique_ptr<RecordTable> {
        if (why != nullptr) {
            *why = std::move(reason);
        }
        return nullptr;
    };
    Fd fd{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
    if (fd.fd < 0) {
        return fail(errno == ENOENT ? "missing"
                                    : std::string("unreadable: ") + std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(fd.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        return fail("corrupt: not a regular file");
    }
    const auto size = static_cast<std::uint64_t>(st.st_size);
    Header h;
    if (size < sizeof h || ::pread(fd.fd, &h, sizeof h, 0) != static_cast<ssize_t>(sizeof h)) {
        return fail("corrupt: shorter than its header");
    }
    if (h.magic != magic || h.header_checksum != header_checksum(h)) {
        return fail("corrupt: bad header");
    }
    if (h.format != format_version) {
        return fail("stale: another cache format");
    }
    if (key != nullptr && (h.repodata_size != key->size || h.repodata_mtime_ns != key->mtime_ns ||
                           h.repodata_inode != key->inode || h.key_bytes != key->text.size())) {
        return fail("stale: the repodata changed");
    }
    Layout l;
    if (!layout_of(h, l) || l.end != h.file_size || size != h.file_size) {
        return fail("corrupt: wrong size (truncated?)");
    }
    // The checksum is read through a small buffer, not the mapping: pages read here stay
    // out of this process's memory, and a solve then touches only what it needs.
    if (key != nullptr) {
        Checksum c;
        std::vector<char> buffer(std::size_t{1} << 20);
        std::uint64_t at = sizeof h;
        while (at < size) {
            const std::size_t want =
                static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), size - at));
            const ssize_t n = ::pread(fd.fd, buffer.data(), want, static_cast<off_t>(at));
            if (n <= 0) {
                if (n < 0 && errno == EINTR) {
                    continue;
                }
                return fail("corrupt: read failed");
            }
            c.update(buffer.data(), static_cast<std::size_t>(n));
            at += static_cast<std::uint64_t>(n);
        }
        if (c.finish() != h.body_checksum) {
            return fail("corrupt: checksum mismatch");
        }
    }
    auto mapping = std::make_shared<Mapping>();
    mapping->data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.fd, 0);
    if (mapping->data == MAP_FAILED) {
        mapping->data = nullptr;
        return fail(std::string("unreadable: mmap: ") + std::strerror(errno));
    }
    mapping->size = size;
    const char* base = static_cast<const char*>(mapping->data);
    if (key != nullptr && std::string_view(base + l.key, h.key_bytes) != key->text) {
        return fail("stale: another repodata file or channel");
    }
    const auto u32s = [&](std::uint64_t at, std::uint64_t n) {
        return std::span<const std::uint32_t>(reinterpret_cast<const std::uint32_t*>(base + at), n);
    };
    RecordTable::View v;
    v.hot = {reinterpret_cast<const RecordTable::Hot*>(base + l.hot), h.records};
    v.cold = {reinterpret_cast<const RecordTable::Cold*>(base + l.cold), h.records};
    v.lists = u32s(l.lists, h.lists);
    v.shared = {u32s(l.shared_offsets, h.shared_strings + 1),
                std::string_view(base + l.shared_bytes, h.shared_bytes)};
    v.unique = {u32s(l.unique_offsets, h.unique_strings + 1),
                std::string_view(base + l.unique_bytes, h.unique_bytes)};
    return std::make_unique<RecordTable>(v, std::move(mapping));
}

}  // namespace

std::unique_ptr<RecordTable> read_cache(const std::filesystem::path& file, const CacheKey& key,
                                        std::string* why) {
    return map_table(file, &key, why);
}

std::vector<std::string> cached_package_names(const std::filesystem::path& file) {
    std::vector<std::string> names;
    const auto table = map_table(file, nullptr, nullptr);
    if (!table) {
        return names;
    }
    std::vector<bool> seen(table->view().shared.count() + 1, false);
    for (std::size_t i = 0; i < table->size(); ++i) {
        const std::uint32_t id = table->hot(i).name;
        if (id < seen.size() && !seen[id]) {
            seen[id] = true;
            if (const auto name = table->shared(id); !name.empty()) {
                names.emplace_back(name);
            }
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

bool write_cache(const std::filesystem::path& file, const CacheKey& key, const RecordTable& table,
                 std::string* why) {
    const auto fail = [why](std::string reason) {
        if (why != nullptr) {
            *why = std::move(reason);
        }
        return false;
    };
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
        return fail(
            fmt::format("cannot create '{}': {}", file.parent_path().string(), ec.message()));
    }
    const RecordTable::View& v = table.view();
    Header h;
    h.magic = magic;
    h.format = format_version;
    h.key_bytes = key.text.size();
    h.repodata_size = key.size;
    h.repodata_mtime_ns = key.mtime_ns;
    h.repodata_inode = key.inode;
    h.records = v.hot.size();
    h.lists = v.lists.size();
    h.shared_strings = v.shared.count();
    h.shared_bytes = v.shared.bytes.size();
    h.unique_strings = v.unique.count();
    h.unique_bytes = v.unique.bytes.size();
    Layout l;
    layout_of(h, l);
    h.file_size = l.end;

    // The body, in order; each part is followed by zeros up to its aligned end.
    struct Part {
        const void* data;
        std::size_t bytes;
    };
    const std::vector<Part> parts = {
        {key.text.data(), key.text.size()},
        {v.hot.data(), v.hot.size_bytes()},
        {v.cold.data(), v.cold.size_bytes()},
        {v.lists.data(), v.lists.size_bytes()},
        {v.shared.offsets.data(), v.shared.offsets.size_bytes()},
        {v.shared.bytes.data(), v.shared.bytes.size()},
        {v.unique.offsets.data(), v.unique.offsets.size_bytes()},
        {v.unique.bytes.data(), v.unique.bytes.size()},
    };
    static const char zeros[8] = {};
    Checksum c;
    for (const Part& p : parts) {
        c.update(static_cast<const char*>(p.data), p.bytes);
        c.update(zeros, align8(p.bytes) - p.bytes);
    }
    h.body_checksum = c.finish();
    h.header_checksum = header_checksum(h);

    // A name no other writer uses: pid, time and a random number.
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    const auto temp = file.parent_path() / fmt::format(".{}.{}.{}.{}.tmp", file.filename().string(),
                                                       ::getpid(), counter.fetch_add(1), rd());
    Fd fd{::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)};
    if (fd.fd < 0) {
        return fail(fmt::format("cannot create '{}': {}", temp.string(), std::strerror(errno)));
    }
    bool ok = write_all(fd.fd, &h, sizeof h);
    for (const Part& p : parts) {
        ok = ok && write_all(fd.fd, p.data, p.bytes) &&
             write_all(fd.fd, zeros, align8(p.bytes) - p.bytes);
    }
    // No fsync: a file cut short by a crash fails its size or checksum test and is rebuilt,
    // and flushing ~200 MB would cost the cold path more than the parse.
    const int err = errno;
    ::close(fd.fd);
    fd.fd = -1;
    if (!ok || ::rename(temp.c_str(), file.c_str()) != 0) {
        const int e = ok ? errno : err;
        std::filesystem::remove(temp, ec);
        return fail(fmt::format("cannot write '{}': {}", file.string(), std::strerror(e)));
    }
    return true;
}

}  // namespace cenv::solver

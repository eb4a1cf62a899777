#include "solver/record_table.hpp"

#include <cstring>
#include <limits>
#include <stdexcept>
#include <utility>

#include "solver/error.hpp"

namespace cenv::solver {

namespace {

// A multiply-xor hash over 8-byte words: this runs for ~15 strings of every record on the
// cold path (byte-wise FNV-1a took a tenth of the load). Equal hashes are compared as strings.
std::uint64_t hash_of(std::string_view s) noexcept {
    constexpr std::uint64_t k = 0x9E3779B97F4A7C15ULL;
    std::uint64_t h = (s.size() + 1) * k;
    const char* p = s.data();
    std::size_t n = s.size();
    for (; n >= 8; p += 8, n -= 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * k;
        h ^= h >> 32;
    }
    if (n > 0) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, n);
        h = (h ^ w) * k;
    }
    return h ^ (h >> 29);
}

std::uint32_t checked_u32(std::size_t n) {
    if (n > std::numeric_limits<std::uint32_t>::max()) {
        throw SolverError("a channel subdir is too large for the solver's record table",
                          "split the channel, or report this with the channel's size");
    }
    return static_cast<std::uint32_t>(n);
}

std::uint16_t checked_u16(std::size_t n, const specs::PackageRecord& r) {
    if (n > std::numeric_limits<std::uint16_t>::max()) {
        throw SolverError(
            "package " + r.dist_str() + " has too many dependencies (" + std::to_string(n) + ")",
            "check the channel's repodata for this record");
    }
    return static_cast<std::uint16_t>(n);
}

}  // namespace

std::string_view RecordTable::Strings::at(std::uint32_t i) const noexcept {
    if (static_cast<std::size_t>(i) + 1 >= offsets.size()) {
        return {};
    }
    const std::uint32_t begin = offsets[i];
    const std::uint32_t end = offsets[i + 1];
    if (begin > end || end > bytes.size()) {
        return {};
    }
    return bytes.substr(begin, end - begin);
}

RecordTable::RecordTable(View view, std::shared_ptr<const void> owner)
    : view_(view), owner_(std::move(owner)) {}

RecordTable::~RecordTable() = default;

std::span<const std::uint32_t> RecordTable::list(std::size_t begin,
                                                 std::size_t count) const noexcept {
    if (begin > view_.lists.size() || count > view_.lists.size() - begin) {
        return {};
    }
    return view_.lists.subspan(begin, count);
}

std::span<const std::uint32_t> RecordTable::depends(std::size_t i) const noexcept {
    const Hot& h = view_.hot[i];
    return list(h.list, h.n_depends);
}

std::span<const std::uint32_t> RecordTable::constrains(std::size_t i) const noexcept {
    const Hot& h = view_.hot[i];
    return list(static_cast<std::size_t>(h.list) + h.n_depends, h.n_constrains);
}

std::span<const std::uint32_t> RecordTable::track_features(std::size_t i) const noexcept {
    const Hot& h = view_.hot[i];
    return list(static_cast<std::size_t>(h.list) + h.n_depends + h.n_constrains,
                h.n_track_features);
}

specs::PackageRecord RecordTable::record(std::size_t i) const {
    specs::PackageRecord r;
    if (i >= size()) {
        return r;
    }
    const Hot& h = view_.hot[i];
    r.name = shared(h.name);
    r.noarch = h.noarch <= 2 ? static_cast<specs::NoArchType>(h.noarch) : specs::NoArchType::none;
    for (const std::uint32_t s : depends(i)) {
        r.depends.emplace_back(shared(s));
    }
    for (const std::uint32_t s : constrains(i)) {
        r.constrains.emplace_back(shared(s));
    }
    for (const std::uint32_t s : track_features(i)) {
        r.track_features.emplace_back(shared(s));
    }
    if (i < view_.cold.size()) {
        const Cold& c = view_.cold[i];
        r.version = shared(c.version);
        r.build = shared(c.build);
        r.build_number = c.build_number;
        r.features = shared(c.features);
        r.license = shared(c.license);
        r.license_family = shared(c.license_family);
        r.subdir = shared(c.subdir);
        r.channel = shared(c.channel);
        r.platform = shared(c.platform);
        r.arch = shared(c.arch);
        r.python_site_packages_path = shared(c.site_packages);
        r.md5 = view_.unique.at(c.md5);
        r.sha256 = view_.unique.at(c.sha256);
        r.fn = view_.unique.at(c.fn);
        r.url = view_.unique.at(c.url);
        r.size = c.size;
        r.timestamp = c.timestamp;
    }
    return r;
}

RecordTable::Builder::Builder() {
    clear();
}

RecordTable::Builder::~Builder() = default;

void RecordTable::Builder::clear() {
    hot_.clear();
    cold_.clear();
    lists_.clear();
    shared_offsets_.assign(2, 0);  // string 0 is ""
    shared_bytes_.clear();
    unique_offsets_.assign(2, 0);
    unique_bytes_.clear();
    last_ = {};
    slots_.assign(1024, 0);
    hashes_.assign(1, hash_of({}));
    slots_[hashes_[0] & (slots_.size() - 1)] = 1;
}

void RecordTable::Builder::reserve_for_json(std::size_t json_bytes) {
    // Indented records take ~580 bytes of JSON, minified ones ~350; hashes, file name and
    // url take about 40% of a record's text.
    const std::size_t records = json_bytes / 256 + 16;
    hot_.reserve(records);
    cold_.reserve(records);
    lists_.reserve(records * 6);
    unique_offsets_.reserve(records * 4 + 2);
    unique_bytes_.reserve(json_bytes / 2);
    shared_bytes_.reserve(json_bytes / 4);
}

std::uint32_t RecordTable::Builder::intern(std::string_view s) {
    if (s.empty()) {
        return 0;
    }
    const std::uint64_t h = hash_of(s);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t slot = h & mask;; slot = (slot + 1) & mask) {
        const std::uint32_t v = slots_[slot];
        if (v == 0) {
            break;
        }
        const std::uint32_t i = v - 1;
        if (hashes_[i] == h &&
            std::string_view(shared_bytes_)
                    .substr(shared_offsets_[i], shared_offsets_[i + 1] - shared_offsets_[i]) == s) {
            return i;
        }
    }
    const std::uint32_t index = checked_u32(shared_offsets_.size() - 1);
    shared_bytes_.append(s);
    shared_offsets_.push_back(checked_u32(shared_bytes_.size()));
    hashes_.push_back(h);
    if (hashes_.size() * 2 > slots_.size()) {
        slots_.assign(slots_.size() * 2, 0);
        mask = slots_.size() - 1;
        for (std::uint32_t i = 0; i < hashes_.size(); ++i) {
            std::size_t slot = hashes_[i] & mask;
            while (slots_[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots_[slot] = i + 1;
        }
    } else {
        std::size_t slot = h & mask;
        while (slots_[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots_[slot] = index + 1;
    }
    return index;
}

std::uint32_t RecordTable::Builder::intern_like_last(std::string_view s, std::uint32_t& last) {
    if (shared_at(last) != s) {
        last = intern(s);
    }
    return last;
}

std::uint32_t RecordTable::Builder::add_unique(std::string_view s) {
    if (s.empty()) {
        return 0;
    }
    const std::uint32_t index = checked_u32(unique_offsets_.size() - 1);
    unique_bytes_.append(s);
    unique_offsets_.push_back(checked_u32(unique_bytes_.size()));
    return index;
}

void RecordTable::Builder::add(const specs::PackageRecord& r) {
    Hot h;
    h.name = intern_like_last(r.name, last_.name);
    h.list = checked_u32(lists_.size());
    h.n_depends = checked_u16(r.depends.size(), r);
    h.n_constrains = checked_u16(r.constrains.size(), r);
    h.n_track_features = checked_u16(r.track_features.size(), r);
    h.noarch = static_cast<std::uint8_t>(r.noarch);
    for (const auto& d : r.depends) {
        lists_.push_back(intern(d));
    }
    for (const auto& c : r.constrains) {
        lists_.push_back(intern(c));
    }
    for (const auto& t : r.track_features) {
        lists_.push_back(intern(t));
    }
    Cold c;
    c.version = intern_like_last(r.version, last_.version);
    c.build = intern(r.build);
    c.features = intern_like_last(r.features, last_.features);
    c.license = intern_like_last(r.license, last_.license);
    c.license_family = intern_like_last(r.license_family, last_.license_family);
    c.subdir = intern_like_last(r.subdir, last_.subdir);
    c.channel = intern_like_last(r.channel, last_.channel);
    c.platform = intern_like_last(r.platform, last_.platform);
    c.arch = intern_like_last(r.arch, last_.arch);
    c.site_packages = intern_like_last(r.python_site_packages_path, last_.site_packages);
    c.md5 = add_unique(r.md5);
    c.sha256 = add_unique(r.sha256);
    c.fn = add_unique(r.fn);
    c.url = add_unique(r.url);
    c.build_number = r.build_number;
    c.size = r.size;
    c.timestamp = r.timestamp;
    hot_.push_back(h);
    cold_.push_back(c);
}

std::string_view RecordTable::Builder::fn(std::size_t i) const noexcept {
    if (i >= cold_.size()) {
        return {};
    }
    const std::uint32_t k = cold_[i].fn;
    return std::string_view(unique_bytes_)
        .substr(unique_offsets_[k], unique_offsets_[k + 1] - unique_offsets_[k]);
}

void RecordTable::Builder::relocate(std::size_t i, std::string_view url, std::string_view subdir) {
    Cold& c = cold_.at(i);
    c.url = add_unique(url);
    if (!subdir.empty() && c.subdir == 0) {
        c.subdir = intern(subdir);
    }
}

std::unique_ptr<RecordTable> RecordTable::Builder::finish() {
    std::unique_ptr<RecordTable> t(new RecordTable());
    t->own_hot_ = std::move(hot_);
    t->own_cold_ = std::move(cold_);
    t->own_lists_ = std::move(lists_);
    t->own_shared_offsets_ = std::move(shared_offsets_);
    t->own_shared_bytes_ = std::move(shared_bytes_);
    t->own_unique_offsets_ = std::move(unique_offsets_);
    t->own_unique_bytes_ = std::move(unique_bytes_);
    t->view_.hot = t->own_hot_;
    t->view_.cold = t->own_cold_;
    t->view_.lists = t->own_lists_;
    t->view_.shared = {t->own_shared_offsets_, t->own_shared_bytes_};
    t->view_.unique = {t->own_unique_offsets_, t->own_unique_bytes_};
    clear();
    return t;
}

}  // namespace cenv::solver

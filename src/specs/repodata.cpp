#include "specs/repodata.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <system_error>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "specs/json_fault.hpp"
#include "util/file.hpp"

namespace cenv::specs {

namespace {

namespace od = simdjson::ondemand;

constexpr std::string_view conda_ext = ".conda";
constexpr std::string_view tar_bz2_ext = ".tar.bz2";

const std::string hint_json =
    "the file is not valid JSON (a truncated or corrupt download?): delete it or clear the "
    "index cache, and fetch it again";
const std::string hint_record =
    "the channel's index has a malformed record; report it to the channel's maintainers, or "
    "use another channel or mirror";

/// What a worker knows about the text it parses: for error messages and byte offsets.
struct Input {
    char* data = nullptr;  // padded: SIMDJSON_PADDING readable bytes follow `size`
    std::size_t size = 0;
    std::size_t capacity = 0;
    std::string_view file;  // the name errors give
    bool mapped = false;    // a read-only file mapping: see poke()
};

/// A byte of the input that a split overwrote, to be put back.
struct Poke {
    std::size_t offset;
    char original;
};

/// Overwrites one byte of the input (a split turns a ',' or a space into '{'), noting the
/// old one in `undo`. A mapped file is mapped read-only and private: the page is made
/// writable first, and the write copies that one page, leaving the file alone. False when
/// the page cannot be made writable (then the file is parsed without a split).
bool poke(const Input& in, std::size_t offset, char c, std::vector<Poke>& undo) {
    if (in.mapped) {
        const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
        const auto at = reinterpret_cast<std::uintptr_t>(in.data + offset) & ~(page - 1);
        if (::mprotect(reinterpret_cast<void*>(at), page, PROT_READ | PROT_WRITE) != 0) {
            return false;
        }
    }
    undo.push_back(Poke{offset, in.data[offset]});
    in.data[offset] = c;
    return true;
}

bool is_json_space(char c) noexcept {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/// The file name part of a record key, for messages: printable, and cut when very long.
std::string printable_key(std::string_view key) {
    std::string out;
    for (const char c : key.substr(0, 200)) {
        out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
    }
    if (key.size() > 200) {
        out += "...";
    }
    return out;
}

/// Whether `s` holds a backslash (an escape): eight bytes at a time, since the strings are
/// mostly hashes and dependency specs without one.
bool has_backslash(std::string_view s) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    constexpr std::uint64_t backslashes = ones * static_cast<unsigned char>('\\');
    const char* p = s.data();
    const char* const end = p + s.size();
    for (; end - p >= 8; p += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, p, sizeof word);
        word ^= backslashes;  // a zero byte where a backslash was
        if (((word - ones) & ~word & highs) != 0) {
            return true;
        }
    }
    for (; p < end; ++p) {
        if (*p == '\\') {
            return true;
        }
    }
    return false;
}

/// Whether `key` is `literal`: the length is known when compiling, so the comparison is a
/// few loads and no call (string_view's operator== calls memcmp).
template <std::size_t N>
bool is(std::string_view key, const char (&literal)[N]) noexcept {
    return key.size() == N - 1 && __builtin_memcmp(key.data(), literal, N - 1) == 0;
}

/// What a record's file name says it is.
enum class Kind : std::uint8_t { tar_bz2, conda, other };

Kind kind_of(std::string_view fn) noexcept {
    if (fn.ends_with(conda_ext)) {
        return Kind::conda;
    }
    if (fn.ends_with(tar_bz2_ext)) {
        return Kind::tar_bz2;
    }
    return Kind::other;
}

/// Asks for transparent huge pages on the whole 2 MiB pages inside [p, p + bytes): a big
/// array filled once, where 4 KiB page faults would cost more than the filling.
void advise_huge_pages(void* p, std::size_t bytes) {
    constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
    const auto begin = (reinterpret_cast<std::uintptr_t>(p) + huge - 1) & ~(huge - 1);
    const auto end = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(huge - 1);
    if (end > begin) {
        ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
    }
}

/// What parsing one chunk gave, besides its records (which go to a vector the caller
/// names, see Worker::parse()).
struct ChunkOut {
    std::size_t first_record = 0;  // where its records start in the vector they went to
    std::size_t record_count = 0;
    /// Per record: the hash of its file stem with its Kind in the low two bits, to find
    /// .conda/.tar.bz2 twins without touching the records again.
    std::vector<std::uint64_t> stems;
    RepodataInfo info;  // when the chunk holds `info`
    bool info_seen = false;
    std::vector<std::string> removed;
    int repodata_version = 0;  // 0: not in this chunk
    /// The chunk's first records, read while its worker had not seen `info`: their url
    /// assumed no `base_url`, and a missing subdir was left empty. Fixed after the merge.
    std::size_t records_before_info = 0;
    std::size_t subdirs_before_info = 0;  // how many of those had no subdir of their own
    std::vector<Poke> pokes;              // bytes of the input the chunk's worker overwrote
    std::size_t conda_count = 0;
    std::size_t tar_bz2_count = 0;
};

/// FNV-1a; only to find .conda/.tar.bz2 twins (equal hashes are compared as strings).
std::uint64_t stem_hash(std::string_view s) noexcept {
    std::uint64_t h = 1469598103934665603ULL;
    for (const char c : s) {
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return h;
}

std::uint64_t stem_key(std::string_view fn, Kind kind) noexcept {
    std::string_view stem = fn;
    if (kind == Kind::conda) {
        stem.remove_suffix(conda_ext.size());
    } else if (kind == Kind::tar_bz2) {
        stem.remove_suffix(tar_bz2_ext.size());
    }
    return (stem_hash(stem) & ~std::uint64_t{3}) | static_cast<std::uint64_t>(kind);
}

Kind kind_of_key(std::uint64_t key) noexcept {
    return static_cast<Kind>(key & 3);
}

/// A piece of the text that a worker parses as one simdjson document (see plan_chunks()).
/// Pieces start and end between two members of an object, so each can be indexed and
/// walked on its own, while it is still in the cache, with one parser reused for all.
struct Chunk {
    std::size_t begin = 0;  ///< [begin, end) of the input
    std::size_t end = 0;
    /// 0: the start of the document; 1: the byte before a top-level member's key, turned
    /// into '{'; 2: the same before a record's key (the chunk starts inside a section).
    int start_depth = 0;
    /// 0: the end of the document; 1 or 2: right after a top-level member or a record,
    /// where the worker must arrive exactly (that confirms the next chunk's start).
    int end_depth = 0;
};

/// Thrown when a split does not hold: the head's prefix does not end right after a member
/// at the split's depth (the boundary that find_split() saw lies inside a record), or a
/// byte cannot be overwritten. The file is then parsed by one worker.
struct SplitMismatch : std::exception {
    [[nodiscard]] const char* what() const noexcept override { return "split mismatch"; }
};

/// A rough upper bound of the records in `bytes` of repodata: indented records average
/// ~580 bytes, minified ones ~350; reserving for 256 keeps one allocation in practice.
std::size_t expected_records(std::size_t bytes) {
    return bytes / 256 + 16;
}

/// Parses chunks of the text with one simdjson parser, reused for each.
class Worker {
  public:
    Worker(const Input& input, const RepodataSource& source)
        : in_(input), source_(source), url_base_(resolve_base_url(source.subdir_url, {})) {
        scratch_.reserve(64);
    }

    /// Parses `chunk`, appending its records to `records` and the rest to `out`.
    void parse(const Chunk& chunk, std::vector<PackageRecord>& records, ChunkOut& out) {
        chunk_ = chunk;
        records_ = &records;
        out_ = &out;
        stopped_ = false;
        out.first_record = records.size();
        out.stems.reserve(expected_records(chunk.end - chunk.begin));
        od::document doc;
        iterate(doc, chunk.begin);
        if (chunk.start_depth == 2) {
            read_tail_records(doc);
        } else {
            read_top(doc);
        }
        if (chunk.end_depth != 0 && !stopped_) {
            throw SplitMismatch();
        }
        out.record_count = records.size() - out.first_record;
    }

  private:
    /// Runs stage 1 over [begin, chunk_.end) of the input.
    void iterate(od::document& doc, std::size_t begin) {
        if (auto err = parser_.iterate(in_.data + begin, chunk_.end - begin, in_.capacity - begin)
                           .get(doc)) {
            fail_json(err, nullptr);
        }
        doc_ = &doc;
    }

    /// Whether the chunk ends here, right after a member at `depth`.
    [[nodiscard]] bool stops_here(int depth) {
        if (chunk_.end_depth != depth) {
            return false;
        }
        const char* at = nullptr;
        stopped_ = doc_->current_location().get(at) == simdjson::OUT_OF_BOUNDS;
        return stopped_;
    }

    /// The top-level object: its sections, `info`, `removed` and `repodata_version`.
    void read_top(od::document& doc) {
        od::object top;
        if (auto err = doc.get_object().get(top)) {
            if (err == simdjson::INCORRECT_TYPE) {
                fail_top("the top level is not a JSON object",
                         "a repodata.json is an object with 'info', 'packages' and "
                         "'packages.conda'");
            }
            fail_json(err, nullptr);
        }
        for (auto field_result : top) {
            od::field field;
            if (auto err = std::move(field_result).get(field)) {
                fail_json(err, location());
            }
            const std::string_view key = key_of(field);
            od::value& value = field.value();
            if (is(key, "packages") || is(key, "packages.conda")) {
                read_section(value, key);
            } else if (is(key, "info")) {
                read_info(value);
            } else if (is(key, "removed")) {
                read_removed(value);
            } else if (is(key, "repodata_version")) {
                read_version(value);
            }
            if (stopped_ || stops_here(1)) {
                return;
            }
        }
        if (chunk_.end_depth != 0) {
            throw SplitMismatch();  // the top level closed inside a chunk that goes on
        }
        check_end();
    }

    /// Nothing but the end may follow the top-level object.
    void check_end() const {
        const char* after = nullptr;
        if (!doc_->current_location().get(after)) {
            fail_json(simdjson::TRAILING_CONTENT, after);
        }
    }

    /// A chunk that starts inside a section: '{' and the section's next records, closed by
    /// the section's own '}' unless the chunk ends first; the rest of the top level may
    /// follow, and is parsed as a second document once its ',' is turned into '{'.
    void read_tail_records(od::document& doc) {
        od::object records;
        if (auto err = doc.get_object().get(records)) {
            fail_json(err, nullptr);
        }
        for (auto field_result : records) {
            od::field field;
            if (auto err = std::move(field_result).get(field)) {
                fail_json(err, location());
            }
            record_ = key_of(field);
            read_record(field.value());
            record_ = {};
            if (stops_here(2)) {
                return;
            }
        }
        const char* next = nullptr;
        if (doc.current_location().get(next) != simdjson::SUCCESS) {
            fail_json(simdjson::INCOMPLETE_ARRAY_OR_OBJECT, nullptr);  // no top level left
        }
        if (*next == '}') {  // the section was the last member: only the end may follow
            if (chunk_.end_depth != 0) {
                throw SplitMismatch();
            }
            for (const char* p = next + 1; p < in_.data + chunk_.end; ++p) {
                if (!is_json_space(*p)) {
                    fail_json(simdjson::TRAILING_CONTENT, p);
                }
            }
            return;
        }
        if (*next != ',') {
            fail_json(simdjson::TAPE_ERROR, next);
        }
        const auto rest = static_cast<std::size_t>(next - in_.data);
        if (!poke(in_, rest, '{', out_->pokes)) {
            throw SplitMismatch();  // parse the file without a split
        }
        od::document members;  // reuses the parser: `doc` is done with
        iterate(members, rest);
        read_top(members);
    }

    // --- errors ---------------------------------------------------------------------------

    [[noreturn]] void fail_top(std::string_view what, const std::string& hint) const {
        throw ParseError(fmt::format("invalid repodata '{}': {}", in_.file, what), hint);
    }

    [[noreturn]] void fail_json(simdjson::error_code err, const char* at) const {
        const std::string_view text(in_.data, in_.size);
        const std::size_t offset = (at != nullptr && at >= in_.data && at < in_.data + in_.size)
                                       ? static_cast<std::size_t>(at - in_.data)
                                       : std::string_view::npos;
        // A fault the scan finds before simdjson's position is the first one; otherwise the
        // scan only names the record at simdjson's position.
        JsonFault fault;
        const std::size_t bad_utf8 =
            err == simdjson::UTF8_ERROR ? first_invalid_utf8(text) : std::string_view::npos;
        if (bad_utf8 != std::string_view::npos) {
            fault = locate_json_fault(text, bad_utf8);
            fault.offset = bad_utf8;
            fault.what = "bytes that are not UTF-8";
        } else {
            fault = locate_json_fault(text, offset);
        }
        const bool scanned = !fault.what.empty();
        const std::size_t where = scanned ? fault.offset : offset;
        const std::string what = scanned ? fault.what : simdjson::error_message(err);
        const std::string record = scanned || record_.empty() ? fault.record : std::string(record_);
        const std::string position = describe_position(text, where);
        if (record.empty()) {
            throw ParseError(fmt::format("invalid repodata '{}': malformed JSON {}: {}", in_.file,
                                         position, what),
                             hint_json);
        }
        throw ParseError(fmt::format("invalid repodata '{}': record '{}': malformed JSON {}: {}",
                                     in_.file, printable_key(record), position, what),
                         hint_json);
    }

    [[noreturn]] void fail_field(std::string_view field, std::string_view what) const {
        throw ParseError(fmt::format("invalid repodata '{}': record '{}': field '{}' {}", in_.file,
                                     printable_key(record_), field, what),
                         hint_record);
    }

    [[noreturn]] void fail_record(std::string_view what) const {
        throw ParseError(fmt::format("invalid repodata '{}': record '{}': {}", in_.file,
                                     printable_key(record_), what),
                         hint_record);
    }

    const char* location() const {
        const char* at = nullptr;
        if (doc_ == nullptr || doc_->current_location().get(at)) {
            return nullptr;
        }
        return at;
    }

    // --- scalars --------------------------------------------------------------------------

    /// The text between a string token's quotes when it has no escapes (a view into the
    /// input, no copy); otherwise the unescaped string in the parser's buffer.
    /// Returns false for null. Throws for other types.
    bool read_string(od::value& value, std::string_view field, std::string_view& out,
                     std::string_view wrong_type = "is not a string") {
        const std::string_view token = value.raw_json_token();
        if (!token.empty() && token.front() == '"') {
            const std::size_t close = token.find_last_of('"');
            const std::string_view body = token.substr(1, close - 1);
            if (close != 0 && !has_backslash(body)) {
                out = body;
                return true;
            }
            if (auto err = value.get_string().get(out)) {
                fail_json(err, token.data());
            }
            return true;
        }
        if (token.starts_with("null")) {
            return false;
        }
        if (token.empty()) {
            fail_json(simdjson::TAPE_ERROR, location());
        }
        fail_field(field, wrong_type);
    }

    void read_string_into(od::value& value, std::string_view field, std::string& out) {
        std::string_view s;
        if (read_string(value, field, s)) {
            out.assign(s);
        }
    }

    /// A non-negative integer; false for null.
    bool read_uint(od::value& value, std::string_view field, std::uint64_t& out) {
        const auto err = value.get_uint64().get(out);
        if (!err) {
            return true;
        }
        const std::string_view token = value.raw_json_token();
        if (token.starts_with("null")) {
            return false;
        }
        if (err == simdjson::INCORRECT_TYPE || err == simdjson::NUMBER_ERROR) {
            fail_field(field, "is not a non-negative integer");
        }
        fail_json(err, token.data());
    }

    /// A timestamp: an integer or (rarely) a fraction, in seconds or milliseconds.
    void read_timestamp(od::value& value, std::uint64_t& out) {
        std::uint64_t integer = 0;
        if (!value.get_uint64().get(integer)) {
            out = timestamp_to_ms(integer);
            return;
        }
        const std::string_view token = value.raw_json_token();
        if (token.starts_with("null")) {
            return;
        }
        double real = 0;
        if (!value.get_double().get(real) && real >= 0 && real < 1.8e19) {
            const double ms = real > 253402300799.0 ? real : real * 1000.0;
            out = static_cast<std::uint64_t>(ms);
            return;
        }
        fail_field("timestamp", "is not a non-negative number");
    }

    /// A list of strings into `out`, with one allocation for the list; null leaves it empty.
    void read_string_list(od::value& value, std::string_view field, std::vector<std::string>& out) {
        od::array array;
        if (auto err = value.get_array().get(array)) {
            if (value.raw_json_token().starts_with("null")) {
                return;
            }
            if (err == simdjson::INCORRECT_TYPE) {
                fail_field(field, "is not a list of strings");
            }
            fail_json(err, location());
        }
        scratch_.clear();
        for (auto element_result : array) {
            od::value element;
            if (auto err = std::move(element_result).get(element)) {
                fail_json(err, location());
            }
            std::string_view s;
            if (!read_string(element, field, s, "has an element that is not a string")) {
                fail_field(field, "has an element that is not a string");
            }
            scratch_.push_back(s);
        }
        out.reserve(scratch_.size());
        for (const std::string_view s : scratch_) {
            out.emplace_back(s);
        }
    }

    /// `track_features`: a list, or one string of names separated by commas or spaces.
    void read_track_features(od::value& value, std::vector<std::string>& out) {
        const std::string_view token = value.raw_json_token();
        if (token.starts_with("[")) {
            read_string_list(value, "track_features", out);
            // Conda splits list items too; keep them as given but drop empty ones.
            std::erase_if(out, [](const std::string& s) { return s.empty(); });
            return;
        }
        std::string_view s;
        if (!read_string(value, "track_features", s)) {
            return;
        }
        split_features(s, out);
    }

    static void split_features(std::string_view s, std::vector<std::string>& out) {
        std::size_t start = 0;
        while (start < s.size()) {
            const std::size_t end = s.find_first_of(", \t", start);
            const std::size_t stop = end == std::string_view::npos ? s.size() : end;
            if (stop > start) {
                out.emplace_back(s.substr(start, stop - start));
            }
            if (end == std::string_view::npos) {
                break;
            }
            start = end + 1;
        }
    }

    /// `features`: legacy, a space-separated string (a list is joined with spaces).
    void read_features(od::value& value, std::string& out) {
        if (value.raw_json_token().starts_with("[")) {
            std::vector<std::string> list;
            read_string_list(value, "features", list);
            for (const auto& item : list) {
                if (!out.empty()) {
                    out += ' ';
                }
                out += item;
            }
            return;
        }
        read_string_into(value, "features", out);
    }

    void read_noarch(od::value& value, NoArchType& out) {
        const std::string_view token = value.raw_json_token();
        if (token.starts_with("true")) {
            out = NoArchType::generic;
            return;
        }
        if (token.starts_with("false") || token.starts_with("null")) {
            out = NoArchType::none;
            return;
        }
        std::string_view s;
        if (token.starts_with("\"") && read_string(value, "noarch", s)) {
            if (s == "python") {
                out = NoArchType::python;
                return;
            }
            if (s == "generic") {
                out = NoArchType::generic;
                return;
            }
            fail_field("noarch",
                       fmt::format("is '{}', not 'python' or 'generic'", printable_key(s)));
        }
        fail_field("noarch", "is not 'python', 'generic' or a boolean");
    }

    // --- structure ------------------------------------------------------------------------

    /// A key as written (a view into the input) unless it has escapes.
    std::string_view key_of(od::field& field) {
        // Eight bytes at a time, to the first quote or backslash: stage 1 checked that the
        // key is closed, and the input is padded, so whole words can be read.
        constexpr std::uint64_t ones = 0x0101010101010101ULL;
        constexpr std::uint64_t highs = 0x8080808080808080ULL;
        constexpr std::uint64_t quotes = ones * '"';
        constexpr std::uint64_t backslashes = ones * static_cast<unsigned char>('\\');
        auto zero_bytes = [](std::uint64_t w) { return (w - ones) & ~w & highs; };
        const char* raw = field.key().raw();
        for (const char* p = raw; p < in_.data + in_.size; p += 8) {
            std::uint64_t word = 0;
            std::memcpy(&word, p, sizeof word);
            const std::uint64_t quote = zero_bytes(word ^ quotes);
            const std::uint64_t escape = zero_bytes(word ^ backslashes);
            if ((quote | escape) == 0) {
                continue;
            }
            // The lowest flagged byte is exact (higher ones may be borrows).
            const auto at_quote = quote != 0 ? std::countr_zero(quote) : 64;
            const auto at_escape = escape != 0 ? std::countr_zero(escape) : 64;
            if (at_quote < at_escape) {
                return {raw,
                        static_cast<std::size_t>(p - raw) + static_cast<std::size_t>(at_quote) / 8};
            }
            break;  // an escape: let simdjson decode the key
        }
        std::string_view unescaped;
        if (auto err = field.unescaped_key().get(unescaped)) {
            fail_json(err, raw);
        }
        return unescaped;
    }

    void read_info(od::value& value) {
        od::object info;
        if (auto err = value.get_object().get(info)) {
            if (err == simdjson::INCORRECT_TYPE) {
                fail_top("'info' is not an object", hint_record);
            }
            fail_json(err, location());
        }
        for (auto field_result : info) {
            od::field field;
            if (auto err = std::move(field_result).get(field)) {
                fail_json(err, location());
            }
            const std::string_view key = key_of(field);
            if (is(key, "subdir")) {
                read_info_string(field.value(), "subdir", info_.subdir);
            } else if (is(key, "base_url")) {
                read_info_string(field.value(), "base_url", info_.base_url);
            }
        }
        info_seen_ = true;
        out_->info = info_;
        out_->info_seen = true;
        url_base_ = resolve_base_url(source_.subdir_url, info_.base_url);
    }

    void read_info_string(od::value& value, std::string_view field, std::string& out) {
        const std::string_view token = value.raw_json_token();
        if (token.starts_with("null")) {
            return;
        }
        std::string_view s;
        if (!token.starts_with("\"") || !read_string(value, field, s)) {
            fail_top(fmt::format("'info.{}' is not a string", field), hint_record);
        }
        out.assign(s);
    }

    void read_removed(od::value& value) {
        od::array array;
        if (auto err = value.get_array().get(array)) {
            if (value.raw_json_token().starts_with("null")) {
                return;
            }
            if (err == simdjson::INCORRECT_TYPE) {
                fail_top("'removed' is not a list of file names", hint_record);
            }
            fail_json(err, location());
        }
        for (auto element_result : array) {
            od::value element;
            if (auto err = std::move(element_result).get(element)) {
                fail_json(err, location());
            }
            const std::string_view token = element.raw_json_token();
            std::string_view s;
            if (!token.starts_with("\"") || !read_string(element, "removed", s)) {
                fail_top("'removed' is not a list of file names", hint_record);
            }
            out_->removed.emplace_back(s);
        }
    }

    void read_version(od::value& value) {
        std::uint64_t version = 0;
        if (value.raw_json_token().starts_with("null")) {
            return;
        }
        if (value.get_uint64().get(version) || version > 1000) {
            fail_top("'repodata_version' is not a small non-negative integer", hint_record);
        }
        out_->repodata_version = static_cast<int>(version);
    }

    void read_section(od::value& value, std::string_view section) {
        od::object packages;
        if (auto err = value.get_object().get(packages)) {
            if (value.raw_json_token().starts_with("null")) {
                return;
            }
            if (err == simdjson::INCORRECT_TYPE) {
                fail_top(fmt::format("'{}' is not an object", section),
                         "it maps file names to package records");
            }
            fail_json(err, location());
        }
        for (auto field_result : packages) {
            od::field field;
            if (auto err = std::move(field_result).get(field)) {
                fail_json(err, location());
            }
            record_ = key_of(field);
            read_record(field.value());
            record_ = {};
            if (stops_here(2)) {
                return;
            }
        }
    }

    void read_record(od::value& value) {
        od::object object;
        if (auto err = value.get_object().get(object)) {
            if (err == simdjson::INCORRECT_TYPE) {
                fail_record("is not a JSON object");
            }
            fail_json(err, location());
        }
        PackageRecord& r = records_->emplace_back();
        bool has_name = false;
        bool has_version = false;
        bool has_build = false;
        for (auto field_result : object) {
            od::field field;
            if (auto err = std::move(field_result).get(field)) {
                fail_json(err, location());
            }
            const std::string_view key = key_of(field);
            od::value& v = field.value();
            switch (key.size()) {
                case 3:
                    if (is(key, "md5")) {
                        read_string_into(v, key, r.md5);
                    }
                    break;
                case 4:
                    if (is(key, "name")) {
                        read_string_into(v, key, r.name);
                        has_name = !r.name.empty();
                    } else if (is(key, "size")) {
                        read_uint(v, key, r.size);
                    } else if (is(key, "arch")) {
                        read_string_into(v, key, r.arch);
                    }
                    break;
                case 5:
                    if (is(key, "build")) {
                        has_build = read_string_into_flag(v, key, r.build);
                    }
                    break;
                case 6:
                    if (is(key, "sha256")) {
                        read_string_into(v, key, r.sha256);
                    } else if (is(key, "subdir")) {
                        read_string_into(v, key, r.subdir);
                    } else if (is(key, "noarch")) {
                        read_noarch(v, r.noarch);
                    }
                    break;
                case 7:
                    if (is(key, "version")) {
                        read_string_into(v, key, r.version);
                        has_version = !r.version.empty();
                    } else if (is(key, "depends")) {
                        read_string_list(v, key, r.depends);
                    } else if (is(key, "license")) {
                        read_string_into(v, key, r.license);
                    }
                    break;
                case 8:
                    if (is(key, "features")) {
                        read_features(v, r.features);
                    } else if (is(key, "platform")) {
                        read_string_into(v, key, r.platform);
                    }
                    break;
                case 9:
                    if (is(key, "timestamp")) {
                        read_timestamp(v, r.timestamp);
                    }
                    break;
                case 10:
                    if (is(key, "constrains")) {
                        read_string_list(v, key, r.constrains);
                    }
                    break;
                case 12:
                    if (is(key, "build_number")) {
                        read_uint(v, key, r.build_number);
                    }
                    break;
                case 14:
                    if (is(key, "track_features")) {
                        read_track_features(v, r.track_features);
                    } else if (is(key, "license_family")) {
                        read_string_into(v, key, r.license_family);
                    }
                    break;
                case 25:
                    if (is(key, "python_site_packages_path")) {
                        read_string_into(v, key, r.python_site_packages_path);
                    }
                    break;
                default:
                    break;
            }
        }
        if (!has_name || !has_version || !has_build) {
            fail_record(fmt::format("missing field '{}'", !has_name      ? "name"
                                                          : !has_version ? "version"
                                                                         : "build"));
        }
        r.fn.assign(record_);
        const Kind kind = kind_of(record_);
        out_->stems.push_back(stem_key(record_, kind));
        switch (kind) {
            case Kind::conda:
                ++out_->conda_count;
                break;
            case Kind::tar_bz2:
                ++out_->tar_bz2_count;
                break;
            case Kind::other:
                break;
        }
        r.channel.assign(source_.channel);
        if (!info_seen_) {
            ++out_->records_before_info;
            out_->subdirs_before_info += r.subdir.empty() ? 1 : 0;
        } else if (r.subdir.empty()) {
            r.subdir.assign(info_.subdir);
        }
        r.url.reserve(url_base_.size() + 1 + record_.size());
        r.url.append(url_base_).append(1, '/').append(record_);
    }

    /// As read_string_into, but says whether a string was there (an empty build is valid).
    bool read_string_into_flag(od::value& value, std::string_view field, std::string& out) {
        std::string_view s;
        if (!read_string(value, field, s)) {
            return false;
        }
        out.assign(s);
        return true;
    }

    const Input& in_;
    const RepodataSource& source_;
    Chunk chunk_;
    bool stopped_ = false;  // the chunk ended where it should
    od::parser parser_;
    od::document* doc_ = nullptr;
    std::vector<PackageRecord>* records_ = nullptr;  // where this chunk's records go
    ChunkOut* out_ = nullptr;
    RepodataInfo info_;  // as this worker saw it, in any of its chunks
    bool info_seen_ = false;
    std::string url_base_;     // the folder of the packages, until `info` says otherwise
    std::string_view record_;  // the key of the record being read; empty outside records
    std::vector<std::string_view> scratch_;
};

std::string_view stem_of(std::string_view s) {
    return s.substr(0,
                    s.size() - (kind_of(s) == Kind::conda ? conda_ext.size() : tar_bz2_ext.size()));
}

/// The indices, in order, of the `.tar.bz2` records whose `.conda` twin (the same file
/// stem) is in `records` too; `stems[i]` is stem_key() of `records[i]`. A bitmap of the
/// `.conda` stems' hashes (2 MiB: it stays in cache) rules out at once nearly every
/// `.tar.bz2` record of a channel without twins; the few that pass are checked exactly.
template <typename FnOf>
std::vector<std::size_t> find_twins(const FnOf& fn_of, const std::vector<std::uint64_t>& stems) {
    constexpr std::uint64_t bitmap_bits = std::uint64_t{1} << 24;
    constexpr auto conda_bits = static_cast<std::uint64_t>(Kind::conda);
    auto bit_of = [](std::uint64_t key) { return (key >> 2) & (bitmap_bits - 1); };
    auto as_conda = [](std::uint64_t key) { return (key & ~std::uint64_t{3}) | conda_bits; };
    std::vector<std::uint64_t> bitmap(bitmap_bits / 64, 0);
    for (const std::uint64_t key : stems) {
        if (kind_of_key(key) == Kind::conda) {
            bitmap[bit_of(key) / 64] |= std::uint64_t{1} << (bit_of(key) % 64);
        }
    }
    std::vector<std::size_t> candidates;  // .tar.bz2 records that may have a twin
    for (std::size_t i = 0; i < stems.size(); ++i) {
        const std::uint64_t wanted = as_conda(stems[i]);
        if (kind_of_key(stems[i]) == Kind::tar_bz2 &&
            (bitmap[bit_of(wanted) / 64] >> (bit_of(wanted) % 64) & 1) != 0) {
            candidates.push_back(i);
        }
    }
    if (candidates.empty()) {
        return {};
    }
    // Open addressing over the candidates' wanted keys (slot: candidate number + 1, 0 =
    // empty); every .conda record is looked up in it, and equal hashes compare stems.
    std::size_t slots = 16;
    while (slots < candidates.size() * 2) {
        slots <<= 1;
    }
    const std::size_t mask = slots - 1;
    auto slot_of = [mask](std::uint64_t key) { return static_cast<std::size_t>(key >> 26) & mask; };
    std::vector<std::uint32_t> table(slots, 0);
    for (std::size_t c = 0; c < candidates.size(); ++c) {
        std::size_t slot = slot_of(as_conda(stems[candidates[c]]));
        while (table[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        table[slot] = static_cast<std::uint32_t>(c + 1);
    }
    std::vector<bool> twin(candidates.size(), false);
    for (std::size_t j = 0; j < stems.size(); ++j) {
        if (kind_of_key(stems[j]) != Kind::conda) {
            continue;
        }
        for (std::size_t slot = slot_of(stems[j]); table[slot] != 0; slot = (slot + 1) & mask) {
            const std::size_t c = table[slot] - 1;
            const std::size_t i = candidates[c];
            if (as_conda(stems[i]) == stems[j] && stem_of(fn_of(i)) == stem_of(fn_of(j))) {
                twin[c] = true;
            }
        }
    }
    std::vector<std::size_t> twins;
    for (std::size_t c = 0; c < candidates.size(); ++c) {
        if (twin[c]) {
            twins.push_back(candidates[c]);
        }
    }
    return twins;
}

/// Moves every `.tar.bz2` record whose `.conda` twin is also in `records` to `fallbacks`,
/// keeping the order of both. `stems[i]` is stem_key() of `records[i]`.
void separate_twins(std::vector<PackageRecord>& records, std::vector<PackageRecord>& fallbacks,
                    const std::vector<std::uint64_t>& stems) {
    const std::vector<std::size_t> twins =
        find_twins([&records](std::size_t i) -> std::string_view { return records[i].fn; }, stems);
    if (twins.empty()) {
        return;
    }
    fallbacks.reserve(fallbacks.size() + twins.size());
    std::size_t kept = twins.front();
    auto next_twin = twins.begin();
    for (std::size_t i = twins.front(); i < records.size(); ++i) {
        if (next_twin != twins.end() && *next_twin == i) {
            fallbacks.push_back(std::move(records[i]));
            ++next_twin;
        } else {
            records[kept] = std::move(records[i]);
            ++kept;
        }
    }
    records.resize(kept);
}

/// Gives the records in [begin, end), read before `info` was known, their url under
/// `info.base_url` and, when they have none, `info.subdir`. Their urls assumed no
/// `base_url`, which is right when there is none: then only missing subdirs are filled,
/// and only when there are any (`missing_subdirs`).
void apply_late_info(std::vector<PackageRecord>& records, std::size_t begin, std::size_t end,
                     std::size_t missing_subdirs, const RepodataInfo& info,
                     const RepodataSource& source) {
    const bool urls = !info.base_url.empty();
    const bool subdirs = missing_subdirs > 0 && !info.subdir.empty();
    if (!urls && !subdirs) {
        return;
    }
    const std::string base = resolve_base_url(source.subdir_url, info.base_url);
    for (std::size_t i = begin; i < end; ++i) {
        PackageRecord& r = records[i];
        if (urls) {
            r.url.clear();
            r.url.append(base).append(1, '/').append(r.fn);
        }
        if (subdirs && r.subdir.empty()) {
            r.subdir = info.subdir;
        }
    }
}

/// A boundary between two chunks: the chunk before ends at `head_end`, right after a member
/// of an object (a record, or a top-level member); the next starts at `tail_begin`, the ','
/// or space before the next member's key, which is overwritten by '{'.
struct Split {
    std::size_t head_end = 0;
    std::size_t tail_begin = 0;
    int depth = 0;  // 2: the next member is a record; 1: a top-level member (a section)
};

/// The first place after `from` that reads like the boundary between two members whose
/// values are objects: `}` `,` `"key"` `:` `{`, where the key names a package file
/// (depth 2) or a section (depth 1). It is a guess (the bytes could sit inside a string):
/// the head worker confirms it by parsing its prefix up to exactly there, and a wrong guess
/// costs a sequential parse, not a wrong result. Searches at most `window` bytes.
std::optional<Split> find_split(std::string_view text, std::size_t from, std::size_t window) {
    const std::size_t stop = std::min(text.size(), from + window);
    std::size_t i = from;
    while (i < stop) {
        const void* brace = std::memchr(text.data() + i, '}', stop - i);
        if (brace == nullptr) {
            return std::nullopt;
        }
        const auto close = static_cast<std::size_t>(static_cast<const char*>(brace) - text.data());
        i = close + 1;
        std::size_t j = i;
        auto skip_space = [&] {
            while (j < text.size() && is_json_space(text[j])) {
                ++j;
            }
        };
        skip_space();
        if (j >= text.size() || text[j] != ',') {
            continue;
        }
        const std::size_t comma = j++;
        skip_space();
        if (j >= text.size() || text[j] != '"') {
            continue;
        }
        const std::size_t key_begin = j + 1;
        std::size_t key_end = key_begin;
        while (key_end < text.size() && text[key_end] != '"' && text[key_end] != '\\') {
            ++key_end;
        }
        if (key_end >= text.size() || text[key_end] != '"') {
            continue;
        }
        const std::string_view key = text.substr(key_begin, key_end - key_begin);
        j = key_end + 1;
        skip_space();
        if (j >= text.size() || text[j] != ':') {
            continue;
        }
        ++j;
        skip_space();
        if (j >= text.size() || text[j] != '{') {
            continue;
        }
        int depth = 0;
        if (is(key, "packages") || is(key, "packages.conda")) {  // before: ends with ".conda"
            depth = 1;
        } else if (kind_of(key) != Kind::other) {
            depth = 2;
        } else {
            continue;
        }
        // The tail starts at the byte before the key: the comma, or a space after it.
        (void)comma;
        return Split{close + 1, key_begin - 2, depth};
    }
    return std::nullopt;
}

/// Cuts the text into chunks of about `target` bytes at the boundaries find_split() finds
/// (none when it finds none: then the text is one chunk).
std::vector<Chunk> plan_chunks(std::string_view text, std::size_t target) {
    std::vector<Chunk> chunks;
    Chunk current{0, 0, 0, 0};
    std::size_t from = target;
    while (from + target / 2 < text.size()) {
        const std::optional<Split> split =
            find_split(text, std::max(from, current.begin + 1), std::size_t{1} << 20);
        if (!split) {
            from += target;
            continue;
        }
        current.end = split->head_end;
        current.end_depth = split->depth;
        chunks.push_back(current);
        current = Chunk{split->tail_begin, 0, split->depth, 0};
        from = split->tail_begin + target;
    }
    current.end = text.size();
    chunks.push_back(current);
    return chunks;
}

/// The records of all chunks, in the text's order, and what else each chunk gave.
struct Parsed {
    std::vector<PackageRecord> records;
    std::vector<ChunkOut> chunks;  // `first_record` indexes `records`
};

/// Which chunks the helper thread parses: about `helper_share` of them, spread evenly
/// (a Bresenham line), never the first. The main thread parses the others and also moves
/// the helper's records into the result, so the helper takes a little more than half.
constexpr double helper_share = 0.55;

bool helper_parses(std::size_t j) {
    const auto before = static_cast<std::size_t>(static_cast<double>(j) * helper_share);
    const auto after = static_cast<std::size_t>(static_cast<double>(j + 1) * helper_share);
    return j > 0 && after > before;
}

/// The helper's finished chunks on their way to the main thread: a few slots, each a
/// vector of records that is reused (its memory stays warm, and the records are still in
/// the cache when the main thread moves them out). The helper fills its k-th chunk into
/// slot k % size and waits while the slot is full; the main thread takes the chunks in the
/// same order and waits while the next one is not ready.
class ChunkRing {
  public:
    static constexpr std::size_t size = 8;

    /// Helper: the slot for its k-th chunk, once the main thread has emptied it; null when
    /// the main thread has stopped.
    std::vector<PackageRecord>* fill(std::size_t k) {
        Slot& slot = slots_[k % size];
        while (!stopped_.load(std::memory_order_acquire)) {
            const std::int64_t state = slot.state.load(std::memory_order_acquire);
            if (state == empty) {
                slot.records.clear();
                return &slot.records;
            }
            slot.state.wait(state, std::memory_order_acquire);
        }
        return nullptr;
    }

    /// Helper: its k-th chunk is in its slot (or failed to parse).
    void publish(std::size_t k, bool parsed) {
        Slot& slot = slots_[k % size];
        slot.state.store(parsed ? ready : failed, std::memory_order_release);
        slot.state.notify_one();
    }

    /// Main: the helper's k-th chunk, once it is ready; null when it failed.
    std::vector<PackageRecord>* take(std::size_t k) {
        Slot& slot = slots_[k % size];
        slot.state.wait(empty, std::memory_order_acquire);
        return slot.state.load(std::memory_order_acquire) == ready ? &slot.records : nullptr;
    }

    /// Main: done with the helper's k-th chunk; its slot may be filled again.
    void give_back(std::size_t k) {
        Slot& slot = slots_[k % size];
        slot.state.store(empty, std::memory_order_release);
        slot.state.notify_one();
    }

    /// Main: the helper is to stop. A waiting helper wakes only when its slot's state
    /// changes, so every slot gets one that says so.
    void stop() {
        stopped_.store(true, std::memory_order_release);
        for (Slot& slot : slots_) {
            slot.state.store(stopping, std::memory_order_release);
            slot.state.notify_one();
        }
    }

  private:
    static constexpr std::int64_t empty = 0;
    static constexpr std::int64_t ready = 1;
    static constexpr std::int64_t failed = 2;
    static constexpr std::int64_t stopping = 3;
    struct Slot {
        std::atomic<std::int64_t> state{empty};
        std::vector<PackageRecord> records;
    };
    std::array<Slot, size> slots_;
    std::atomic<bool> stopped_{false};
};

/// Two threads, unless the machine is busy: one core, or a load average over the last
/// minute of at least one job per core. Then a helper thread only competes for the time
/// the main thread would have had, and adds the moves of its records. Measured on the
/// 2-core benchmark machine: with two other jobs running (load ~2), one thread took 1.2 s
/// for the 600k file where two took 1.5 s; with the other core idle, two took 0.8-1.0 s
/// where one took 1.1-1.6 s.
unsigned default_threads() {
    const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    if (cores < 2) {
        return 1;
    }
    double load = 0;
    if (::getloadavg(&load, 1) == 1 && load >= static_cast<double>(cores)) {
        return 1;
    }
    return 2;
}

/// Parses the text in chunks (plan_chunks()) on one thread or two. Every chunk but the
/// first starts with a byte turned into '{', and every chunk but the last must end exactly
/// where the next one starts; if one does not (the boundary was a bad guess), or the file
/// has a fault, the bytes are put back and the file is parsed again as one document by one
/// worker: that reports the first fault as it would without chunks, or gives the result.
///
/// Small chunks are the point: a chunk's index (4 bytes per JSON token) and text are
/// still in the cache when the worker walks them, and the one parser's buffers are reused,
/// where indexing a whole 350 MB file first costs ~190 MB of fresh memory and a second
/// trip to RAM. With two threads, the main thread parses its chunks straight into the
/// result, and moves the helper's chunks in between them (ChunkRing), in the text's order.
///
/// With a `sink`, each chunk's records go to it as soon as they are in file order (the
/// result's `records` stay empty and `first_record` counts the records handed over).
Parsed parse_chunks(const Input& in, const RepodataSource& source,
                    const RepodataParseOptions& options, RecordSink* sink = nullptr) {
    const unsigned threads = options.threads != 0 ? options.threads : default_threads();
    const auto whole = [&] {
        Parsed parsed;
        if (sink != nullptr) {
            sink->restart();
        } else {
            parsed.records.reserve(expected_records(in.size));
        }
        parsed.chunks.resize(1);
        Worker(in, source).parse(Chunk{0, in.size, 0, 0}, parsed.records, parsed.chunks[0]);
        if (sink != nullptr) {
            sink->add(0, parsed.records);
            parsed.records = {};
        }
        return parsed;
    };
    if (in.size < options.min_chunked_bytes) {
        return whole();
    }
    const std::vector<Chunk> chunks =
        plan_chunks(std::string_view(in.data, in.size), options.chunk_bytes);
    if (chunks.size() < 2) {
        return whole();
    }
    std::vector<Poke> pokes;
    auto put_back = [&](std::vector<Poke>& undo) {
        for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
            in.data[it->offset] = it->original;
        }
        undo.clear();
    };
    for (std::size_t i = 1; i < chunks.size(); ++i) {
        if (!poke(in, chunks[i].begin, '{', pokes)) {
            put_back(pokes);
            return whole();
        }
    }

    Parsed parsed;
    std::size_t delivered = 0;           // records handed to the sink
    std::vector<PackageRecord> scratch;  // the main thread's chunk on its way to the sink
    if (sink == nullptr) {
        parsed.records.reserve(expected_records(in.size));
        advise_huge_pages(parsed.records.data(), parsed.records.capacity() * sizeof(PackageRecord));
    }
    // With a sink, the text before the chunks handed over is not needed again (but by a
    // retry, which maps it back from the file): its pages leave this process, so that the
    // file and what the sink builds from it are not in memory together.
    std::size_t released = 0;
    const auto release_before = [&](std::size_t offset) {
        const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
        const std::size_t end = offset / page * page;
        if (in.mapped && end > released) {
            ::madvise(in.data + released, end - released, MADV_DONTNEED);
            released = end;
        }
    };
    const auto hand_over = [&](std::vector<PackageRecord>& records, ChunkOut& out,
                               std::size_t chunk_end) {
        out.first_record = delivered;
        sink->add(delivered, records);
        delivered += records.size();
        records.clear();
        release_before(chunk_end);
    };
    std::vector<ChunkOut> outs(chunks.size());
    ChunkRing ring;
    // Each of the helper's chunks is parsed by whichever thread claims it first.
    const auto claimed = std::make_unique<std::atomic<bool>[]>(chunks.size());
    bool two = threads >= 2;
    std::thread helper;
    if (two) {
        try {
            helper = std::thread([&] {
                Worker worker(in, source);
                std::size_t k = 0;  // the helper's k-th chunk
                for (std::size_t j = 0; j < chunks.size(); ++j) {
                    if (!helper_parses(j)) {
                        continue;
                    }
                    std::vector<PackageRecord>* records = ring.fill(k);
                    if (records == nullptr) {
                        return;  // the main thread stopped
                    }
                    if (claimed[j].exchange(true)) {
                        continue;  // the main thread got there first
                    }
                    bool parsed_ok = true;
                    try {
                        worker.parse(chunks[j], *records, outs[j]);
                    } catch (...) {
                        // The main thread parses the file again; a failure that is not
                        // about the file shows again there.
                        parsed_ok = false;
                    }
                    ring.publish(k++, parsed_ok);
                    if (!parsed_ok) {
                        return;
                    }
                }
            });
        } catch (const std::system_error&) {
            two = false;  // no thread to be had: the main thread parses every chunk
        }
    }

    bool failed = false;
    std::exception_ptr error;
    {
        Worker worker(in, source);
        std::size_t k = 0;  // the helper's chunks taken so far
        for (std::size_t j = 0; j < chunks.size() && !failed; ++j) {
            ChunkOut& out = outs[j];
            // A helper's chunk that it has not begun (it is behind: the machine is busy)
            // is parsed here, straight into the result.
            if (!two || !helper_parses(j) || !claimed[j].exchange(true)) {
                try {
                    if (sink != nullptr) {
                        worker.parse(chunks[j], scratch, out);
                        hand_over(scratch, out, chunks[j].end);
                    } else {
                        worker.parse(chunks[j], parsed.records, out);
                    }
                } catch (const ParseError&) {
                    failed = true;
                } catch (const SplitMismatch&) {
                    failed = true;
                } catch (...) {
                    failed = true;
                    error = std::current_exception();
                }
                continue;
            }
            std::vector<PackageRecord>* records = ring.take(k);
            if (records == nullptr) {
                failed = true;
                continue;
            }
            if (sink != nullptr) {
                hand_over(*records, out, chunks[j].end);
                ring.give_back(k++);
                continue;
            }
            out.first_record = parsed.records.size();
            parsed.records.insert(parsed.records.end(), std::make_move_iterator(records->begin()),
                                  std::make_move_iterator(records->end()));
            ring.give_back(k++);
        }
    }
    ring.stop();
    if (helper.joinable()) {
        helper.join();
    }
    for (ChunkOut& out : outs) {
        put_back(out.pokes);
    }
    put_back(pokes);
    if (error) {
        std::rethrow_exception(error);  // not about the file (out of memory): no retry
    }
    if (failed) {
        return whole();
    }
    parsed.chunks = std::move(outs);
    return parsed;
}

Repodata parse_padded(const Input& in, const RepodataSource& source,
                      const RepodataParseOptions& options) {
    Parsed parsed = parse_chunks(in, source, options);
    Repodata out;
    out.records = std::move(parsed.records);
    std::size_t conda_count = 0;
    std::size_t tar_bz2_count = 0;
    std::size_t stem_count = 0;
    const ChunkOut* info_chunk = nullptr;
    for (ChunkOut& c : parsed.chunks) {
        if (c.info_seen && info_chunk == nullptr) {
            info_chunk = &c;
        }
        std::move(c.removed.begin(), c.removed.end(), std::back_inserter(out.removed));
        if (c.repodata_version != 0) {
            out.info.repodata_version = c.repodata_version;
        }
        conda_count += c.conda_count;
        tar_bz2_count += c.tar_bz2_count;
        stem_count += c.stems.size();
    }
    if (info_chunk != nullptr) {
        out.info.subdir = info_chunk->info.subdir;
        out.info.base_url = info_chunk->info.base_url;
        for (const ChunkOut& c : parsed.chunks) {
            if (c.records_before_info > 0) {
                apply_late_info(out.records, c.first_record, c.first_record + c.records_before_info,
                                c.subdirs_before_info, out.info, source);
            }
        }
    }
    if (conda_count > 0 && tar_bz2_count > 0) {
        std::vector<std::uint64_t> stems;
        stems.reserve(stem_count);
        for (const ChunkOut& c : parsed.chunks) {
            stems.insert(stems.end(), c.stems.begin(), c.stems.end());
        }
        separate_twins(out.records, out.fallbacks, stems);
    }
    return out;
}

RepodataSummary stream_padded(const Input& in, const RepodataSource& source, RecordSink& sink,
                              const RepodataParseOptions& options) {
    Parsed parsed = parse_chunks(in, source, options, &sink);
    RepodataSummary out;
    std::size_t conda_count = 0;
    std::size_t tar_bz2_count = 0;
    const ChunkOut* info_chunk = nullptr;
    for (ChunkOut& c : parsed.chunks) {
        if (c.info_seen && info_chunk == nullptr) {
            info_chunk = &c;
        }
        std::move(c.removed.begin(), c.removed.end(), std::back_inserter(out.removed));
        if (c.repodata_version != 0) {
            out.info.repodata_version = c.repodata_version;
        }
        conda_count += c.conda_count;
        tar_bz2_count += c.tar_bz2_count;
        out.records += c.record_count;
    }
    if (info_chunk != nullptr) {
        out.info.subdir = info_chunk->info.subdir;
        out.info.base_url = info_chunk->info.base_url;
        // As apply_late_info(), through the sink.
        const bool urls = !out.info.base_url.empty();
        const std::string base = resolve_base_url(source.subdir_url, out.info.base_url);
        for (const ChunkOut& c : parsed.chunks) {
            const bool subdirs = c.subdirs_before_info > 0 && !out.info.subdir.empty();
            if (c.records_before_info == 0 || (!urls && !subdirs)) {
                continue;
            }
            for (std::size_t i = c.first_record; i < c.first_record + c.records_before_info; ++i) {
                const std::string_view fn = sink.fn(i);
                const std::string url =
                    urls ? base + '/' + std::string(fn)
                         : resolve_base_url(source.subdir_url, {}) + '/' + std::string(fn);
                sink.relocate(i, url,
                              subdirs ? std::string_view(out.info.subdir) : std::string_view{});
            }
        }
    }
    if (conda_count > 0 && tar_bz2_count > 0) {
        std::vector<std::uint64_t> stems;
        stems.reserve(out.records);
        for (const ChunkOut& c : parsed.chunks) {
            stems.insert(stems.end(), c.stems.begin(), c.stems.end());
        }
        for (const std::size_t i :
             find_twins([&sink](std::size_t k) { return sink.fn(k); }, stems)) {
            sink.drop(i);
        }
    }
    return out;
}

std::string file_label(const RepodataSource& source) {
    if (!source.file.empty()) {
        return source.file;
    }
    if (!source.subdir_url.empty()) {
        return source.subdir_url + "/repodata.json";
    }
    return "<repodata>";
}

/// A file's bytes followed by at least SIMDJSON_PADDING zero bytes. A regular file is
/// mapped (no copy: the page cache's pages are used as they are) in front of anonymous
/// zero pages that hold the padding; anything else (a pipe, /proc) is read.
///
/// The mapping assumes that the file is not truncated while it is parsed (reading a page
/// past a new end raises SIGBUS). The index cache replaces files by renaming new ones over
/// them, which leaves a mapped file intact.
class PaddedFile {
  public:
    explicit PaddedFile(const std::filesystem::path& path) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            throw_io(path, "open", errno);
        }
        struct Closer {
            int fd;
            ~Closer() { ::close(fd); }
        } closer{fd};
        struct stat st {};
        if (::fstat(fd, &st) != 0) {
            throw_io(path, "stat", errno);
        }
        if (S_ISDIR(st.st_mode)) {
            throw util::IoError(fmt::format("cannot read '{}': it is a directory", path.string()),
                                "give the path of a file");
        }
        if (S_ISREG(st.st_mode) && st.st_size > 0 &&
            map(fd, static_cast<std::size_t>(st.st_size))) {
            return;
        }
        reserve(S_ISREG(st.st_mode) ? static_cast<std::size_t>(st.st_size) + 1 : 65536);
        while (true) {
            if (size_ == capacity_ - simdjson::SIMDJSON_PADDING) {
                reserve(capacity_ * 2);  // the size from fstat was stale (a growing file, /proc)
            }
            const ssize_t n =
                ::read(fd, data_ + size_, capacity_ - simdjson::SIMDJSON_PADDING - size_);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                throw_io(path, "read", errno);
            }
            if (n == 0) {
                break;
            }
            size_ += static_cast<std::size_t>(n);
        }
    }
    PaddedFile(const PaddedFile&) = delete;
    PaddedFile& operator=(const PaddedFile&) = delete;
    ~PaddedFile() { release(); }

    [[nodiscard]] char* data() const noexcept { return data_; }
    [[nodiscard]] bool mapped() const noexcept { return mapped_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

  private:
    [[noreturn]] static void throw_io(const std::filesystem::path& path, const char* what,
                                      int err) {
        throw util::IoError(
            fmt::format("cannot {} '{}': {}", what, path.string(), std::strerror(err)),
            err == ENOENT ? "check the path; it does not exist" : std::string{});
    }

    static std::size_t round_to_pages(std::size_t bytes) {
        const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
        return (bytes + page - 1) / page * page;
    }

    /// Maps the file over the start of an anonymous region one padding longer; false when
    /// the system refuses (then the file is read instead).
    bool map(int fd, std::size_t size) {
        const std::size_t length = round_to_pages(size + simdjson::SIMDJSON_PADDING);
        void* region = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (region == MAP_FAILED) {
            return false;
        }
        void* file = ::mmap(region, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0);
        if (file == MAP_FAILED) {
            ::munmap(region, length);
            return false;
        }
        data_ = static_cast<char*>(region);
        size_ = size;
        capacity_ = length;
        mapped_ = true;
        return true;
    }

    /// Grows to hold `bytes` of content plus the padding, keeping what was read.
    void reserve(std::size_t bytes) {
        const std::size_t length = round_to_pages(bytes + simdjson::SIMDJSON_PADDING);
        void* p =
            ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            throw std::bad_alloc();
        }
        char* fresh = static_cast<char*>(p);
        if (size_ > 0) {
            std::memcpy(fresh, data_, size_);
        }
        release();
        data_ = fresh;
        capacity_ = length;
    }

    void release() noexcept {
        if (data_ != nullptr) {
            ::munmap(data_, capacity_);
            data_ = nullptr;
        }
    }

    char* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
    bool mapped_ = false;  // read-only pages of the file (see poke())
};

/// RFC 3986 section 5.2.4.
std::string remove_dot_segments(std::string_view input) {
    std::string out;
    out.reserve(input.size());
    auto drop_last_segment = [&out] {
        const std::size_t slash = out.rfind('/');
        out.erase(slash == std::string::npos ? 0 : slash);
    };
    while (!input.empty()) {
        if (input.starts_with("../")) {
            input.remove_prefix(3);
        } else if (input.starts_with("./")) {
            input.remove_prefix(2);
        } else if (input.starts_with("/./")) {
            input.remove_prefix(2);
        } else if (input == "/.") {
            input = "/";
        } else if (input.starts_with("/../")) {
            input.remove_prefix(3);
            drop_last_segment();
        } else if (input == "/..") {
            input = "/";
            drop_last_segment();
        } else if (input == "." || input == "..") {
            input = {};
        } else {
            const std::size_t next = input.find('/', 1);
            const std::size_t n = next == std::string_view::npos ? input.size() : next;
            out.append(input.substr(0, n));
            input.remove_prefix(n);
        }
    }
    return out;
}

bool has_scheme(std::string_view s) {
    const std::size_t colon = s.find(':');
    if (colon == std::string_view::npos || colon == 0) {
        return false;
    }
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (!alpha(s[0])) {
        return false;
    }
    return std::all_of(s.begin() + 1, s.begin() + static_cast<std::ptrdiff_t>(colon), [&](char c) {
        return alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    });
}

std::string without_trailing_slash(std::string s) {
    while (s.size() > 1 && s.back() == '/' && !s.ends_with("://")) {
        s.pop_back();
    }
    return s;
}

}  // namespace

std::string resolve_base_url(std::string_view subdir_url, std::string_view base_url) {
    if (base_url.empty()) {
        return without_trailing_slash(std::string(subdir_url));
    }
    if (has_scheme(base_url)) {
        return without_trailing_slash(std::string(base_url));
    }
    // Split the subdir URL into scheme ':' , '//' authority, and path.
    std::string_view scheme;
    std::string_view rest = subdir_url;
    if (has_scheme(subdir_url)) {
        const std::size_t colon = subdir_url.find(':');
        scheme = subdir_url.substr(0, colon + 1);
        rest = subdir_url.substr(colon + 1);
    }
    std::string_view authority;
    if (rest.starts_with("//")) {
        const std::size_t end = rest.find('/', 2);
        authority = rest.substr(0, end == std::string_view::npos ? rest.size() : end);
        rest.remove_prefix(authority.size());
    }
    // The query or fragment of the reference is kept as written.
    const std::size_t tail_at = base_url.find_first_of("?#");
    const std::string_view ref_path = base_url.substr(0, tail_at);
    const std::string_view ref_tail =
        tail_at == std::string_view::npos ? std::string_view{} : base_url.substr(tail_at);

    std::string result;
    if (base_url.starts_with("//")) {
        // '//host/path': the host is kept as written, dots and all.
        const std::size_t slash = ref_path.find('/', 2);
        result = std::string(scheme) + (slash == std::string_view::npos
                                            ? std::string(ref_path)
                                            : std::string(ref_path.substr(0, slash)) +
                                                  remove_dot_segments(ref_path.substr(slash)));
    } else if (ref_path.starts_with("/")) {
        result = std::string(scheme) + std::string(authority) + remove_dot_segments(ref_path);
    } else {
        // Merge with the subdir folder (the subdir URL names a folder: it ends with '/').
        std::string base_path(rest);
        const std::size_t query = base_path.find_first_of("?#");
        if (query != std::string::npos) {
            base_path.erase(query);
        }
        if (base_path.empty() || base_path.back() != '/') {
            base_path += '/';
        }
        result = std::string(scheme) + std::string(authority) +
                 remove_dot_segments(base_path + std::string(ref_path));
    }
    return without_trailing_slash(result) + std::string(ref_tail);
}

Repodata parse_repodata(std::string_view json, const RepodataSource& source,
                        const RepodataParseOptions& options) {
    simdjson::padded_string padded(json);
    const std::string label = file_label(source);
    const Input in{padded.data(), padded.size(), padded.size() + simdjson::SIMDJSON_PADDING, label,
                   false};
    return parse_padded(in, source, options);
}

Repodata load_repodata(const std::filesystem::path& path, const RepodataSource& source,
                       const RepodataParseOptions& options) {
    const PaddedFile file(path);
    const std::string label = source.file.empty() ? path.string() : source.file;
    const Input in{file.data(), file.size(), file.capacity(), label, file.mapped()};
    return parse_padded(in, source, options);
}

RepodataSummary stream_repodata(const std::filesystem::path& path, const RepodataSource& source,
                                RecordSink& sink, const RepodataParseOptions& options) {
    const PaddedFile file(path);
    const std::string label = source.file.empty() ? path.string() : source.file;
    const Input in{file.data(), file.size(), file.capacity(), label, file.mapped()};
    return stream_padded(in, source, sink, options);
}

}  // namespace cenv::specs

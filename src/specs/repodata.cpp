#include "specs/repodata.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <exception>
#include <iterator>
#include <memory>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "specs/json_fault.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

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

/// Overwrites one byte of the input (a split turns a ',' or a space into '{'). A mapped
/// file is mapped read-only and private: the page is made writable first, and the write
/// copies that one page, leaving the file alone.
Poke poke(const Input& in, std::size_t offset, char c) {
    if (in.mapped) {
        const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
        const auto at = reinterpret_cast<std::uintptr_t>(in.data + offset) & ~(page - 1);
        if (::mprotect(reinterpret_cast<void*>(at), page, PROT_READ | PROT_WRITE) != 0) {
            throw std::system_error(errno, std::generic_category(), "mprotect");
        }
    }
    const Poke undo{offset, in.data[offset]};
    in.data[offset] = c;
    return undo;
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

/// Whether `s` holds a backslash (an escape). Written as a reduction, which the compiler
/// vectorises: the strings are short and mostly have none.
bool has_backslash(std::string_view s) noexcept {
    bool found = false;
    for (const char c : s) {
        found |= c == '\\';
    }
    return found;
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

/// What one worker produced from the part of the file it owns.
struct Part {
    std::vector<PackageRecord> records;
    RepodataInfo info;
    std::vector<std::string> removed;
    int repodata_version = 0;  // 0: not in this worker's share
    /// Per record: the hash of its file stem with its Kind in the low two bits, to find
    /// .conda/.tar.bz2 twins without touching the records again.
    std::vector<std::uint64_t> stems;
    bool info_seen = false;
    /// Records read before `info` (all of them when this worker saw no `info`): their url
    /// assumed no `base_url`, and a missing subdir was left empty. Fixed after the merge.
    std::size_t records_before_info = 0;
    std::vector<Poke> pokes;  // bytes of the input this worker overwrote
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

/// What part of the text a worker parses (see find_split()).
enum class Share : std::uint8_t {
    whole,         ///< the whole document
    head,          ///< a prefix ending right after a member at `head_depth`: 1, a top-level
                   ///< member; 2, a record. The worker stops there
    tail_records,  ///< '{' + the records after the split, then the rest of the top level
    tail_members,  ///< '{' + the top-level members after the split
};

struct Assignment {
    Share share = Share::whole;
    std::size_t begin = 0;  // the worker's document is [begin, end) of the input
    std::size_t end = 0;
    int head_depth = 0;
};

/// Thrown by a head worker whose prefix does not end where the split said: the split was
/// a false guess (its pattern was inside a string), and the file is parsed sequentially.
struct SplitMismatch : std::exception {
    [[nodiscard]] const char* what() const noexcept override { return "split mismatch"; }
};

/// Parses its share of the text with its own simdjson parser into a Part.
class Worker {
  public:
    Worker(const Input& input, const RepodataSource& source, const Assignment& assignment,
           std::size_t expected_records)
        : in_(input),
          source_(source),
          job_(assignment),
          url_base_(resolve_base_url(source.subdir_url, {})) {
        part_.records.reserve(expected_records);
        part_.stems.reserve(expected_records);
        if (part_.records.capacity() * sizeof(PackageRecord) >= (std::size_t{64} << 20)) {
            advise_huge_pages(part_.records.data(),
                              part_.records.capacity() * sizeof(PackageRecord));
        }
        scratch_.reserve(64);
    }

    Part run() {
        od::document doc;
        iterate(doc, job_.begin);
        if (job_.share == Share::tail_records) {
            read_tail_records(doc);
        } else {
            read_top(doc);
        }
        if (job_.share == Share::head && !stopped_) {
            throw SplitMismatch();
        }
        if (!part_.info_seen) {
            part_.records_before_info = part_.records.size();
        }
        return std::move(part_);
    }

  private:
    /// Runs stage 1 over [begin, job_.end) of the input.
    void iterate(od::document& doc, std::size_t begin) {
        if (auto err = parser_.iterate(in_.data + begin, job_.end - begin, in_.capacity - begin)
                           .get(doc)) {
            fail_json(err, nullptr);
        }
        doc_ = &doc;
    }

    /// Whether the document is used up: a head worker's prefix ends here.
    [[nodiscard]] bool at_end() const {
        const char* at = nullptr;
        return doc_->current_location().get(at) == simdjson::OUT_OF_BOUNDS;
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
            if (key == "packages" || key == "packages.conda") {
                read_section(value, key);
            } else if (key == "info") {
                read_info(value);
            } else if (key == "removed") {
                read_removed(value);
            } else if (key == "repodata_version") {
                read_version(value);
            }
            if (stopped_) {
                return;
            }
            if (job_.share == Share::head && job_.head_depth == 1 && at_end()) {
                stopped_ = true;
                return;
            }
        }
        if (job_.share == Share::head) {
            throw SplitMismatch();  // the whole top level lies in the prefix
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

    /// A tail worker's document after a split inside a section: '{' and the section's
    /// remaining records, closed by the section's own '}'; the rest of the top level
    /// follows, which is parsed as a second document once its ',' is turned into '{'.
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
        }
        const char* next = nullptr;
        if (doc.current_location().get(next) != simdjson::SUCCESS) {
            fail_json(simdjson::INCOMPLETE_ARRAY_OR_OBJECT, nullptr);  // no top level left
        }
        if (*next == '}') {  // the section was the last member: only the end may follow
            for (const char* p = next + 1; p < in_.data + job_.end; ++p) {
                if (!util::is_space(*p)) {
                    fail_json(simdjson::TRAILING_CONTENT, p);
                }
            }
            return;
        }
        if (*next != ',') {
            fail_json(simdjson::TAPE_ERROR, next);
        }
        const auto rest = static_cast<std::size_t>(next - in_.data);
        part_.pokes.push_back(poke(in_, rest, '{'));
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
        // Keys are short: a plain loop beats a call to memchr. Stage 1 checked that every
        // string is closed; the bound only guards the end of the input.
        const char* raw = field.key().raw();
        const char* end = in_.data + in_.size;
        const char* p = raw;
        bool escaped = false;
        while (p < end && *p != '"') {
            escaped |= *p == '\\';
            ++p;
        }
        if (!escaped) {
            return {raw, static_cast<std::size_t>(p - raw)};
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
            if (key == "subdir") {
                read_info_string(field.value(), "subdir", part_.info.subdir);
            } else if (key == "base_url") {
                read_info_string(field.value(), "base_url", part_.info.base_url);
            }
        }
        part_.info_seen = true;
        part_.records_before_info = part_.records.size();
        url_base_ = resolve_base_url(source_.subdir_url, part_.info.base_url);
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
            part_.removed.emplace_back(s);
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
        part_.repodata_version = static_cast<int>(version);
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
            if (job_.share == Share::head && job_.head_depth == 2 && at_end()) {
                stopped_ = true;  // the prefix ends after this record
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
        PackageRecord& r = part_.records.emplace_back();
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
                    if (key == "md5") {
                        read_string_into(v, key, r.md5);
                    }
                    break;
                case 4:
                    if (key == "name") {
                        read_string_into(v, key, r.name);
                        has_name = !r.name.empty();
                    } else if (key == "size") {
                        read_uint(v, key, r.size);
                    } else if (key == "arch") {
                        read_string_into(v, key, r.arch);
                    }
                    break;
                case 5:
                    if (key == "build") {
                        has_build = read_string_into_flag(v, key, r.build);
                    }
                    break;
                case 6:
                    if (key == "sha256") {
                        read_string_into(v, key, r.sha256);
                    } else if (key == "subdir") {
                        read_string_into(v, key, r.subdir);
                    } else if (key == "noarch") {
                        read_noarch(v, r.noarch);
                    }
                    break;
                case 7:
                    if (key == "version") {
                        read_string_into(v, key, r.version);
                        has_version = !r.version.empty();
                    } else if (key == "depends") {
                        read_string_list(v, key, r.depends);
                    } else if (key == "license") {
                        read_string_into(v, key, r.license);
                    }
                    break;
                case 8:
                    if (key == "features") {
                        read_features(v, r.features);
                    } else if (key == "platform") {
                        read_string_into(v, key, r.platform);
                    }
                    break;
                case 9:
                    if (key == "timestamp") {
                        read_timestamp(v, r.timestamp);
                    }
                    break;
                case 10:
                    if (key == "constrains") {
                        read_string_list(v, key, r.constrains);
                    }
                    break;
                case 12:
                    if (key == "build_number") {
                        read_uint(v, key, r.build_number);
                    }
                    break;
                case 14:
                    if (key == "track_features") {
                        read_track_features(v, r.track_features);
                    } else if (key == "license_family") {
                        read_string_into(v, key, r.license_family);
                    }
                    break;
                case 25:
                    if (key == "python_site_packages_path") {
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
        part_.stems.push_back(stem_key(record_, kind));
        switch (kind) {
            case Kind::conda:
                ++part_.conda_count;
                break;
            case Kind::tar_bz2:
                ++part_.tar_bz2_count;
                break;
            case Kind::other:
                break;
        }
        r.channel.assign(source_.channel);
        if (r.subdir.empty()) {
            r.subdir.assign(part_.info.subdir);
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
    Assignment job_;
    bool stopped_ = false;  // a head worker reached the end of its prefix
    od::parser parser_;
    od::document* doc_ = nullptr;
    Part part_;
    std::string url_base_;     // the folder of the packages, until `info` says otherwise
    std::string_view record_;  // the key of the record being read; empty outside records
    std::vector<std::string_view> scratch_;
};

/// A rough upper bound of the records in `bytes` of repodata: indented records average
/// ~580 bytes, minified ones ~350; reserving for 256 keeps one allocation in practice.
std::size_t expected_records(std::size_t bytes) {
    return bytes / 256 + 16;
}

std::string_view stem_of(const std::string& fn) {
    const std::string_view s = fn;
    return s.substr(0,
                    s.size() - (kind_of(s) == Kind::conda ? conda_ext.size() : tar_bz2_ext.size()));
}

/// Moves every `.tar.bz2` record whose `.conda` twin is also in `records` to `fallbacks`,
/// keeping the order of both. `stems[i]` is stem_key() of `records[i]`.
void separate_twins(std::vector<PackageRecord>& records, std::vector<PackageRecord>& fallbacks,
                    const std::vector<std::uint64_t>& stems, std::size_t conda_count) {
    // Open addressing over the .conda stems: the key, and the record's index + 1 (0 = empty).
    struct Slot {
        std::uint64_t key;
        std::size_t index;
    };
    std::size_t slots = 16;
    while (slots < conda_count * 2) {
        slots <<= 1;
    }
    const std::size_t mask = slots - 1;
    std::vector<Slot> table(slots, Slot{0, 0});
    constexpr auto conda_bits = static_cast<std::uint64_t>(Kind::conda);
    for (std::size_t i = 0; i < stems.size(); ++i) {
        if (kind_of_key(stems[i]) != Kind::conda) {
            continue;
        }
        std::size_t slot = (stems[i] >> 2) & mask;
        while (table[slot].index != 0) {
            slot = (slot + 1) & mask;
        }
        table[slot] = Slot{stems[i], i + 1};
    }
    std::vector<std::size_t> twins;
    for (std::size_t i = 0; i < stems.size(); ++i) {
        if (kind_of_key(stems[i]) != Kind::tar_bz2) {
            continue;
        }
        const std::uint64_t wanted = (stems[i] & ~std::uint64_t{3}) | conda_bits;
        for (std::size_t slot = (wanted >> 2) & mask; table[slot].index != 0;
             slot = (slot + 1) & mask) {
            if (table[slot].key == wanted &&
                stem_of(records[table[slot].index - 1].fn) == stem_of(records[i].fn)) {
                twins.push_back(i);
                break;
            }
        }
    }
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
/// `info.base_url` and, when they have none, `info.subdir`.
void apply_late_info(std::vector<PackageRecord>& records, std::size_t begin, std::size_t end,
                     const RepodataInfo& info, const RepodataSource& source) {
    const std::string base = resolve_base_url(source.subdir_url, info.base_url);
    for (std::size_t i = begin; i < end; ++i) {
        PackageRecord& r = records[i];
        r.url.clear();
        r.url.append(base).append(1, '/').append(r.fn);
        if (r.subdir.empty()) {
            r.subdir = info.subdir;
        }
    }
}

/// Where two workers split a file: the first parses the prefix [0, head_end), which ends
/// right after a member of an object (a record, or a top-level member); the second parses
/// from `tail_begin`, the ',' or space before the next member's key, overwritten by '{'.
struct Split {
    std::size_t head_end = 0;
    std::size_t tail_begin = 0;
    int depth = 0;  // 2: the next member is a record; 1: a top-level member (a section)
};

bool is_json_space(char c) noexcept {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

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
        if (key == "packages" || key == "packages.conda") {  // before: ends with ".conda"
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

Part run_worker(const Input& in, const RepodataSource& source, const Assignment& job,
                std::size_t expected) {
    Worker worker(in, source, job, expected);
    return worker.run();
}

/// Runs one worker over the whole text, or two over a head and a tail (find_split()) that
/// each index and parse about half of it. The head worker reserves room for every record,
/// so that the tail's are appended without moving the head's. If either fails, the bytes
/// the split overwrote are put back and the file is parsed again by one worker: that
/// reports the first fault of the file, or gives the result when the split was a bad guess.
std::vector<Part> run_workers(const Input& in, const RepodataSource& source,
                              const RepodataParseOptions& options) {
    unsigned threads = options.threads;
    if (threads == 0) {
        threads = std::min(2U, std::max(1U, std::thread::hardware_concurrency()));
    }
    const auto sequential = [&] {
        std::vector<Part> parts;
        parts.push_back(
            run_worker(in, source, {Share::whole, 0, in.size, 0}, expected_records(in.size)));
        return parts;
    };
    if (threads < 2 || in.size < options.parallel_min_bytes) {
        return sequential();
    }
    const std::string_view text(in.data, in.size);
    const std::optional<Split> split = find_split(text, in.size / 2, std::size_t{16} << 20);
    if (!split) {
        return sequential();
    }
    std::vector<Poke> pokes;
    pokes.push_back(poke(in, split->tail_begin, '{'));
    auto put_back = [&](std::vector<Poke>& undo) {
        for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
            in.data[it->offset] = it->original;
        }
        undo.clear();
    };
    const Assignment tail_job{split->depth == 2 ? Share::tail_records : Share::tail_members,
                              split->tail_begin, in.size, 0};
    const Assignment head_job{Share::head, 0, split->head_end, split->depth};

    Part tail;
    std::exception_ptr tail_error;
    std::thread helper;
    try {
        helper = std::thread([&] {
            try {
                tail = run_worker(in, source, tail_job, expected_records(in.size - tail_job.begin));
            } catch (...) {
                tail_error = std::current_exception();  // looked at below
            }
        });
    } catch (const std::system_error&) {
        put_back(pokes);
        return sequential();  // no thread to be had: one is enough
    }
    Part head;
    std::exception_ptr head_error;
    try {
        head = run_worker(in, source, head_job, expected_records(in.size));
    } catch (...) {
        head_error = std::current_exception();  // looked at below, once the tail is done
    }
    helper.join();
    put_back(tail.pokes);
    put_back(pokes);
    // A fault in the file, or a split that was a bad guess: the sequential parse reports
    // the first fault as it would without threads, or gives the result. Other errors (out
    // of memory) are not retried.
    bool retry = false;
    for (const std::exception_ptr& error : {head_error, tail_error}) {
        if (!error) {
            continue;
        }
        try {
            std::rethrow_exception(error);
        } catch (const ParseError&) {
            retry = true;
        } catch (const SplitMismatch&) {
            retry = true;
        }
    }
    if (retry) {
        return sequential();
    }
    std::vector<Part> parts;
    parts.push_back(std::move(head));
    parts.push_back(std::move(tail));
    return parts;
}

Repodata parse_padded(const Input& in, const RepodataSource& source,
                      const RepodataParseOptions& options) {
    std::vector<Part> parts = run_workers(in, source, options);

    Repodata out;
    std::size_t conda_count = 0;
    std::size_t tar_bz2_count = 0;
    const Part* info_part = nullptr;
    for (Part& p : parts) {
        if (p.info_seen && info_part == nullptr) {
            info_part = &p;
        }
        std::move(p.removed.begin(), p.removed.end(), std::back_inserter(out.removed));
        if (p.repodata_version != 0) {
            out.info.repodata_version = p.repodata_version;
        }
        conda_count += p.conda_count;
        tar_bz2_count += p.tar_bz2_count;
    }
    if (info_part != nullptr) {
        out.info.subdir = info_part->info.subdir;
        out.info.base_url = info_part->info.base_url;
    }
    // The first part's vector has room for all records; the others are moved in after it.
    out.records = std::move(parts.front().records);
    std::vector<std::uint64_t> stems = std::move(parts.front().stems);
    std::vector<std::size_t> offsets{0};
    for (std::size_t i = 1; i < parts.size(); ++i) {
        Part& p = parts[i];
        offsets.push_back(out.records.size());
        out.records.insert(out.records.end(), std::make_move_iterator(p.records.begin()),
                           std::make_move_iterator(p.records.end()));
        stems.insert(stems.end(), p.stems.begin(), p.stems.end());
    }
    if (info_part != nullptr) {
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (parts[i].records_before_info > 0) {
                apply_late_info(out.records, offsets[i], offsets[i] + parts[i].records_before_info,
                                out.info, source);
            }
        }
    }
    if (conda_count > 0 && tar_bz2_count > 0) {
        separate_twins(out.records, out.fallbacks, stems, conda_count);
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

}  // namespace cenv::specs

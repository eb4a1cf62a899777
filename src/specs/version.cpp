#include "specs/version.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "specs/error.hpp"

// How a version is held. conda's VersionOrder keeps a list of lists of ints, floats and
// strings; here every atom is one 64-bit word, and a version's atoms sit in one flat array
// (inline for up to kInlineWords atoms, so "1.2.3" or "1.0.0rc1" need no allocation beyond
// the text):
//
//   bits 0-2  kind: Str, Dev, Num, Big, Post, in the order conda ranks them
//             (strings < numbers < post; Num < Big because Big has more digits)
//   bit  3    the atom starts a component
//   bits 4-63 Num: the value (at most 18 decimal digits, < 2^60);
//             Str, Big: offset (30 bits) and length (30 bits) of its text in text_.
//
// Str covers every lower-case run and every run of `*`. conda upper-cases `dev` to 'DEV' so
// that plain byte order puts it after `*` and before `_` and letters; Dev compares as the
// bytes "DEV" for the same result. Big holds numbers of more than 18 significant digits
// (Python's ints have no limit) as their digits, compared by length then bytes.

namespace cenv::specs {

namespace {

using Word = std::uint64_t;

enum Kind : Word { kStr = 0, kDev = 1, kNum = 2, kBig = 3, kPost = 4 };
constexpr Word kKindMask = 7;
constexpr Word kFirst = 8;
constexpr unsigned kPayloadShift = 4;
constexpr std::size_t kMaxNumDigits = 18;
constexpr std::size_t kMaxText = (std::size_t{1} << 30) - 1;
constexpr Word kZero = kNum;  // the number 0, which pads missing atoms and components

constexpr std::string_view kDevText = "DEV";

constexpr Word kind_of(Word w) noexcept {
    return w & kKindMask;
}
constexpr bool is_string(Word w) noexcept {
    return kind_of(w) <= kDev;
}
constexpr Word payload(Word w) noexcept {
    return w >> kPayloadShift;
}
constexpr Word make_num(Word value) noexcept {
    return (value << kPayloadShift) | kNum;
}
constexpr Word make_span(Kind kind, std::size_t offset, std::size_t length) noexcept {
    return ((Word{length} << 30 | Word{offset}) << kPayloadShift) | kind;
}
constexpr std::size_t span_offset(Word w) noexcept {
    return payload(w) & ((Word{1} << 30) - 1);
}
constexpr std::size_t span_length(Word w) noexcept {
    return payload(w) >> 30;
}

/// The text of a Str, Dev or Big atom.
std::string_view atom_text(Word w, const char* text) noexcept {
    if (kind_of(w) == kDev) {
        return kDevText;
    }
    return {text + span_offset(w), span_length(w)};
}

/// Python's str.isspace() for ASCII: what str.strip() and `\s` remove.
constexpr bool is_py_space(char c) noexcept {
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

constexpr bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

std::string_view py_strip(std::string_view s) noexcept {
    while (!s.empty() && is_py_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_py_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

/// Three-way comparison of two atoms with conda's rules: strings (byte order, 'DEV' as
/// upper case) < integers (by value) < post.
int compare_atoms(Word a, const char* ta, Word b, const char* tb) noexcept {
    const Word ka = kind_of(a);
    const Word kb = kind_of(b);
    if (ka == kNum && kb == kNum) {
        const Word pa = payload(a);
        const Word pb = payload(b);
        return pa < pb ? -1 : (pa > pb ? 1 : 0);
    }
    const bool sa = ka <= kDev;
    const bool sb = kb <= kDev;
    if (sa != sb) {
        return sa ? -1 : 1;
    }
    if (sa) {
        const int c = atom_text(a, ta).compare(atom_text(b, tb));
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    if (ka != kb) {
        return ka < kb ? -1 : 1;
    }
    if (ka == kBig) {
        const std::size_t la = span_length(a);
        const std::size_t lb = span_length(b);
        if (la != lb) {
            return la < lb ? -1 : 1;
        }
        const int c = std::memcmp(ta + span_offset(a), tb + span_offset(b), la);
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    return 0;  // post == post
}

/// A run of atoms: a whole part (release with epoch, or local), or some of its components.
struct Range {
    const Word* begin;
    const Word* end;
    const char* text;
};

/// The end of the component that starts at `p` (`p` < `end`).
const Word* component_end(const Word* p, const Word* end) noexcept {
    ++p;
    while (p != end && (*p & kFirst) == 0) {
        ++p;
    }
    return p;
}

/// conda's comparison of two lists of components: missing components are empty lists and
/// missing atoms are 0 (zip_longest with fill values).
int compare_ranges(Range a, Range b) noexcept {
    const Word* p = a.begin;
    const Word* q = b.begin;
    while (p != a.end || q != b.end) {
        const Word* pe = p != a.end ? component_end(p, a.end) : p;
        const Word* qe = q != b.end ? component_end(q, b.end) : q;
        while (p != pe || q != qe) {
            const Word x = p != pe ? *p++ : kZero;
            const Word y = q != qe ? *q++ : kZero;
            if (const int c = compare_atoms(x, a.text, y, b.text); c != 0) {
                return c;
            }
        }
    }
    return 0;
}

constexpr std::uint64_t mix(std::uint64_t h, std::uint64_t v) noexcept {
    // splitmix64 finaliser over the running state
    std::uint64_t z = h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t hash_bytes(std::uint64_t h, std::string_view s) noexcept {
    std::uint64_t acc = 0xcbf29ce484222325ULL;  // FNV-1a
    for (const char c : s) {
        acc = (acc ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    }
    return mix(h, acc ^ s.size());
}

/// Hashes the part so that lists equal under zero padding hash the same: trailing zeros of
/// a component and trailing all-zero components are left out.
std::uint64_t hash_range(std::uint64_t h, Range r) noexcept {
    constexpr std::uint64_t kComponentMark = 0x636f6d70;
    std::size_t pending_empty = 0;
    const Word* p = r.begin;
    while (p != r.end) {
        const Word* pe = component_end(p, r.end);
        const Word* last = pe;
        while (last != p && (*(last - 1) & ~kFirst) == kZero) {
            --last;
        }
        if (last == p) {
            ++pending_empty;
        } else {
            for (; pending_empty != 0; --pending_empty) {
                h = mix(h, kComponentMark);
            }
            h = mix(h, kComponentMark);
            for (const Word* a = p; a != last; ++a) {
                const Word w = *a & ~kFirst;
                if (kind_of(w) == kNum || kind_of(w) == kPost) {
                    h = mix(h, w);
                } else {
                    h = hash_bytes(mix(h, kind_of(w) == kBig ? kBig : kStr), atom_text(w, r.text));
                }
            }
        }
        p = pe;
    }
    return h;
}

/// The value of a Big atom's digits, or UINT64_MAX when it does not fit.
std::uint64_t big_to_u64(std::string_view digits) noexcept {
    constexpr std::string_view kMax = "18446744073709551615";
    if (digits.size() > kMax.size() || (digits.size() == kMax.size() && digits > kMax)) {
        return std::numeric_limits<std::uint64_t>::max();
    }
    std::uint64_t value = 0;
    for (const char c : digits) {
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

std::string quote(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '\'';
    out += s;
    out += '\'';
    return out;
}

[[noreturn]] void fail(std::string_view text, const std::string& what) {
    throw ParseError("invalid version " + quote(text) + ": " + what,
                     "a conda version is [epoch!]release[+local]: letters, digits and '*' in "
                     "components separated by '.', '_' or '-', e.g. 1.2.3, 2.0rc1, 1!2.0, "
                     "1.0+cuda");
}

/// Growable atom buffer for the parser: on the stack for ordinary versions.
class WordBuffer {
  public:
    void push(Word w) {
        if (size_ < kStack) {
            stack_[size_] = w;
        } else {
            if (size_ == kStack) {
                spill_.assign(stack_, stack_ + kStack);
            }
            spill_.push_back(w);
        }
        ++size_;
    }
    [[nodiscard]] const Word* data() const noexcept {
        return size_ <= kStack ? stack_ : spill_.data();
    }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

  private:
    static constexpr std::size_t kStack = 64;
    Word stack_[kStack];
    std::vector<Word> spill_;
    std::size_t size_ = 0;
};

}  // namespace

struct Version::Parts {
    std::vector<Component> release;
    std::vector<Component> local;
};

/// The parser and the algorithms that need Version's private representation.
struct VersionImpl {
    static Range release(const Version& v) noexcept {
        return {v.words(), v.words() + v.release_end_, v.text_.data()};
    }
    static Range local(const Version& v) noexcept {
        return {v.words() + v.release_end_, v.words() + v.size_, v.text_.data()};
    }

    /// Appends the number written by the digits text[begin, end).
    static void push_number(WordBuffer& out, const std::string& text, std::size_t begin,
                            std::size_t end, Word flags) {
        while (begin < end && text[begin] == '0') {
            ++begin;
        }
        const std::size_t digits = end - begin;
        if (digits > kMaxNumDigits) {
            out.push(make_span(kBig, begin, digits) | flags);
            return;
        }
        Word value = 0;
        for (std::size_t i = begin; i < end; ++i) {
            value = value * 10 + static_cast<Word>(text[i] - '0');
        }
        out.push(make_num(value) | flags);
    }

    /// Splits the component text[begin, end) into runs of digits, of `*` and of anything
    /// else, with a leading 0 when it does not start with a digit.
    static void push_component(WordBuffer& out, const std::string& text, std::size_t begin,
                               std::size_t end) {
        Word flags = kFirst;
        if (!is_digit(text[begin])) {
            out.push(kZero | kFirst);
            flags = 0;
        }
        std::size_t i = begin;
        while (i < end) {
            const char c = text[i];
            std::size_t j = i + 1;
            if (is_digit(c)) {
                while (j < end && is_digit(text[j])) {
                    ++j;
                }
                push_number(out, text, i, j, flags);
            } else {
                const bool star = c == '*';
                while (j < end && !is_digit(text[j]) && (text[j] == '*') == star) {
                    ++j;
                }
                const std::string_view run(text.data() + i, j - i);
                if (run == "post") {
                    out.push(kPost | flags);
                } else if (run == "dev") {
                    out.push(kDev | flags);
                } else {
                    out.push(make_span(kStr, i, j - i) | flags);
                }
            }
            flags = 0;
            i = j;
        }
    }

    /// Splits text[begin, end) into components at `.` and `_` (a final `_` of the release
    /// part stays in the last component, as conda does for openssl-like `1.0.1_`).
    static void push_components(WordBuffer& out, const std::string& text, std::size_t begin,
                                std::size_t end, bool keep_trailing_underscore,
                                std::string_view input) {
        const std::size_t split_end =
            keep_trailing_underscore && text[end - 1] == '_' ? end - 1 : end;
        std::size_t start = begin;
        for (std::size_t i = begin; i <= split_end; ++i) {
            if (i == split_end || text[i] == '.' || text[i] == '_') {
                const std::size_t stop = i == split_end ? end : i;
                if (stop == start) {
                    fail(input, "empty component at position " + std::to_string(start));
                }
                push_component(out, text, start, stop);
                start = i + 1;
            }
        }
    }

    static Version parse(std::string_view input) {
        const std::string_view s = py_strip(input);
        if (s.empty()) {
            fail(input, "empty version");
        }
        if (s.size() > kMaxText) {
            fail(s.substr(0, 20), "longer than " + std::to_string(kMaxText) + " characters");
        }

        Version v;
        std::string& t = v.text_;
        t.resize(s.size());
        std::size_t dash = std::string_view::npos;
        std::size_t underscore = std::string_view::npos;
        bool changed = false;
        for (std::size_t i = 0; i < s.size(); ++i) {
            char c = s[i];
            if (c >= 'A' && c <= 'Z') {
                c = static_cast<char>(c - 'A' + 'a');
                changed = true;
            } else if (c == '-') {
                c = '_';
                changed = true;
                dash = std::min(dash, i);
            } else if (c == '_') {
                underscore = std::min(underscore, i);
            } else if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '.' || c == '+' ||
                         c == '!' || c == '*')) {
                fail(s, "invalid character '" + std::string(1, c) + "' at position " +
                            std::to_string(i));
            }
            t[i] = c;
        }
        if (dash != std::string_view::npos && underscore != std::string_view::npos) {
            fail(s, "'-' at position " + std::to_string(dash) +
                        " together with '_' (conda reads '-' as '_' only when there is no '_')");
        }
        if (changed) {
            v.source_ = std::make_unique<std::string>(s);
        }

        WordBuffer out;
        // epoch
        std::size_t main_begin = 0;
        if (const std::size_t bang = t.find('!'); bang != std::string::npos) {
            if (const std::size_t again = t.find('!', bang + 1); again != std::string::npos) {
                fail(s, "second epoch separator '!' at position " + std::to_string(again));
            }
            if (bang == 0 || !std::all_of(t.begin(), t.begin() + static_cast<long>(bang),
                                          [](char c) { return is_digit(c); })) {
                fail(s, "epoch '" + t.substr(0, bang) + "' is not an integer");
            }
            push_number(out, t, 0, bang, kFirst);
            main_begin = bang + 1;
        } else {
            out.push(kZero | kFirst);
        }
        // local part
        std::size_t main_end = t.size();
        std::size_t local_begin = std::string::npos;
        if (const std::size_t plus = t.find('+', main_begin); plus != std::string::npos) {
            if (const std::size_t again = t.find('+', plus + 1); again != std::string::npos) {
                fail(s, "second local version separator '+' at position " + std::to_string(again));
            }
            main_end = plus;
            local_begin = plus + 1;
        }
        if (main_end == main_begin) {
            fail(s, local_begin != std::string::npos ? "no version before the local part '+'"
                                                     : "no version after the epoch '!'");
        }
        push_components(out, t, main_begin, main_end, true, s);
        v.release_end_ = static_cast<std::uint32_t>(out.size());
        if (local_begin != std::string::npos) {
            push_components(out, t, local_begin, t.size(), false, s);
        }

        v.size_ = static_cast<std::uint32_t>(out.size());
        if (out.size() <= Version::kInlineWords) {
            std::copy_n(out.data(), out.size(), v.inline_);
        } else {
            v.heap_ = std::make_unique<Word[]>(out.size());
            std::copy_n(out.data(), out.size(), v.heap_.get());
        }
        return v;
    }

    static Version::Atom to_atom(Word w, const std::string& text) {
        switch (kind_of(w)) {
            case kNum:
                return std::uint64_t{payload(w)};
            case kBig:
                return big_to_u64(atom_text(w, text.data()));
            case kPost:
                return std::string("post");
            case kDev:
                return std::string("dev");
            default:
                return std::string(atom_text(w, text.data()));
        }
    }

    static std::vector<Version::Component> to_components(Range r, const std::string& text) {
        std::vector<Version::Component> out;
        for (const Word* p = r.begin; p != r.end;) {
            const Word* pe = component_end(p, r.end);
            Version::Component& c = out.emplace_back();
            c.reserve(static_cast<std::size_t>(pe - p));
            for (; p != pe; ++p) {
                c.push_back(to_atom(*p, text));
            }
        }
        return out;
    }

    static const Version::Parts& parts(const Version& v) {
        if (const Version::Parts* done = v.parts_.load(std::memory_order_acquire)) {
            return *done;
        }
        Range rel = release(v);
        rel.begin = component_end(rel.begin, rel.end);  // the epoch is not part of release()
        auto built = std::make_unique<Version::Parts>(
            Version::Parts{to_components(rel, v.text_), to_components(local(v), v.text_)});
        const Version::Parts* expected = nullptr;
        if (v.parts_.compare_exchange_strong(expected, built.get(), std::memory_order_acq_rel)) {
            return *built.release();
        }
        return *expected;  // another thread was first; ours is dropped
    }
};

Version::Version() {
    reset_to_zero();
}

void Version::reset_to_zero() noexcept {
    text_.assign(1, '0');  // fits the small-string buffer: no allocation
    source_.reset();
    heap_.reset();
    inline_[0] = kZero | kFirst;
    inline_[1] = kZero | kFirst;
    size_ = 2;
    release_end_ = 2;
}

Version::Version(const Version& other)
    : text_(other.text_),
      source_(other.source_ ? std::make_unique<std::string>(*other.source_) : nullptr),
      size_(other.size_),
      release_end_(other.release_end_) {
    if (other.heap_) {
        heap_ = std::make_unique<Word[]>(size_);
        std::copy_n(other.heap_.get(), size_, heap_.get());
    } else {
        std::copy_n(other.inline_, kInlineWords, inline_);
    }
}

Version::Version(Version&& other) noexcept
    : text_(std::move(other.text_)),
      source_(std::move(other.source_)),
      size_(other.size_),
      release_end_(other.release_end_),
      heap_(std::move(other.heap_)),
      parts_(other.parts_.exchange(nullptr, std::memory_order_acq_rel)) {
    std::copy_n(other.inline_, kInlineWords, inline_);
    other.reset_to_zero();
}

Version& Version::operator=(const Version& other) {
    if (this != &other) {
        Version copy(other);
        *this = std::move(copy);
    }
    return *this;
}

Version& Version::operator=(Version&& other) noexcept {
    if (this != &other) {
        text_ = std::move(other.text_);
        source_ = std::move(other.source_);
        size_ = other.size_;
        release_end_ = other.release_end_;
        heap_ = std::move(other.heap_);
        std::copy_n(other.inline_, kInlineWords, inline_);
        delete parts_.exchange(other.parts_.exchange(nullptr, std::memory_order_acq_rel),
                               std::memory_order_acq_rel);
        other.reset_to_zero();
    }
    return *this;
}

Version::~Version() {
    delete parts_.load(std::memory_order_acquire);
}

Version Version::parse(std::string_view text) {
    return VersionImpl::parse(text);
}

std::uint64_t Version::epoch() const noexcept {
    const Word w = words()[0];
    return kind_of(w) == kNum ? payload(w) : big_to_u64(atom_text(w, text_.data()));
}

const std::vector<Version::Component>& Version::release() const noexcept {
    return VersionImpl::parts(*this).release;
}

const std::vector<Version::Component>& Version::local() const noexcept {
    return VersionImpl::parts(*this).local;
}

std::string Version::conda_repr() const {
    std::string out = "[";
    const Range r = VersionImpl::release(*this);
    for (const Word* p = r.begin; p != r.end;) {
        const Word* pe = component_end(p, r.end);
        if (p != r.begin) {
            out += ", ";
        }
        out += '[';
        for (const Word* a = p; a != pe; ++a) {
            if (a != p) {
                out += ", ";
            }
            switch (kind_of(*a)) {
                case kNum:
                    out += std::to_string(payload(*a));
                    break;
                case kBig:
                    out += atom_text(*a, text_.data());
                    break;
                case kPost:
                    out += "inf";
                    break;
                default:
                    out += quote(atom_text(*a, text_.data()));
                    break;
            }
        }
        out += ']';
        p = pe;
    }
    out += ']';
    return out;
}

std::strong_ordering operator<=>(const Version& a, const Version& b) {
    int c = compare_ranges(VersionImpl::release(a), VersionImpl::release(b));
    if (c == 0) {
        c = compare_ranges(VersionImpl::local(a), VersionImpl::local(b));
    }
    return c < 0 ? std::strong_ordering::less
                 : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
}

std::size_t Version::hash() const noexcept {
    std::uint64_t h = hash_range(0x76657273696f6eULL, VersionImpl::release(*this));
    h = hash_range(mix(h, 0x6c6f63616cULL), VersionImpl::local(*this));
    return static_cast<std::size_t>(h);
}

bool Version::starts_with(const Version& prefix) const {
    // conda's VersionOrder.startswith: the prefix's components but the last must equal
    // ours, the atoms of its last component but the last too, and its last atom must equal
    // ours, or for a string be a prefix of ours (1.1p1 starts with 1.1p).
    Range t1 = VersionImpl::release(*this);
    Range t2 = VersionImpl::release(prefix);
    if (prefix.size_ > prefix.release_end_) {
        if (compare_ranges(t1, t2) != 0) {
            return false;
        }
        t1 = VersionImpl::local(*this);
        t2 = VersionImpl::local(prefix);
    }
    const Word* last = t2.end - 1;  // the start of the prefix's last component
    std::size_t head = 0;
    while ((*last & kFirst) == 0) {
        --last;
    }
    for (const Word* p = t2.begin; p != last; ++p) {
        head += (*p & kFirst) != 0 ? 1 : 0;
    }
    const Word* p = t1.begin;
    for (std::size_t k = 0; k < head && p != t1.end; ++k) {
        p = component_end(p, t1.end);
    }
    if (compare_ranges({t1.begin, p, t1.text}, {t2.begin, last, t2.text}) != 0) {
        return false;
    }
    const Word* v1 = p;
    const std::size_t n1 = p != t1.end ? static_cast<std::size_t>(component_end(p, t1.end) - p) : 0;
    const Word* v2 = last;
    const std::size_t nt = static_cast<std::size_t>(t2.end - last) - 1;
    for (std::size_t k = 0; k < nt; ++k) {
        const Word x = k < n1 ? v1[k] : kZero;
        if (compare_atoms(x, t1.text, v2[k], t2.text) != 0) {
            return false;
        }
    }
    const Word c1 = nt < n1 ? v1[nt] : kZero;
    const Word c2 = v2[nt];
    if (is_string(c2)) {
        return is_string(c1) && atom_text(c1, t1.text).starts_with(atom_text(c2, t2.text));
    }
    return compare_atoms(c1, t1.text, c2, t2.text) == 0;
}

bool Version::compatible_with(const Version& other) const {
    if (*this < other) {
        return false;
    }
    const std::size_t dot = other.text_.rfind('.');
    if (dot == std::string::npos) {
        throw ParseError("invalid version " + quote(other.text_) +
                             " for '~=': nothing is left once its last '.'-part is cut off",
                         "'~=' needs at least two components, e.g. ~=1.2 or ~=1.2.3");
    }
    return starts_with(parse(std::string_view(other.text_).substr(0, dot)));
}

}  // namespace cenv::specs

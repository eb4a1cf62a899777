#include "channels/repodata_state.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "util/strings.hpp"

namespace cenv::channels {

namespace {

// Bumped when the file's meaning changes: an older state is then ignored.
constexpr int kStateFormat = 1;

}  // namespace

std::string state_to_json(const RepodataState& state) {
    nlohmann::json j = {{"format", kStateFormat},
                        {"url", state.url},
                        {"etag", state.etag},
                        {"last_modified", state.last_modified},
                        {"cache_control", state.cache_control},
                        {"size", state.size},
                        {"mtime_ns", state.mtime_ns},
                        {"compression", state.compression},
                        {"refreshed", state.refreshed},
                        {"missing", state.missing},
                        {"no_zst", state.no_zst}};
    return j.dump(2) + "\n";
}

std::optional<RepodataState> state_from_json(std::string_view text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("format", 0) != kStateFormat) {
        return std::nullopt;
    }
    try {
        RepodataState s;
        s.url = j.at("url").get<std::string>();
        s.etag = j.at("etag").get<std::string>();
        s.last_modified = j.at("last_modified").get<std::string>();
        s.cache_control = j.at("cache_control").get<std::string>();
        s.size = j.at("size").get<std::uint64_t>();
        s.mtime_ns = j.at("mtime_ns").get<std::int64_t>();
        s.compression = j.at("compression").get<std::string>();
        s.refreshed = j.at("refreshed").get<std::int64_t>();
        s.missing = j.at("missing").get<bool>();
        s.no_zst = j.at("no_zst").get<std::map<std::string, std::int64_t>>();
        return s;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;  // a field missing or of another type: not our state file
    }
}

std::optional<std::int64_t> cache_max_age(std::string_view cache_control) {
    std::optional<std::int64_t> out;
    for (auto part : util::split_any(cache_control, ",")) {
        const std::string directive = util::to_lower(util::trim(part));
        if (directive == "no-cache" || directive == "no-store") {
            return 0;
        }
        if (directive.starts_with("max-age=")) {
            std::int64_t value = 0;
            const char* first = directive.data() + 8;
            const char* last = directive.data() + directive.size();
            if (const auto [ptr, ec] = std::from_chars(first, last, value);
                ec == std::errc() && ptr == last && value >= 0) {
                out = value;
            }
        }
    }
    return out;
}

bool is_fresh(const RepodataState& state, std::int64_t ttl, std::int64_t now) {
    const std::int64_t age = now - state.refreshed;
    if (ttl <= 0 || age < 0) {
        return false;  // a clock set back: ask
    }
    if (ttl == 1) {
        const auto max_age = cache_max_age(state.cache_control);
        return max_age && age < *max_age;
    }
    return age < ttl;
}

bool lacks_zst(const RepodataState& state, const std::string& source, std::int64_t now) {
    const auto it = state.no_zst.find(source);
    return it != state.no_zst.end() && now - it->second < kNoZstRecheckSecs && now >= it->second;
}

bool looks_like_json_object(std::string_view head, std::string_view tail) {
    head = util::trim(head);
    tail = util::trim(tail);
    // A UTF-8 byte order mark is allowed before the object.
    if (head.starts_with("\xEF\xBB\xBF")) {
        head.remove_prefix(3);
    }
    return head.starts_with('{') && tail.ends_with('}');
}

}  // namespace cenv::channels

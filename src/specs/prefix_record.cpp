#include "specs/prefix_record.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "specs/error.hpp"
#include "specs/repodata.hpp"
#include "util/file.hpp"

namespace cenv::specs {

namespace {

std::string string_field(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::vector<std::string> string_list(const nlohmann::json& j, const char* key) {
    std::vector<std::string> out;
    const auto it = j.find(key);
    if (it != j.end() && it->is_array()) {
        for (const auto& item : *it) {
            if (item.is_string()) {
                out.push_back(item.get<std::string>());
            }
        }
    }
    return out;
}

std::vector<std::string> split_features(std::string_view text) {
    std::vector<std::string> out;
    std::string current;
    for (const char c : text) {
        if (c == ',' || c == ' ') {
            if (!current.empty()) {
                out.push_back(std::move(current));
                current.clear();
            }
        } else {
            current += c;
        }
    }
    if (!current.empty()) {
        out.push_back(std::move(current));
    }
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

// The quoted strings of a Python or JSON list: ['a', "b>=1"].
std::vector<std::string> quoted_strings(std::string_view list) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < list.size()) {
        const char quote = list[i];
        if (quote != '\'' && quote != '"') {
            ++i;
            continue;
        }
        std::string value;
        ++i;
        while (i < list.size() && list[i] != quote) {
            if (list[i] == '\\' && i + 1 < list.size()) {
                ++i;
            }
            value += list[i++];
        }
        ++i;
        out.push_back(std::move(value));
    }
    return out;
}

// The package name of a spec as history writes it (`numpy`, `numpy=1.5`, `conda-forge::x`).
std::string spec_name(std::string_view spec) {
    if (const auto sep = spec.rfind("::"); sep != std::string_view::npos) {
        spec.remove_prefix(sep + 2);
    }
    spec = trim(spec);
    std::size_t end = 0;
    while (end < spec.size() &&
           std::string_view(" =<>!~[").find(spec[end]) == std::string_view::npos) {
        ++end;
    }
    std::string name(spec.substr(0, end));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name;
}

nlohmann::json parse_object(std::string_view json, std::string_view file) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(json);
    } catch (const nlohmann::json::parse_error& e) {
        throw ParseError(std::string(file) + ": not valid JSON: " + e.what(),
                         "the file is damaged; reinstall the package or remove the file");
    }
    if (!j.is_object()) {
        throw ParseError(std::string(file) + ": not a JSON object",
                         "a conda-meta record is a JSON object with name, version and build");
    }
    return j;
}

PackageRecord record_from_object(const nlohmann::json& j, std::string_view file) {
    PackageRecord r;
    r.name = string_field(j, "name");
    r.version = string_field(j, "version");
    r.build = string_field(j, "build");
    if (r.build.empty()) {
        r.build = string_field(j, "build_string");
    }
    if (r.name.empty() || r.version.empty() || r.build.empty()) {
        throw ParseError(std::string(file) + ": the record lacks name, version or build",
                         "a conda-meta record names its package with name, version and build");
    }
    if (const auto it = j.find("build_number"); it != j.end() && it->is_number_unsigned()) {
        r.build_number = it->get<std::uint64_t>();
    }
    r.depends = string_list(j, "depends");
    r.constrains = string_list(j, "constrains");
    if (const auto it = j.find("track_features"); it != j.end()) {
        if (it->is_string()) {
            r.track_features = split_features(it->get<std::string>());
        } else {
            r.track_features = string_list(j, "track_features");
        }
    }
    r.features = string_field(j, "features");
    r.license = string_field(j, "license");
    r.license_family = string_field(j, "license_family");
    r.md5 = string_field(j, "md5");
    r.sha256 = string_field(j, "sha256");
    if (const auto it = j.find("size"); it != j.end() && it->is_number_unsigned()) {
        r.size = it->get<std::uint64_t>();
    }
    if (const auto it = j.find("timestamp"); it != j.end() && it->is_number_unsigned()) {
        r.timestamp = timestamp_to_ms(it->get<std::uint64_t>());
    }
    r.subdir = string_field(j, "subdir");
    if (const auto it = j.find("noarch"); it != j.end()) {
        if (it->is_boolean()) {
            r.noarch = it->get<bool>() ? NoArchType::generic : NoArchType::none;
        } else if (it->is_string()) {
            const auto kind = it->get<std::string>();
            r.noarch = kind == "python"    ? NoArchType::python
                       : kind == "generic" ? NoArchType::generic
                                           : NoArchType::none;
        }
    }
    r.platform = string_field(j, "platform");
    r.arch = string_field(j, "arch");
    r.python_site_packages_path = string_field(j, "python_site_packages_path");
    r.fn = string_field(j, "fn");
    r.url = string_field(j, "url");
    r.channel = string_field(j, "channel");
    return r;
}

}  // namespace

PackageRecord parse_prefix_record(std::string_view json, std::string_view file) {
    return record_from_object(parse_object(json, file), file);
}

std::vector<std::string> parse_prefix_record_files(std::string_view json, std::string_view file) {
    return string_list(parse_object(json, file), "files");
}

PackageRecord PrefixRecord::package() const {
    return record_from_object(metadata, "conda-meta record");
}

std::string PrefixRecord::file_name() const {
    return string_field(metadata, "name") + '-' + string_field(metadata, "version") + '-' +
           string_field(metadata, "build") + ".json";
}

PrefixRecord parse_full_prefix_record(std::string_view json, std::string_view file) {
    nlohmann::json j = parse_object(json, file);
    (void)record_from_object(j, file);  // name, version and build must be there
    PrefixRecord record;
    // A prefix key is taken out of the metadata only when it has the type conda gives it;
    // anything else (a null written by another tool) stays as it was, to be written back.
    if (const auto it = j.find("files"); it != j.end() && it->is_array()) {
        record.files = string_list(j, "files");
        j.erase(it);
    }
    if (const auto it = j.find("paths_data"); it != j.end() && it->is_object()) {
        record.paths_data = paths_data_from_json(*it, file);
        j.erase(it);
    }
    if (const auto it = j.find("link"); it != j.end() && it->is_object()) {
        PrefixRecord::Link link;
        link.source = string_field(*it, "source");
        if (const auto type = it->find("type"); type != it->end() && type->is_number_integer()) {
            link.type = static_cast<LinkType>(type->get<int>());
        }
        record.link = std::move(link);
        j.erase(it);
    }
    const auto take = [&j](const char* key, std::optional<std::string>& out) {
        if (const auto it = j.find(key); it != j.end() && it->is_string()) {
            out = it->get<std::string>();
            j.erase(it);
        }
    };
    take("requested_spec", record.requested_spec);
    take("extracted_package_dir", record.extracted_package_dir);
    take("package_tarball_full_path", record.package_tarball_full_path);
    record.metadata = std::move(j);
    return record;
}

namespace {

// `text` as a JSON string the way Python's json module writes it with ensure_ascii: `"`,
// `\\` and control characters escaped, everything above ASCII as \uXXXX (UTF-16).
void append_json_string(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    const auto unicode = [&out](unsigned code) {
        out += "\\u";
        for (int shift = 12; shift >= 0; shift -= 4) {
            out += kHex[(code >> shift) & 0xF];
        }
    };
    out += '"';
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            out += static_cast<char>(c);
            continue;
        }
        switch (c) {
            case '"':
                out += "\\\"";
                continue;
            case '\\':
                out += "\\\\";
                continue;
            case '\n':
                out += "\\n";
                continue;
            case '\r':
                out += "\\r";
                continue;
            case '\t':
                out += "\\t";
                continue;
            case '\b':
                out += "\\b";
                continue;
            case '\f':
                out += "\\f";
                continue;
            default:
                break;
        }
        if (c < 0x20) {
            unicode(c);
            continue;
        }
        // UTF-8 to a code point; a malformed sequence becomes U+FFFD.
        const int length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
        unsigned code = length == 4 ? c & 0x07U : length == 3 ? c & 0x0FU : c & 0x1FU;
        bool valid = length > 0 && i + static_cast<std::size_t>(length) <= text.size();
        for (int k = 1; valid && k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
            valid = (next & 0xC0) == 0x80;
            code = (code << 6) | (next & 0x3FU);
        }
        if (!valid) {
            unicode(0xFFFD);
            continue;
        }
        i += static_cast<std::size_t>(length - 1);
        if (code >= 0x10000) {
            code -= 0x10000;
            unicode(0xD800 + (code >> 10));
            unicode(0xDC00 + (code & 0x3FF));
        } else {
            unicode(code);
        }
    }
    out += '"';
}

// A value nested one level in the record: nlohmann's dump (Python's layout for every type)
// indented by two more spaces.
void append_nested(std::string& out, const nlohmann::json& value) {
    const std::string text = value.dump(2, ' ', true);
    for (const char c : text) {
        out += c;
        if (c == '\n') {
            out += "  ";
        }
    }
}

void append_files(std::string& out, const std::vector<std::string>& files) {
    if (files.empty()) {
        out += "[]";
        return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < files.size(); ++i) {
        out += "    ";
        append_json_string(out, files[i]);
        out += i + 1 < files.size() ? ",\n" : "\n";
    }
    out += "  ]";
}

// paths_data, keys in sorted order, as Python writes it; hand-written because records of
// large packages have tens of thousands of entries.
void append_paths_data(std::string& out, const PathsData& data) {
    out += "{\n    \"paths\": ";
    if (data.paths.empty()) {
        out += "[]";
    } else {
        out += "[\n";
        for (std::size_t i = 0; i < data.paths.size(); ++i) {
            const PathEntry& e = data.paths[i];
            const auto key = [&out](const char* name) {
                out += ",\n        \"";
                out += name;
                out += "\": ";
            };
            out += "      {\n        \"_path\": ";
            append_json_string(out, e.path);
            if (e.file_mode != FileMode::none) {
                key("file_mode");
                append_json_string(out, to_string(e.file_mode));
            }
            if (e.no_link) {
                key("no_link");
                out += "true";
            }
            key("path_type");
            append_json_string(out, to_string(e.type));
            if (e.file_mode != FileMode::none) {
                key("prefix_placeholder");
                append_json_string(out, e.prefix_placeholder);
            }
            if (!e.sha256.empty()) {
                key("sha256");
                append_json_string(out, e.sha256);
            }
            if (!e.sha256_in_prefix.empty()) {
                key("sha256_in_prefix");
                append_json_string(out, e.sha256_in_prefix);
            }
            if (e.size_in_bytes) {
                key("size_in_bytes");
                out += std::to_string(*e.size_in_bytes);
            }
            out += i + 1 < data.paths.size() ? "\n      },\n" : "\n      }\n";
        }
        out += "    ]";
    }
    out += ",\n    \"paths_version\": " + std::to_string(data.paths_version) + "\n  }";
}

}  // namespace

std::string prefix_record_text(const PrefixRecord& record) {
    // The top-level keys in sorted order, each with what writes its value.
    std::map<std::string, std::function<void(std::string&)>> keys;
    for (const auto& [key, value] : record.metadata.items()) {
        keys[key] = [&value](std::string& out) { append_nested(out, value); };
    }
    if (!record.metadata.contains("files")) {
        keys["files"] = [&record](std::string& out) { append_files(out, record.files); };
    }
    if (record.paths_data) {
        keys["paths_data"] = [&record](std::string& out) {
            append_paths_data(out, *record.paths_data);
        };
    }
    if (record.link) {
        keys["link"] = [&record](std::string& out) {
            out += "{\n    \"source\": ";
            append_json_string(out, record.link->source);
            out +=
                ",\n    \"type\": " + std::to_string(static_cast<int>(record.link->type)) + "\n  }";
        };
    }
    const auto put = [&keys](const char* key, const std::optional<std::string>& value) {
        if (value) {
            keys[key] = [&value](std::string& out) { append_json_string(out, *value); };
        }
    };
    put("requested_spec", record.requested_spec);
    put("extracted_package_dir", record.extracted_package_dir);
    put("package_tarball_full_path", record.package_tarball_full_path);

    std::string out;
    out.reserve(256 + record.files.size() * 300);
    out += '{';
    bool first = true;
    for (const auto& [key, write] : keys) {
        out += first ? "\n  " : ",\n  ";
        first = false;
        append_json_string(out, key);
        out += ": ";
        write(out);
    }
    out += first ? "}" : "\n}";
    return out;
}

std::vector<PackageRecord> load_prefix_records(const std::filesystem::path& prefix) {
    std::vector<PackageRecord> out;
    const auto meta = prefix / "conda-meta";
    std::error_code ec;
    if (!std::filesystem::is_directory(meta, ec)) {
        return out;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(meta)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        out.push_back(parse_prefix_record(util::read_file(file), file.string()));
    }
    std::sort(out.begin(), out.end(),
              [](const PackageRecord& a, const PackageRecord& b) { return a.name < b.name; });
    return out;
}

std::vector<PackageRecord> list_prefix_records(const std::filesystem::path& prefix) {
    std::vector<PackageRecord> out;
    std::error_code ec;
    std::filesystem::directory_iterator it(prefix / "conda-meta", ec);
    for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        const std::string file = it->path().filename().string();
        if (!file.ends_with(".json")) {
            continue;
        }
        const std::string_view dist = std::string_view(file).substr(0, file.size() - 5);
        const auto build_sep = dist.rfind('-');
        const auto version_sep = build_sep == std::string_view::npos || build_sep == 0
                                     ? std::string_view::npos
                                     : dist.rfind('-', build_sep - 1);
        if (version_sep == std::string_view::npos || version_sep == 0 ||
            build_sep == version_sep + 1 || build_sep + 1 == dist.size()) {
            continue;
        }
        PackageRecord r;
        r.name = dist.substr(0, version_sep);
        r.version = dist.substr(version_sep + 1, build_sep - version_sep - 1);
        r.build = dist.substr(build_sep + 1);
        out.push_back(std::move(r));
    }
    std::sort(out.begin(), out.end(),
              [](const PackageRecord& a, const PackageRecord& b) { return a.name < b.name; });
    return out;
}

std::vector<std::string> parse_history_specs(std::string_view history) {
    std::vector<std::string> order;           // names in order of first request
    std::map<std::string, std::string> spec;  // name -> latest spec
    std::size_t pos = 0;
    while (pos <= history.size()) {
        const std::size_t end = std::min(history.find('\n', pos), history.size());
        const std::string_view line = trim(history.substr(pos, end - pos));
        pos = end + 1;
        if (line.size() < 2 || line[0] != '#') {
            continue;
        }
        const std::string_view body = trim(line.substr(1));
        const auto colon = body.find(':');
        if (colon == std::string_view::npos) {
            continue;
        }
        const std::string_view head = trim(body.substr(0, colon));
        const bool add =
            head == "update specs" || head == "install specs" || head == "create specs";
        const bool drop = head == "remove specs" || head == "uninstall specs";
        if (!add && !drop) {
            continue;
        }
        for (auto& s : quoted_strings(body.substr(colon + 1))) {
            const std::string name = spec_name(s);
            if (name.empty()) {
                continue;
            }
            if (add) {
                if (spec.find(name) == spec.end()) {
                    order.push_back(name);
                }
                spec[name] = std::move(s);
            } else {
                spec.erase(name);
            }
        }
        if (end == history.size()) {
            break;
        }
    }
    std::vector<std::string> out;
    for (const auto& name : order) {
        if (const auto it = spec.find(name); it != spec.end()) {
            out.push_back(it->second);
            spec.erase(it);
        }
    }
    return out;
}

namespace {

// A string as Python's repr() writes it: single quotes unless the text has one and no
// double quote.
std::string python_repr(std::string_view text) {
    const bool double_quotes =
        text.find('\'') != std::string_view::npos && text.find('"') == std::string_view::npos;
    const char quote = double_quotes ? '"' : '\'';
    std::string out(1, quote);
    for (const char c : text) {
        if (c == '\\' || c == quote) {
            out += '\\';
        }
        out += c;
    }
    out += quote;
    return out;
}

}  // namespace

std::string format_history_entry(const HistoryEntry& entry) {
    std::string out = "==> " + entry.when + " <==\n";
    if (!entry.command.empty()) {
        out += "# cmd: " + entry.command + "\n";
    }
    auto removed = entry.removed;
    auto added = entry.added;
    std::sort(removed.begin(), removed.end());
    std::sort(added.begin(), added.end());
    for (const auto& dist : removed) {
        out += "-" + dist + "\n";
    }
    for (const auto& dist : added) {
        out += "+" + dist + "\n";
    }
    if (!entry.specs_action.empty()) {
        out += "# " + entry.specs_action + " specs: [";
        for (std::size_t i = 0; i < entry.specs.size(); ++i) {
            out += (i == 0 ? "" : ", ") + python_repr(entry.specs[i]);
        }
        out += "]\n";
    }
    return out;
}

std::string history_dist(const PackageRecord& record) {
    constexpr std::string_view kAlias = "https://conda.anaconda.org/";
    std::string channel = record.channel.empty() ? std::string("<unknown>") : record.channel;
    if (channel.starts_with(kAlias) && channel.size() > kAlias.size()) {
        channel.erase(0, kAlias.size());
    }
    while (channel.size() > 1 && channel.back() == '/') {
        channel.pop_back();
    }
    if (!record.subdir.empty() && !channel.ends_with("/" + record.subdir)) {
        channel += "/" + record.subdir;
    }
    return channel + "::" + record.dist_str();
}

std::vector<std::string> parse_pinned_specs(std::string_view pinned) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < pinned.size()) {
        const std::size_t end = std::min(pinned.find('\n', pos), pinned.size());
        std::string_view line = pinned.substr(pos, end - pos);
        pos = end + 1;
        if (const auto hash = line.find('#'); hash != std::string_view::npos) {
            line = line.substr(0, hash);
        }
        line = trim(line);
        if (!line.empty()) {
            out.emplace_back(line);
        }
    }
    return out;
}

}  // namespace cenv::specs

#include "specs/paths_data.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>
#include <nlohmann/json.hpp>

#include "specs/error.hpp"
#include "util/strings.hpp"

namespace cenv::specs {

namespace {

constexpr std::array<std::pair<PathType, std::string_view>, 8> kPathTypes{{
    {PathType::hardlink, "hardlink"},
    {PathType::softlink, "softlink"},
    {PathType::directory, "directory"},
    {PathType::pyc_file, "pyc_file"},
    {PathType::unix_python_entry_point, "unix_python_entry_point"},
    {PathType::windows_python_entry_point_script, "windows_python_entry_point_script"},
    {PathType::windows_python_entry_point_exe, "windows_python_entry_point_exe"},
    {PathType::linked_package_record, "linked_package_record"},
}};

std::string string_at(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// The words of a has_prefix line: split at blanks, a part may be quoted with " or '.
std::vector<std::string> has_prefix_words(std::string_view line) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && util::is_space(line[i])) {
            ++i;
        }
        if (i == line.size()) {
            break;
        }
        std::string word;
        if (line[i] == '"' || line[i] == '\'') {
            const char quote = line[i++];
            while (i < line.size() && line[i] != quote) {
                word += line[i++];
            }
            ++i;
        } else {
            while (i < line.size() && !util::is_space(line[i])) {
                word += line[i++];
            }
        }
        words.push_back(std::move(word));
    }
    return words;
}

template <typename F>
void for_each_line(std::string_view text, F&& f) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = util::trim(text.substr(pos, end - pos));
        if (!line.empty()) {
            f(line);
        }
        pos = end + 1;
    }
}

}  // namespace

std::string_view to_string(PathType type) noexcept {
    for (const auto& [t, name] : kPathTypes) {
        if (t == type) {
            return name;
        }
    }
    return "hardlink";
}

std::optional<PathType> parse_path_type(std::string_view text) noexcept {
    for (const auto& [t, name] : kPathTypes) {
        if (name == text) {
            return t;
        }
    }
    return std::nullopt;
}

std::string_view to_string(FileMode mode) noexcept {
    switch (mode) {
        case FileMode::text:
            return "text";
        case FileMode::binary:
            return "binary";
        case FileMode::none:
            break;
    }
    return "";
}

namespace {

ParseError damaged(std::string_view file, const std::string& what) {
    return ParseError(fmt::format("{}: {}", file, what),
                      "the package's info/paths.json is damaged; remove the package from the "
                      "cache (cenv clean --pkgs) and install it again");
}

// One entry's fields as a JSON reader found them (empty: absent), whichever reader it was.
struct EntryFields {
    std::string path;
    std::string type;
    std::string mode;
    std::string placeholder;
    std::string sha256;
    std::string sha256_in_prefix;
    std::optional<bool> no_link;
    std::optional<std::uint64_t> size;
};

PathEntry entry_from(EntryFields fields, std::size_t index, std::string_view file) {
    PathEntry entry;
    entry.path = std::move(fields.path);
    if (entry.path.empty()) {
        throw damaged(file, fmt::format("entry {} has no '_path'", index));
    }
    if (!fields.type.empty()) {
        const auto parsed = parse_path_type(fields.type);
        if (!parsed) {
            throw damaged(
                file, fmt::format("'{}' has an unknown path_type '{}'", entry.path, fields.type));
        }
        entry.type = *parsed;
    }
    entry.prefix_placeholder = std::move(fields.placeholder);
    const std::string& mode = fields.mode;
    if (mode == "binary") {
        entry.file_mode = FileMode::binary;
    } else if (mode == "text" || (!entry.prefix_placeholder.empty() && mode.empty())) {
        entry.file_mode = FileMode::text;
    } else if (!mode.empty()) {
        throw damaged(file, fmt::format("'{}' has an unknown file_mode '{}'", entry.path, mode));
    }
    entry.no_link = fields.no_link.value_or(false);
    entry.sha256 = std::move(fields.sha256);
    entry.sha256_in_prefix = std::move(fields.sha256_in_prefix);
    entry.size_in_bytes = fields.size;
    return entry;
}

}  // namespace

PathsData paths_data_from_json(const nlohmann::json& object, std::string_view file) {
    if (!object.is_object()) {
        throw damaged(file, "not a JSON object");
    }
    PathsData data;
    if (const auto it = object.find("paths_version"); it != object.end() && it->is_number()) {
        data.paths_version = it->get<int>();
    }
    const auto paths = object.find("paths");
    if (paths == object.end() || !paths->is_array()) {
        throw damaged(file, "no 'paths' list");
    }
    data.paths.reserve(paths->size());
    for (const auto& item : *paths) {
        EntryFields fields{string_at(item, "_path"),
                           string_at(item, "path_type"),
                           string_at(item, "file_mode"),
                           string_at(item, "prefix_placeholder"),
                           string_at(item, "sha256"),
                           string_at(item, "sha256_in_prefix"),
                           {},
                           {}};
        if (const auto it = item.find("no_link"); it != item.end() && it->is_boolean()) {
            fields.no_link = it->get<bool>();
        }
        if (const auto it = item.find("size_in_bytes");
            it != item.end() && it->is_number_unsigned()) {
            fields.size = it->get<std::uint64_t>();
        }
        data.paths.push_back(entry_from(std::move(fields), data.paths.size(), file));
    }
    return data;
}

PathsData parse_paths_json(std::string_view json, std::string_view file) {
    // A hot path of every install (one paths.json per package, up to tens of thousands of
    // entries): simdjson's DOM parser, entries read in one pass.
    simdjson::dom::parser parser;
    const simdjson::padded_string padded(json);
    simdjson::dom::element root;
    if (const auto error = parser.parse(padded).get(root); error) {
        throw damaged(file, fmt::format("not valid JSON: {}", simdjson::error_message(error)));
    }
    simdjson::dom::object object;
    if (root.get(object)) {
        throw damaged(file, "not a JSON object");
    }
    PathsData data;
    std::int64_t version = 0;
    if (!object["paths_version"].get(version)) {
        data.paths_version = static_cast<int>(version);
    }
    simdjson::dom::array paths;
    if (object["paths"].get(paths)) {
        throw damaged(file, "no 'paths' list");
    }
    data.paths.reserve(paths.size());
    const auto text = [](simdjson::dom::object item, const char* key) {
        std::string_view value;
        return item[key].get(value) ? std::string() : std::string(value);
    };
    for (const simdjson::dom::element element : paths) {
        simdjson::dom::object item;
        if (element.get(item)) {
            throw damaged(file, fmt::format("entry {} is not an object", data.paths.size()));
        }
        EntryFields fields{text(item, "_path"),
                           text(item, "path_type"),
                           text(item, "file_mode"),
                           text(item, "prefix_placeholder"),
                           text(item, "sha256"),
                           text(item, "sha256_in_prefix"),
                           {},
                           {}};
        if (bool no_link = false; !item["no_link"].get(no_link)) {
            fields.no_link = no_link;
        }
        if (std::uint64_t size = 0; !item["size_in_bytes"].get(size)) {
            fields.size = size;
        }
        data.paths.push_back(entry_from(std::move(fields), data.paths.size(), file));
    }
    return data;
}

PathsData paths_from_legacy(std::string_view files, std::string_view has_prefix,
                            std::string_view no_link, std::string_view file) {
    PathsData data;
    std::vector<std::string> copies;
    for_each_line(no_link, [&](std::string_view line) { copies.emplace_back(line); });
    for_each_line(files, [&](std::string_view line) {
        PathEntry entry;
        entry.path = std::string(line);
        entry.no_link = std::find(copies.begin(), copies.end(), entry.path) != copies.end();
        data.paths.push_back(std::move(entry));
    });
    for_each_line(has_prefix, [&](std::string_view line) {
        const auto words = has_prefix_words(line);
        std::string placeholder(kDefaultPrefixPlaceholder);
        FileMode mode = FileMode::text;
        std::string path;
        if (words.size() == 1) {
            path = words[0];
        } else if (words.size() == 3 && (words[1] == "text" || words[1] == "binary")) {
            placeholder = words[0];
            mode = words[1] == "binary" ? FileMode::binary : FileMode::text;
            path = words[2];
        } else {
            throw ParseError(fmt::format("{}: a has_prefix line is not 'PATH' or 'PLACEHOLDER "
                                         "MODE PATH': {}",
                                         file, line),
                             "the package is damaged; rebuild it or use another build");
        }
        for (auto& entry : data.paths) {
            if (entry.path == path) {
                entry.file_mode = mode;
                entry.prefix_placeholder = placeholder;
            }
        }
    });
    return data;
}

nlohmann::json paths_data_to_json(const PathsData& data) {
    nlohmann::json paths = nlohmann::json::array();
    paths.get_ref<nlohmann::json::array_t&>().reserve(data.paths.size());
    for (const auto& entry : data.paths) {
        nlohmann::json item = nlohmann::json::object();
        item["_path"] = entry.path;
        item["path_type"] = std::string(to_string(entry.type));
        if (entry.file_mode != FileMode::none) {
            item["file_mode"] = std::string(to_string(entry.file_mode));
            item["prefix_placeholder"] = entry.prefix_placeholder;
        }
        if (entry.no_link) {
            item["no_link"] = true;
        }
        if (!entry.sha256.empty()) {
            item["sha256"] = entry.sha256;
        }
        if (!entry.sha256_in_prefix.empty()) {
            item["sha256_in_prefix"] = entry.sha256_in_prefix;
        }
        if (entry.size_in_bytes) {
            item["size_in_bytes"] = *entry.size_in_bytes;
        }
        paths.push_back(std::move(item));
    }
    return {{"paths", std::move(paths)}, {"paths_version", data.paths_version}};
}

}  // namespace cenv::specs

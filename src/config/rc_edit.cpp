#include "config/rc_edit.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/error.hpp"
#include "config/keys.hpp"
#include "config/rc_file.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

namespace cenv::config {

namespace {

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = std::min(text.find('\n', start), text.size());
        lines.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

bool is_blank_or_comment(std::string_view line) {
    const auto t = util::trim(line);
    return t.empty() || t.front() == '#';
}

// Whether `line` opens the top-level key `key` (`key:` at column 0, maybe quoted).
bool opens_key(std::string_view line, std::string_view key) {
    for (const std::string& k :
         {std::string(key), fmt::format("\"{}\"", key), fmt::format("'{}'", key)}) {
        if (line.starts_with(k)) {
            const auto rest = util::trim(line.substr(k.size()));
            if (rest.starts_with(':')) {
                return true;
            }
        }
    }
    return false;
}

// Whether `line` ends the block of a top-level key: another key or a document marker.
bool ends_block(std::string_view line) {
    if (line.empty() || line.front() == ' ' || line.front() == '\t' || line.front() == '#') {
        return false;
    }
    if (line.starts_with("---") || line.starts_with("...")) {
        return true;
    }
    return !line.starts_with('-');
}

std::string emit(std::string_view key, const KeyInfo& info, const Value& value) {
    YAML::Emitter out;
    out << YAML::BeginMap << YAML::Key << std::string(key) << YAML::Value;
    if (is_scalar(info.type)) {
        out << value.scalar;
    } else if (info.type == KeyType::list) {
        if (value.list.empty()) {
            out << YAML::Flow;
        }
        out << YAML::BeginSeq;
        for (const auto& item : value.list) {
            out << item;
        }
        out << YAML::EndSeq;
    } else {
        if (value.map.empty()) {
            out << YAML::Flow;
        }
        out << YAML::BeginMap;
        for (const auto& [name, items] : value.map) {
            out << YAML::Key << name << YAML::Value;
            if (info.type == KeyType::string_map) {
                out << (items.empty() ? std::string{} : items.front());
            } else {
                out << YAML::BeginSeq;
                for (const auto& item : items) {
                    out << item;
                }
                out << YAML::EndSeq;
            }
        }
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

Value current_value(const Layer& layer, std::string_view key) {
    for (const auto& [name, setting] : layer.settings) {
        if (name == key) {
            return setting.value;
        }
    }
    return {};
}

void add_item(std::vector<std::string>& items, const std::string& item, bool front) {
    std::erase(items, item);
    if (front) {
        items.insert(items.begin(), item);
    } else {
        items.push_back(item);
    }
}

void remove_item(std::vector<std::string>& items, const std::string& item, const std::string& key) {
    if (std::find(items.begin(), items.end(), item) == items.end()) {
        throw ConfigError(fmt::format("'{}' is not in '{}'", item, key),
                          fmt::format("see the current value with: cenv config get {}", key));
    }
    std::erase(items, item);
}

std::vector<std::string> split_commas(std::string_view text) {
    std::vector<std::string> items;
    for (const auto piece : util::split_any(text, ",")) {
        if (const auto item = util::trim(piece); !item.empty()) {
            items.emplace_back(item);
        }
    }
    return items;
}

}  // namespace

std::string replace_key(std::string_view text, const std::string& source, std::string_view key,
                        const Value* value) {
    const KeyInfo* info = find_key(key);
    if (info == nullptr) {
        throw ConfigError(fmt::format("unknown setting '{}'", key));
    }
    std::vector<std::string> lines = split_lines(text);
    std::size_t begin = lines.size();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (opens_key(lines[i], key)) {
            begin = i;
            break;
        }
    }
    std::string block = value != nullptr ? emit(key, *info, *value) : std::string{};
    std::string out;
    if (begin == lines.size()) {
        out = std::string(text);
        if (!out.empty() && out.back() != '\n') {
            out += '\n';
        }
        out += block;
    } else {
        std::size_t end = begin + 1;
        while (end < lines.size() && !ends_block(lines[end])) {
            ++end;
        }
        // Comments and blank lines at the end of the block belong to what follows.
        while (end > begin + 1 && is_blank_or_comment(lines[end - 1])) {
            --end;
        }
        for (std::size_t i = 0; i < begin; ++i) {
            out += lines[i] + '\n';
        }
        for (std::size_t i = begin + 1; i < end; ++i) {
            if (util::trim(lines[i]).starts_with('#')) {
                out += std::string(util::trim(lines[i])) + '\n';
            }
        }
        out += block;
        for (std::size_t i = end; i < lines.size(); ++i) {
            out += lines[i] + '\n';
        }
    }
    // Check the result reads back as intended before anyone writes it.
    const Layer check = parse_rc(out, source);
    const Value expected = value != nullptr ? *value : Value{};
    const Value got = current_value(check, key);
    if (!(got == expected)) {
        throw ConfigError(
            fmt::format("{}: cannot edit '{}' safely in this file's layout", source, key),
            "write the file in block style ('key: value' lines at the start of a line) or edit "
            "it by hand; nothing was written");
    }
    return out;
}

std::string apply_edit(std::string_view text, const std::string& source, const Edit& edit) {
    const Layer layer = parse_rc(text, source);  // malformed: throws, nothing written
    std::string key = edit.key;
    std::string entry;
    if (const auto dot = key.find('.'); dot != std::string::npos) {
        entry = key.substr(dot + 1);
        key.resize(dot);
    }
    const KeyInfo* info = find_key(key);
    if (info == nullptr) {
        throw ConfigError(fmt::format("unknown setting '{}'", edit.key),
                          "see the known settings with: cenv config list");
    }
    if (!entry.empty() && !is_map(info->type)) {
        throw ConfigError(
            fmt::format("'{}' is not a mapping, so '{}' names nothing", key, edit.key));
    }
    if (entry.empty() && is_map(info->type) && edit.op != EditOp::remove_key) {
        throw ConfigError(fmt::format("'{}' is a mapping: name an entry", key),
                          fmt::format("for example: cenv config set {}.NAME VALUE", key));
    }
    Value value = current_value(layer, key);
    const std::string& where = source;
    switch (edit.op) {
        case EditOp::remove_key:
            if (entry.empty()) {
                const bool present =
                    std::any_of(layer.settings.begin(), layer.settings.end(),
                                [&](const auto& setting) { return setting.first == key; });
                if (!present) {
                    throw ConfigError(fmt::format("{}: '{}' is not set there", source, key),
                                      "see where it is set with: cenv config list --sources");
                }
                return replace_key(text, source, key, nullptr);
            } else {
                const auto before = value.map.size();
                std::erase_if(value.map, [&](const auto& e) { return e.first == entry; });
                if (value.map.size() == before) {
                    throw ConfigError(fmt::format("'{}' has no entry '{}'", key, entry));
                }
            }
            break;
        case EditOp::set:
            if (is_scalar(info->type)) {
                value.scalar = normalise_scalar(*info, edit.value, where);
            } else if (info->type == KeyType::list) {
                value.list = split_commas(edit.value);
            } else {
                auto items = info->type == KeyType::string_map
                                 ? std::vector<std::string>{std::string(util::trim(edit.value))}
                                 : split_commas(edit.value);
                bool found = false;
                for (auto& [name, values] : value.map) {
                    if (name == entry) {
                        values = items;
                        found = true;
                    }
                }
                if (!found) {
                    value.map.emplace_back(entry, std::move(items));
                }
            }
            break;
        case EditOp::append:
        case EditOp::prepend:
        case EditOp::remove: {
            std::vector<std::string>* items = nullptr;
            if (info->type == KeyType::list) {
                items = &value.list;
            } else if (info->type == KeyType::list_map) {
                for (auto& [name, values] : value.map) {
                    if (name == entry) {
                        items = &values;
                    }
                }
                if (items == nullptr) {
                    if (edit.op == EditOp::remove) {
                        throw ConfigError(fmt::format("'{}' has no entry '{}'", key, entry));
                    }
                    value.map.emplace_back(entry, std::vector<std::string>{});
                    items = &value.map.back().second;
                }
            } else {
                throw ConfigError(fmt::format("'{}' holds one value, not a list", edit.key),
                                  fmt::format("use: cenv config set {} VALUE", edit.key));
            }
            const std::string item(util::trim(edit.value));
            if (edit.op == EditOp::remove) {
                remove_item(*items, item, edit.key);
            } else {
                add_item(*items, item, edit.op == EditOp::prepend);
            }
            break;
        }
    }
    return replace_key(text, source, key, &value);
}

void edit_rc_file(const std::filesystem::path& path, const Edit& edit) {
    update_rc_file(path, [&](std::string_view text, const std::string& source) {
        return apply_edit(text, source, edit);
    });
}

void update_rc_file(
    const std::filesystem::path& path,
    const std::function<std::string(std::string_view text, const std::string& source)>& change) {
    std::error_code ec;
    std::filesystem::path target = path;
    if (std::filesystem::is_symlink(path, ec)) {
        // Edit the file a link points at, and keep the link.
        target = std::filesystem::canonical(path, ec);
        if (ec) {
            target = path;
        }
    }
    const std::string text =
        std::filesystem::exists(target, ec) ? util::read_file(target) : std::string{};
    write_file_atomically(target, change(text, target.string()));
}

void write_file_atomically(const std::filesystem::path& path, std::string_view text, bool durable) {
    const auto fail = [&](std::string_view what) {
        return ConfigError(
            fmt::format("cannot write {}: {}: {}", path.string(), what, std::strerror(errno)),
            "check that the folder exists and is writable");
    };
    std::error_code ec;
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path(), ec);
    }
    mode_t mode = 0644;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        mode = st.st_mode & 07777;
    }
    const std::string temp =
        (path.parent_path() / fmt::format(".{}.tmp-{}", path.filename().string(), ::getpid()))
            .string();
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        throw fail("creating a temporary file");
    }
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            const int saved = errno;
            ::close(fd);
            ::unlink(temp.c_str());
            errno = saved;
            throw fail("writing");
        }
        written += static_cast<std::size_t>(n);
    }
    if ((durable && ::fsync(fd) != 0) || ::close(fd) != 0) {
        const int saved = errno;
        ::unlink(temp.c_str());
        errno = saved;
        throw fail("flushing");
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int saved = errno;
        ::unlink(temp.c_str());
        errno = saved;
        throw fail("renaming the temporary file");
    }
}

}  // namespace cenv::config

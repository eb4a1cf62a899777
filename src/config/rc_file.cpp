#include "config/rc_file.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/error.hpp"
#include "config/keys.hpp"
#include "util/file.hpp"

namespace cenv::config {

namespace {

Origin origin_of(const std::string& source, const YAML::Mark& mark) {
    return Origin{source, mark.line + 1, mark.column + 1};
}

std::string where(const std::string& source, const YAML::Mark& mark) {
    return origin_of(source, mark).str();
}

ConfigError shape_error(const std::string& source, const YAML::Node& node, const KeyInfo& key,
                        std::string_view expected) {
    return ConfigError(
        fmt::format("{}: '{}' must be {}", where(source, node.Mark()), key.name, expected),
        fmt::format("{}: {}", key.name, key.help));
}

std::string scalar_text(const std::string& source, const YAML::Node& node, const KeyInfo& key) {
    if (!node.IsScalar()) {
        throw shape_error(source, node, key, "a single value");
    }
    return node.Scalar();
}

std::vector<std::string> list_of(const std::string& source, const YAML::Node& node,
                                 const KeyInfo& key) {
    std::vector<std::string> items;
    if (node.IsScalar()) {
        // conda accepts a single item where a list is expected.
        items.push_back(node.Scalar());
        return items;
    }
    if (!node.IsSequence()) {
        throw shape_error(source, node, key, "a list");
    }
    for (const auto& item : node) {
        if (!item.IsScalar()) {
            throw shape_error(source, item, key, "a list of strings");
        }
        items.push_back(item.Scalar());
    }
    return items;
}

Setting convert(const std::string& source, const YAML::Node& key_node, const YAML::Node& node,
                const KeyInfo& key) {
    Setting setting;
    setting.origin = origin_of(source, key_node.Mark());
    if (is_scalar(key.type)) {
        setting.value.scalar =
            normalise_scalar(key, scalar_text(source, node, key), where(source, node.Mark()));
    } else if (key.type == KeyType::list) {
        setting.value.list = list_of(source, node, key);
    } else {
        if (!node.IsMap()) {
            throw shape_error(source, node, key, "a mapping");
        }
        for (const auto& entry : node) {
            const std::string name = entry.first.as<std::string>();
            std::vector<std::string> values;
            if (key.type == KeyType::string_map) {
                values.push_back(scalar_text(source, entry.second, key));
            } else {
                values = list_of(source, entry.second, key);
            }
            setting.value.map.emplace_back(name, std::move(values));
            setting.entry_origins.push_back(origin_of(source, entry.first.Mark()));
        }
    }
    return setting;
}

}  // namespace

std::string Origin::str() const {
    if (line == 0) {
        return source;
    }
    return fmt::format("{}:{}:{}", source, line, column);
}

Layer parse_rc(std::string_view text, const std::string& source) {
    Layer layer;
    layer.source = source;
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        throw ConfigError(fmt::format("{}: malformed YAML: {}", where(source, e.mark), e.msg),
                          "fix the file (nothing was read from it or written to it)");
    }
    if (!root || root.IsNull()) {
        return layer;
    }
    if (!root.IsMap()) {
        throw ConfigError(fmt::format("{}: the settings file must be a mapping of keys to values",
                                      where(source, root.Mark())),
                          "write one 'key: value' per line, e.g. 'channels: [conda-forge]'");
    }
    try {
        for (const auto& entry : root) {
            if (!entry.first.IsScalar()) {
                continue;
            }
            const KeyInfo* key = find_key(entry.first.Scalar());
            if (key == nullptr || !entry.second || entry.second.IsNull()) {
                continue;
            }
            layer.settings.emplace_back(key->name,
                                        convert(source, entry.first, entry.second, *key));
        }
    } catch (const YAML::Exception& e) {
        throw ConfigError(fmt::format("{}: {}", where(source, e.mark), e.msg),
                          "fix the file (nothing was read from it or written to it)");
    }
    return layer;
}

Layer read_rc_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        Layer layer;
        layer.source = path.string();
        return layer;
    }
    return parse_rc(util::read_file(path), path.string());
}

}  // namespace cenv::config

#include "config/environment_file.hpp"

#include <array>
#include <cctype>
#include <cstdlib>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/error.hpp"
#include "specs/error.hpp"
#include "specs/match_spec.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

namespace cenv::config {

namespace {

constexpr std::array<std::string_view, 5> known_keys{"name", "channels", "dependencies", "prefix",
                                                     "variables"};

constexpr std::string_view layout_hint =
    "an environment.yml looks like:\n"
    "  name: myenv\n"
    "  channels: [conda-forge]\n"
    "  dependencies:\n"
    "    - python=3.11\n"
    "    - pip:\n"
    "        - requests";

class Reader {
  public:
    Reader(const std::string& source, const std::string& platform, const VariableLookup& lookup)
        : source_(source), platform_(platform), lookup_(lookup) {}

    [[nodiscard]] std::string where(const YAML::Mark& mark) const {
        return fmt::format("{}:{}:{}", source_, mark.line + 1, mark.column + 1);
    }

    [[noreturn]] void fail(const YAML::Node& node, const std::string& what,
                           std::string_view hint = layout_hint) const {
        throw ConfigError(fmt::format("{}: {}", where(node.Mark()), what), std::string(hint));
    }

    std::string scalar(const YAML::Node& node, std::string_view key) const {
        if (!node.IsScalar()) {
            fail(node, fmt::format("'{}' must be a single value", key));
        }
        return node.Scalar();
    }

    /// Calls `take(node, text)` for each item of a list of scalars; a single scalar counts as
    /// a one-item list, as in conda.
    template <typename Take>
    void each_string(const YAML::Node& node, std::string_view key, Take&& take) const {
        if (!node || node.IsNull()) {
            return;
        }
        if (node.IsScalar()) {
            take(node, node.Scalar());
            return;
        }
        if (!node.IsSequence()) {
            fail(node, fmt::format("'{}' must be a list", key));
        }
        for (const auto& item : node) {
            if (!item.IsScalar()) {
                fail(item, fmt::format("each entry of '{}' must be a single value", key));
            }
            take(item, item.Scalar());
        }
    }

    std::string expand(const YAML::Node& node, const std::string& text) const {
        std::string out;
        for (std::size_t i = 0; i < text.size();) {
            if (text[i] != '$') {
                out += text[i++];
                continue;
            }
            std::size_t start = i + 1;
            std::size_t end = start;
            const bool braced = start < text.size() && text[start] == '{';
            if (braced) {
                end = text.find('}', start);
                if (end == std::string::npos) {
                    fail(node, fmt::format("'{}' has an unclosed '${{'", text),
                         "write variables as ${NAME} or $NAME");
                }
                ++start;
            } else if (end < text.size() &&
                       (std::isalpha(static_cast<unsigned char>(text[end])) != 0 ||
                        text[end] == '_')) {
                while (end < text.size() &&
                       (std::isalnum(static_cast<unsigned char>(text[end])) != 0 ||
                        text[end] == '_')) {
                    ++end;
                }
            }
            const std::string name = text.substr(start, end - start);
            if (name.empty()) {
                out += text[i++];
                continue;
            }
            const std::optional<std::string> value = lookup_(name);
            if (!value) {
                fail(node, fmt::format("channel '{}' uses ${{{}}}, which is not set", text, name),
                     fmt::format("set it first (export {}=...) or write the channel out", name));
            }
            out += *value;
            i = braced ? end + 1 : end;
        }
        return out;
    }

    /// The package name of `spec`; fails at `node` when it is not a valid spec.
    std::string spec_name(const YAML::Node& node, const std::string& spec) const {
        try {
            return specs::MatchSpec::parse(spec).name().str();
        } catch (const specs::ParseError& e) {
            fail(node, e.what(), e.hint());
        }
    }

    void add_dependency(const YAML::Node& node, const std::string& spec, bool selected,
                        EnvironmentFile& env) {
        const bool is_pip = spec_name(node, spec) == "pip";
        if (selected) {
            lists_pip_ = lists_pip_ || is_pip;
            env.dependencies.push_back(spec);
        }
    }

    [[nodiscard]] bool lists_pip() const { return lists_pip_; }

    /// Whether mamba's selector `sel(<os>)` holds for the platform.
    bool selected(const YAML::Node& key, std::string_view selector) const {
        const std::string_view os = std::string_view(platform_).substr(0, platform_.find('-'));
        const std::string_view wanted = selector.substr(4, selector.size() - 5);
        if (wanted == "unix") {
            return os == "linux" || os == "osx";
        }
        if (wanted == "linux" || wanted == "osx" || wanted == "win") {
            return os == wanted;
        }
        fail(key, fmt::format("unknown selector '{}'", selector),
             "selectors are sel(linux), sel(osx), sel(win) and sel(unix)");
    }

    void read_dependencies(const YAML::Node& node, EnvironmentFile& env) {
        if (!node || node.IsNull()) {
            return;
        }
        if (!node.IsSequence()) {
            fail(node, "'dependencies' must be a list");
        }
        for (const auto& item : node) {
            if (item.IsScalar()) {
                add_dependency(item, item.Scalar(), true, env);
                continue;
            }
            if (!item.IsMap() || item.size() != 1) {
                fail(item, "each dependency must be a spec (python=3.11) or a 'pip:' list");
            }
            const auto entry = *item.begin();
            const std::string key = entry.first.Scalar();
            if (key == "pip") {
                each_string(entry.second, "pip", [&](const YAML::Node&, const std::string& line) {
                    env.pip.push_back(line);
                });
            } else if (key.starts_with("sel(") && key.ends_with(")")) {
                add_dependency(entry.second, scalar(entry.second, key), selected(entry.first, key),
                               env);
            } else {
                fail(entry.first,
                     fmt::format("'{}:' in dependencies: only a 'pip:' list (or a sel(...): "
                                 "selector) may be nested there",
                                 key));
            }
        }
    }

    void read_variables(const YAML::Node& node, EnvironmentFile& env) const {
        if (!node || node.IsNull()) {
            return;
        }
        if (!node.IsMap()) {
            fail(node, "'variables' must be a mapping of names to values",
                 "variables:\n  HF_HOME: /data/hf");
        }
        for (const auto& entry : node) {
            if (!entry.second.IsScalar()) {
                fail(entry.second,
                     fmt::format("variable '{}' must have a single value", entry.first.Scalar()),
                     "variables:\n  HF_HOME: /data/hf");
            }
            env.variables.emplace_back(entry.first.Scalar(), entry.second.Scalar());
        }
    }

    void read_key(const YAML::Node& key, const YAML::Node& value, EnvironmentFile& env) {
        const std::string name = key.Scalar();
        if (name == "name") {
            env.name = scalar(value, name);
        } else if (name == "prefix") {
            env.prefix = scalar(value, name);
        } else if (name == "channels") {
            each_string(value, name, [&](const YAML::Node& node, const std::string& channel) {
                env.channels.push_back(expand(node, channel));
            });
        } else if (name == "dependencies") {
            read_dependencies(value, env);
        } else if (name == "variables") {
            read_variables(value, env);
        } else {
            for (const auto known : known_keys) {
                if (util::edit_distance(name, known) <= 2) {
                    fail(key, fmt::format("unknown key '{}': did you mean '{}'?", name, known),
                         fmt::format("the keys of an environment.yml are {}",
                                     "name, channels, dependencies, prefix and variables"));
                }
            }
            env.warnings.push_back(
                fmt::format("{}: unknown key '{}' ignored", where(key.Mark()), name));
        }
    }

  private:
    const std::string& source_;
    const std::string& platform_;
    const VariableLookup& lookup_;
    bool lists_pip_ = false;
};

std::optional<std::string> process_variable(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) {
        return std::nullopt;
    }
    return std::string(value);
}

}  // namespace

EnvironmentFile parse_environment_yaml(std::string_view text, const std::string& source,
                                       const std::string& platform, const VariableLookup& lookup) {
    const VariableLookup& variables = lookup ? lookup : VariableLookup(process_variable);
    Reader reader(source, platform, variables);
    EnvironmentFile env;
    env.source = source;
    env.directory = std::filesystem::path(source).parent_path();
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        throw ConfigError(fmt::format("{}: malformed YAML: {}", reader.where(e.mark), e.msg),
                          std::string(layout_hint));
    }
    if (!root || root.IsNull()) {
        throw ConfigError(fmt::format("{}: the environment file is empty", source),
                          std::string(layout_hint));
    }
    if (!root.IsMap()) {
        reader.fail(root,
                    "an environment file must be a mapping of keys (name, channels, "
                    "dependencies, ...) to values");
    }
    try {
        for (const auto& entry : root) {
            if (!entry.first.IsScalar()) {
                reader.fail(entry.first, "keys must be plain words");
            }
            reader.read_key(entry.first, entry.second, env);
        }
    } catch (const YAML::Exception& e) {
        throw ConfigError(fmt::format("{}: {}", reader.where(e.mark), e.msg),
                          std::string(layout_hint));
    }
    if (!env.pip.empty() && !reader.lists_pip()) {
        env.warnings.push_back(fmt::format(
            "{}: the pip section needs pip in the environment; add 'pip' to the dependencies",
            source));
    }
    return env;
}

EnvironmentFile read_environment_file(const std::filesystem::path& path,
                                      const std::string& platform) {
    const std::string text = util::read_file(path);
    const std::string extension = util::to_lower(path.extension().string());
    if (extension == ".yml" || extension == ".yaml") {
        return parse_environment_yaml(text, path.string(), platform);
    }
    specs::SpecFile file = specs::parse_spec_file(text, path.string());
    EnvironmentFile env;
    env.source = path.string();
    env.directory = path.parent_path();
    env.is_explicit = file.is_explicit;
    env.dependencies = std::move(file.specs);
    env.explicit_packages = std::move(file.packages);
    return env;
}

}  // namespace cenv::config

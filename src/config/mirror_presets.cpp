#include "config/mirror_presets.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/error.hpp"
#include "util/strings.hpp"

namespace cenv::config {

namespace {

constexpr std::string_view kCloudBase = "https://conda.anaconda.org";

ConfigError data_error(const YAML::Mark& mark, std::string_view what) {
    return ConfigError(
        fmt::format("mirror presets:{}:{}: {}", mark.line + 1, mark.column + 1, what),
        "the preset data compiled into cenv is broken; this is a bug");
}

std::vector<std::string> string_list(const YAML::Node& node) {
    std::vector<std::string> out;
    if (!node) {
        return out;
    }
    if (!node.IsSequence()) {
        throw data_error(node.Mark(), "expected a list");
    }
    for (const auto& item : node) {
        out.push_back(item.as<std::string>());
    }
    return out;
}

std::string trim_slash(std::string_view url) {
    while (!url.empty() && url.back() == '/') {
        url.remove_suffix(1);
    }
    return std::string(url);
}

// The URL without scheme and trailing slashes, host in lower case: the form compared when
// recognising a mirror URL in a user's .condarc.
std::string comparable(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme != std::string_view::npos) {
        url.remove_prefix(scheme + 3);
    }
    std::string out = trim_slash(url);
    const auto slash = out.find('/');
    for (std::size_t i = 0; i < std::min(slash, out.size()); ++i) {
        out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[i])));
    }
    return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> MirrorPreset::channel_mirrors() const {
    std::vector<std::pair<std::string, std::string>> out;
    const std::string base = trim_slash(endpoint);
    for (const auto& name : pkgs) {
        out.emplace_back(fmt::format("{}/{}", anaconda_pkgs_base, name),
                         fmt::format("{}/pkgs/{}", base, name));
    }
    for (const auto& name : cloud) {
        out.emplace_back(fmt::format("{}/{}", kCloudBase, name),
                         fmt::format("{}/cloud/{}", base, name));
    }
    return out;
}

std::string MirrorPreset::pypi_host() const {
    std::string_view url = pypi;
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) {
        return {};
    }
    url.remove_prefix(scheme + 3);
    return std::string(url.substr(0, url.find_first_of("/:")));
}

std::vector<MirrorPreset> parse_mirror_presets(std::string_view yaml) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
        throw data_error(e.mark, e.msg);
    }
    std::vector<MirrorPreset> presets;
    try {
        const YAML::Node list = root["presets"];
        if (!list || !list.IsSequence()) {
            throw data_error(root.Mark(), "expected 'presets:' with a list");
        }
        for (const auto& node : list) {
            MirrorPreset p;
            p.name = node["name"].as<std::string>();
            p.title = node["title"].as<std::string>(p.name);
            p.endpoint = trim_slash(node["endpoint"].as<std::string>());
            p.pkgs = string_list(node["pkgs"]);
            p.cloud = string_list(node["cloud"]);
            p.pypi = node["pypi"].as<std::string>("");
            p.note = node["note"].as<std::string>("");
            if (p.name.empty() || p.endpoint.find("://") == std::string::npos) {
                throw data_error(node.Mark(), "a preset needs a name and an endpoint URL");
            }
            presets.push_back(std::move(p));
        }
    } catch (const YAML::Exception& e) {
        throw data_error(e.mark, e.msg);
    }
    return presets;
}

const std::vector<MirrorPreset>& mirror_presets() {
    static const std::vector<MirrorPreset> presets =
        parse_mirror_presets(builtin_mirror_presets_yaml());
    return presets;
}

const MirrorPreset& find_mirror_preset(std::string_view name) {
    const std::string lower = util::to_lower(util::trim(name));
    std::vector<std::string_view> names;
    for (const auto& preset : mirror_presets()) {
        if (preset.name == lower) {
            return preset;
        }
        names.push_back(preset.name);
    }
    throw ConfigError(
        fmt::format("unknown mirror preset '{}'", name),
        fmt::format("known presets: {} (cenv config mirror list)", fmt::join(names, ", ")));
}

Value mirrors_value(std::span<const MirrorPreset* const> presets) {
    Value value;
    for (const MirrorPreset* preset : presets) {
        for (auto& [canonical, mirror] : preset->channel_mirrors()) {
            bool found = false;
            for (auto& [key, urls] : value.map) {
                if (key == canonical) {
                    urls.push_back(mirror);
                    found = true;
                }
            }
            if (!found) {
                value.map.emplace_back(canonical, std::vector<std::string>{mirror});
            }
        }
    }
    return value;
}

std::string canonical_for_mirror_url(std::string_view url) {
    const std::string wanted = comparable(url);
    for (const auto& preset : mirror_presets()) {
        for (const auto& [canonical, mirror] : preset.channel_mirrors()) {
            if (comparable(mirror) == wanted) {
                return canonical;
            }
        }
    }
    return {};
}

}  // namespace cenv::config

#include "config/mirror_setup.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "config/error.hpp"
#include "config/rc_edit.hpp"
#include "config/rc_file.hpp"

namespace cenv::config {

namespace {

bool has_key(std::string_view text, const std::string& source, std::string_view key) {
    const Layer layer = parse_rc(text, source);
    return std::any_of(layer.settings.begin(), layer.settings.end(),
                       [&](const auto& s) { return s.first == key; });
}

}  // namespace

std::string use_mirror_presets(std::string_view text, const std::string& source,
                               std::span<const MirrorPreset* const> presets, bool pip) {
    (void)parse_rc(text, source);  // malformed: report before anything else
    const Value mirrors = mirrors_value(presets);
    std::string out = replace_key(text, source, "mirrors", &mirrors);
    if (pip) {
        const auto with_pypi = std::find_if(presets.begin(), presets.end(),
                                            [](const auto* p) { return !p->pypi.empty(); });
        if (with_pypi == presets.end()) {
            throw ConfigError("none of the chosen mirrors has a PyPI mirror",
                              "add one that has (e.g. tuna), or leave out --pip");
        }
        Value index;
        index.scalar = (*with_pypi)->pypi;
        Value hosts;
        hosts.list.push_back((*with_pypi)->pypi_host());
        out = replace_key(out, source, "pip_index_url", &index);
        out = replace_key(out, source, "pip_trusted_host", &hosts);
    }
    return out;
}

std::string mirrors_off(std::string_view text, const std::string& source, bool pip) {
    std::string out(text);
    std::vector<std::string_view> keys{"mirrors"};
    if (pip) {
        keys.push_back("pip_index_url");
        keys.push_back("pip_trusted_host");
    }
    for (const auto key : keys) {
        if (has_key(out, source, key)) {
            out = replace_key(out, source, key, nullptr);
        }
    }
    return out;
}

std::vector<const MirrorPreset*> presets_in_use(const Value& mirrors) {
    std::vector<const MirrorPreset*> used;
    for (const auto& preset : mirror_presets()) {
        const auto wanted = preset.channel_mirrors();
        const bool all =
            !wanted.empty() && std::all_of(wanted.begin(), wanted.end(), [&](const auto& w) {
                return std::any_of(mirrors.map.begin(), mirrors.map.end(), [&](const auto& entry) {
                    return entry.first == w.first &&
                           std::find(entry.second.begin(), entry.second.end(), w.second) !=
                               entry.second.end();
                });
            });
        if (all) {
            used.push_back(&preset);
        }
    }
    return used;
}

}  // namespace cenv::config

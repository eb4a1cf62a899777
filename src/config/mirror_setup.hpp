#pragma once
// `cenv config mirror use/off`: the edits that point a settings file's `mirrors:` (and, with
// pip, `pip_index_url` / `pip_trusted_host`) at mirror presets, or take them away. Only those
// keys' lines change; the rest of the file stays as it was.

#include <span>
#include <string>
#include <string_view>

#include "config/mirror_presets.hpp"

namespace cenv::config {

/// `text` with `mirrors:` set to `presets` in order and, when `pip`, pip_index_url and
/// pip_trusted_host set to the first preset that has a PyPI mirror. Throws ConfigError
/// naming `source` when the text is malformed, or when `pip` and no preset has a PyPI mirror.
std::string use_mirror_presets(std::string_view text, const std::string& source,
                               std::span<const MirrorPreset* const> presets, bool pip);

/// `text` without `mirrors:` and, when `pip`, without the pip keys.
std::string mirrors_off(std::string_view text, const std::string& source, bool pip);

/// The presets whose every channel mirror appears in `mirrors` (a `mirrors:` value).
std::vector<const MirrorPreset*> presets_in_use(const Value& mirrors);

}  // namespace cenv::config

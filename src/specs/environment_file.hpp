#pragma once
// What an environment file says (conda's environment.yml, or a `--file` spec file): the
// environment's name or prefix, channels, conda dependencies, the `pip:` section and the
// variables to set on activation. A plain value: config/environment_file.hpp reads it from
// YAML, `cenv env export` fills it from a prefix, environment_yaml_text() writes it.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "specs/spec_file.hpp"

namespace cenv::specs {

struct EnvironmentFile {
    std::string source;                 ///< the path as given, for messages
    std::filesystem::path directory;    ///< the file's folder: where the pip section runs
    std::string name;                   ///< `name:`; empty when absent
    std::string prefix;                 ///< `prefix:`; empty when absent
    std::vector<std::string> channels;  ///< `$VAR` / `${VAR}` expanded
    /// conda match specs, as written; mamba's `sel(linux): spec` entries only when the
    /// selector holds for the platform.
    std::vector<std::string> dependencies;
    std::vector<std::string> pip;  ///< the `pip:` section's lines, as written
    std::vector<std::pair<std::string, std::string>> variables;  ///< in the order written
    bool is_explicit = false;  ///< an @EXPLICIT spec file: install `explicit_packages` exactly
    std::vector<ExplicitPackage> explicit_packages;
    /// Things that do not stop the file from being used (`file:line:col: ...`): keys conda
    /// ignores too, a pip section without pip among the dependencies.
    std::vector<std::string> warnings;
};

/// The environment.yml text of `env` in conda's layout (`name`, `channels`, `dependencies`
/// with a trailing `- pip:` list, `variables`, `prefix`; empty parts left out). Scalars that
/// YAML would read as something else (`-e .`, `yes`, `1.0`, `a: b`) are double-quoted.
std::string environment_yaml_text(const EnvironmentFile& env);

/// `text` as a YAML scalar: plain when YAML reads it back as the same string, else
/// double-quoted with `\"`, `\\` and control characters escaped.
std::string yaml_scalar(std::string_view text);

}  // namespace cenv::specs

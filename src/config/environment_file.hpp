#pragma once
// Environment files: what `cenv create -f`, `cenv env create -f` and `cenv env update -f`
// read. Either conda's environment.yml:
//
//     name: comfy
//     channels: [pytorch, nvidia, conda-forge]
//     dependencies:
//       - python=3.10
//       - pytorch=2.1=*cuda12.1*
//       - pip
//       - pip:                      # installed afterwards with the environment's own pip
//           - -r requirements.txt   # relative to the file's folder
//           - diffusers==0.25.0
//     variables:                    # set when the environment is activated
//       HF_HOME: /data/hf
//
// or a spec file (specs/spec_file.hpp): a list of specs, or `@EXPLICIT` package URLs.
//
// It lives in `config` because config is the module that reads YAML (yaml-cpp stays out of
// `specs`); it parses and checks, it resolves no channel and installs nothing.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "specs/spec_file.hpp"

namespace cenv::config {

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
    std::vector<specs::ExplicitPackage> explicit_packages;
    /// Things that do not stop the file from being used (`file:line:col: ...`): keys conda
    /// ignores too, a pip section without pip among the dependencies.
    std::vector<std::string> warnings;
};

/// A variable's value, or nullopt when it is not set. The default reads the process
/// environment.
using VariableLookup = std::function<std::optional<std::string>(const std::string&)>;

/// Parses the YAML `text` of an environment.yml read from `source`, for the subdir
/// `platform` (`linux-64`: selectors). Throws ConfigError `source:line:col: ...` with a hint
/// when the YAML is malformed, the document is not a mapping, a known key has the wrong
/// shape, a key looks like a misspelt known key (`dependecies`), a dependency is not a valid
/// spec, a selector is unknown, or a channel uses a variable that is not set.
EnvironmentFile parse_environment_yaml(std::string_view text, const std::string& source,
                                       const std::string& platform,
                                       const VariableLookup& lookup = {});

/// Reads the file at `path`: `*.yml` / `*.yaml` as environment.yml, anything else as a spec
/// file. Throws util::IoError when it cannot be read, ConfigError or specs::ParseError when it
/// is malformed.
EnvironmentFile read_environment_file(const std::filesystem::path& path,
                                      const std::string& platform);

}  // namespace cenv::config

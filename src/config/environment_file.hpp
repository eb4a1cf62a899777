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
// or a spec file (specs/spec_file.hpp): a list of specs, or `@EXPLICIT` package URLs. The
// result is a specs::EnvironmentFile (specs/environment_file.hpp, which also writes one).
//
// Reading lives in `config` because config is the module that reads YAML (yaml-cpp stays out
// of `specs`); it parses and checks, it resolves no channel and installs nothing.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "specs/environment_file.hpp"

namespace cenv::config {

using specs::EnvironmentFile;

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

#pragma once
// `cenv env export`: an environment's environment.yml, made from what it holds (conda-meta
// records and the Python distributions pip put there) or from what was asked for
// (conda-meta/history), as conda writes it:
//
//     name: comfy
//     channels:
//       - pytorch
//       - conda-forge
//     dependencies:
//       - python=3.10.13=hd12c33a_0_cpython
//       - pytorch=2.1.2=py3.10_cuda12.1_cudnn8.9.2_0
//       - pip:
//           - diffusers==0.25.0
//     prefix: /home/me/.cenv/envs/comfy
//
// Variables (conda-meta/state) are not read here: they belong to activation (shell's
// state_variables); the caller adds them.

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "specs/environment_file.hpp"
#include "specs/package_record.hpp"

namespace cenv::install {

struct ExportOptions {
    std::string name;  ///< the environment's name; empty: none written
    /// The specs of conda-meta/history instead of every package (conda's --from-history);
    /// the pip section then holds only what pip was asked for (its REQUESTED marker).
    bool from_history = false;
    bool no_builds = false;  ///< `name=version` instead of `name=version=build`
};

/// The environment file of the environment at `prefix`. Channels: those the packages came
/// from, by how many packages come from each (most first); unlike conda, the configured
/// channels are not added, so that the file makes the same environment whatever the
/// configuration of the machine it is used on. Dependencies sorted by name. Throws
/// util::IoError / specs::ParseError naming a conda-meta file at fault.
specs::EnvironmentFile export_environment(const std::filesystem::path& prefix,
                                          const ExportOptions& options);

/// The platform an environment is for: the subdir most of its records are for (noarch
/// aside), this machine's when there is none. The `# platform:` of its explicit file.
std::string prefix_platform(std::span<const specs::PackageRecord> records);

}  // namespace cenv::install

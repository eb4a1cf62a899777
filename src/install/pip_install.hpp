#pragma once
// The `pip:` section of an environment file, installed as conda does it: by the
// environment's own pip (`<prefix>/bin/python -m pip install -U -r <file>`), after the conda
// packages are linked, with the lines written to a requirements file in the environment
// file's folder, so that `-r other.txt`, `-e .` and local paths mean what they meant there.
//
// The index is the configured PyPI mirror when there is one (pip_index_url and
// pip_trusted_host, passed on pip's command line so that it holds for an environment
// created before the mirror was set), else pip's own configuration.

#include <filesystem>
#include <string>
#include <vector>

namespace cenv::install {

struct PipInstallOptions {
    std::string index_url;                    ///< empty: pip's own configuration
    std::vector<std::string> trusted_hosts;   ///< pip --trusted-host
    std::filesystem::path working_directory;  ///< the environment file's folder; empty: cwd
};

struct PipInstallResult {
    std::vector<std::string> argv;       ///< the command that ran
    std::vector<std::string> installed;  ///< `name-version` from pip's "Successfully installed"
    std::string output;                  ///< pip's stdout
};

/// Installs `requirements` (requirements-file lines: specs, `-r`, `-e`, options) into
/// `prefix` with its own pip. Throws InstallError when the prefix has no python or pip fails
/// (the message names the prefix, the hint holds the end of pip's output).
PipInstallResult pip_install(const std::filesystem::path& prefix,
                             const std::vector<std::string>& requirements,
                             const PipInstallOptions& options);

}  // namespace cenv::install

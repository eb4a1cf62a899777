#pragma once
// The pip.conf an environment gets when a PyPI mirror is configured (pip_index_url,
// pip_trusted_host), so that the environment's own pip uses the mirror without activation:
// pip reads `<sys.prefix>/pip.conf` as its "site" configuration on Linux and macOS.

#include <filesystem>
#include <string>

#include "config/settings.hpp"

namespace cenv::config {

/// The text of pip.conf for `settings`; empty when no pip_index_url is set.
std::string pip_conf_text(const Settings& settings);

/// Writes `<prefix>/pip.conf` atomically when a PyPI mirror is configured, leaving a pip.conf
/// already there untouched (the user's own). Returns whether it wrote one.
bool write_pip_conf(const std::filesystem::path& prefix, const Settings& settings);

}  // namespace cenv::config

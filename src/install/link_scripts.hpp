#pragma once
// A package's own install scripts, run as conda runs them: `bin/.<name>-post-link.sh` after
// the transaction linked every package (in dependency order, inside the activated
// environment: its `etc/conda/activate.d/*.sh` are sourced first), and
// `bin/.<name>-pre-unlink.sh` before a package's files go. Both get conda's variables
// (PREFIX, PKG_NAME, PKG_VERSION, PKG_BUILDNUM, ROOT_PREFIX) and run in `bin/`. What a
// script writes to `<prefix>/.messages.txt` is collected for the user, and the file removed.

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "specs/package_record.hpp"

namespace cenv::install {

enum class LinkScript { post_link, pre_unlink };

struct ScriptRun {
    std::filesystem::path script;
    int exit_code = 0;
    std::string out;
    std::string err;
    std::string messages;  ///< what the script left in .messages.txt
};

/// The path of `record`'s `kind` script in `prefix` (whether or not it exists).
std::filesystem::path link_script_path(const std::filesystem::path& prefix,
                                       const specs::PackageRecord& record, LinkScript kind);

/// Runs `record`'s `kind` script when the package has one; nullopt when it has none.
/// Throws InstallError when bash cannot be started.
/// A set `cancel` flag (Ctrl-C, SIGTERM) terminates a script that is still running.
std::optional<ScriptRun> run_link_script(const std::filesystem::path& prefix,
                                         const specs::PackageRecord& record, LinkScript kind,
                                         const std::filesystem::path& root_prefix,
                                         const std::atomic<bool>* cancel = nullptr);

/// The content of `<prefix>/.messages.txt`, which is removed; empty when there is none.
std::string take_messages(const std::filesystem::path& prefix);

}  // namespace cenv::install

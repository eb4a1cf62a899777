#pragma once
// Activation and deactivation as data: from the shell's variables now and an environment,
// the variables to set and unset and the scripts to source, for render.hpp to write in a
// shell's language (and for `cenv run` to apply without a shell).
//
// conda's model, kept so that conda's tools and prompts keep working: CONDA_SHLVL counts
// the active environments, CONDA_PREFIX / CONDA_DEFAULT_ENV / CONDA_PROMPT_MODIFIER describe
// the top one, CONDA_PREFIX_<n> the one below level n+1, CONDA_STACKED_<n> marks a level
// activated with --stack; `<prefix>/bin` leads PATH; `etc/conda/activate.d/*.sh` (or .fish)
// are sourced in name order after the variables are set, `deactivate.d` in reverse order
// before they are taken back; the environment's variables (env_vars.hpp) are set.
//
// Exactness: each activation records what it changed and the value before
// (saved_state.hpp, one record per level), and deactivation puts exactly that back — unset
// stays unset, empty stays empty — for any order of activate, activate --stack and
// deactivate. A path list the user changed while the environment was active is not thrown
// away: only the entries activation added are taken out again (path_list.hpp). Activating
// over an active environment without --stack first takes that environment's changes back
// (its deactivate.d runs), then applies the new one's; deactivating returns to it and
// sources its activate.d again. With --stack the environment below stays applied, and
// nothing of it runs again on the way back (conda reruns it; cenv does not, so that a script
// that appends to a variable does not append twice).
//
// For environments with a CUDA runtime (install/prefix_cuda.hpp) activation also sets
// CUDA_HOME and CUDA_PATH to the environment, cleans LD_LIBRARY_PATH of other CUDA
// installations (cuda_runtime.hpp), and warns when the cached driver cannot run the runtime.
// Environments without one change none of these.
//
// A level activated by conda (no record) is taken back the way conda would.

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "shell/shell_kind.hpp"
#include "system/cuda.hpp"

namespace cenv::shell {

/// Variable name -> value; a variable that is absent is unset.
using Variables = std::map<std::string, std::string, std::less<>>;

struct ActivationContext {
    /// The shell's variables now: the exported ones, and PS1 (which the hook passes along).
    Variables vars;
    Shell shell = Shell::bash;
    /// conda's `changeps1`: prefix PS1 with the prompt modifier (bash, zsh, posix; fish's
    /// prompt is wrapped by the hook instead).
    bool changeps1 = true;
    /// conda's `env_prompt`: {default_env}, {name} and {prefix} are filled in.
    std::string env_prompt = "({default_env}) ";
    /// How an environment is shown in CONDA_DEFAULT_ENV and the prompt (its name under an
    /// envs folder, else its path). Unset: the path.
    std::function<std::string(const std::filesystem::path&)> display_name;
    /// The driver detected earlier, from the cache only; asked only for environments with a
    /// CUDA runtime. Unset or nullopt: no driver check.
    std::function<std::optional<system::CudaDriver>()> driver;
};

struct Change {
    std::string name;
    std::optional<std::string> value;  ///< nullopt: unset the variable
    bool exported = true;              ///< false for PS1, a shell variable

    friend bool operator==(const Change&, const Change&) = default;
};

/// What the shell does, in this order: source `deactivate_scripts`, apply `changes`, source
/// `activate_scripts`. `warnings` go to stderr (one line each, without "warning: ").
struct Script {
    std::vector<std::filesystem::path> deactivate_scripts;
    std::vector<Change> changes;
    std::vector<std::filesystem::path> activate_scripts;
    std::vector<std::string> warnings;

    [[nodiscard]] bool empty() const noexcept {
        return deactivate_scripts.empty() && changes.empty() && activate_scripts.empty();
    }
};

/// Activating `prefix` (absolute) over `context.vars`. When it is the active environment
/// already (and `stack` is false) it is reactivated, as conda does: its deactivate.d and
/// activate.d run again and its variables are read again (after `env config vars set`), at
/// the same level. Throws ShellError when its state or env_vars.d files are malformed.
Script activate(const ActivationContext& context, const std::filesystem::path& prefix, bool stack);

/// Activating the active environment again (what `activate` does for it).
Script reactivate(const ActivationContext& context, const std::filesystem::path& prefix);

/// Deactivating the top environment; nothing to do when none is active.
Script deactivate(const ActivationContext& context);

/// `vars` after `script`'s changes (its scripts are not run).
Variables apply_changes(Variables vars, const Script& script);

/// The number of active environments: CONDA_SHLVL, 0 when unset or not a number.
int active_level(const Variables& vars);

}  // namespace cenv::shell

#pragma once
// The environment variables an environment sets when it is activated, as conda keeps them:
//
//   <prefix>/etc/conda/env_vars.d/*.json   packages' variables, one JSON object per file,
//                                          files in name order
//   <prefix>/conda-meta/state              the user's, `cenv env config vars set`:
//                                          {"env_vars": {"NAME": "value", ...}}
//
// The user's win over the packages'. conda marks a variable removed with `env config vars
// unset` as "***unset***" (so that it also hides a package's variable): such a variable is
// not set on activation and not listed. Other keys of conda-meta/state are kept as they are.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cenv::shell {

struct EnvVar {
    std::string name;
    std::string value;

    friend bool operator==(const EnvVar&, const EnvVar&) = default;
};

/// conda's marker of a variable removed with `env config vars unset`.
inline constexpr std::string_view kUnsetMarker = "***unset***";

/// Whether `name` can be a variable of every supported shell: [A-Za-z_][A-Za-z0-9_]*.
bool is_variable_name(std::string_view name) noexcept;

/// What activating `prefix` sets: the packages' variables, then the user's, in the order
/// the files list them (a name keeps its first place), markers dropped. Names that are no
/// variable name are left out and reported in `skipped` ("FILE: NAME"). Throws ShellError
/// naming the file when one is not a JSON object of strings.
std::vector<EnvVar> activation_variables(const std::filesystem::path& prefix,
                                         std::vector<std::string>* skipped = nullptr);

/// The user's variables of conda-meta/state (markers dropped), for `env config vars list`.
std::vector<EnvVar> state_variables(const std::filesystem::path& prefix);

/// Sets `vars` in conda-meta/state (written atomically; other keys kept). Throws ShellError
/// for a name that is no variable name or a prefix without conda-meta.
void set_state_variables(const std::filesystem::path& prefix, const std::vector<EnvVar>& vars);

/// Marks `names` unset in conda-meta/state as conda does. Returns the names that were not
/// set (nothing is written for them).
std::vector<std::string> unset_state_variables(const std::filesystem::path& prefix,
                                               const std::vector<std::string>& names);

}  // namespace cenv::shell

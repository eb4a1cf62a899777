#pragma once
// Tab completion: what may come next on a cenv command line. The shells' completion
// functions (data/complete.*) run `cenv shell complete -- WORDS...` and offer what it prints;
// when it prints nothing (a path is expected), they complete file names.
//
// The command tree comes from the CLI (commands, their flags, which flags take a value, what
// their positional words are); names come from the `CompletionSources`: the environments in
// the envs folders, package names from the solver's caches (package_names.hpp), the packages
// installed in an environment (its conda-meta file names). Nothing reads the network or
// parses repodata.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cenv::shell {

/// What a command's positional words are.
enum class PositionalKind { none, environments, packages, installed_packages };

struct CompletionCommand {
    std::string name;
    std::vector<std::string> flags;        ///< every flag: "-n", "--name", "--json"
    std::vector<std::string> value_flags;  ///< those that take a value
    PositionalKind positional = PositionalKind::none;
    std::vector<CompletionCommand> subcommands;
};

struct CompletionSources {
    std::function<std::vector<std::string>()> environments;
    /// Package names starting with the prefix given.
    std::function<std::vector<std::string>(std::string_view)> packages;
    /// The packages installed in the environment named by `-n NAME` / `-p PATH` (empty:
    /// the active one). Words are as typed.
    std::function<std::vector<std::string>(const std::string& name, const std::string& prefix)>
        installed;
};

/// The candidates for the last of `words` (words[0] is the program; the last word is the one
/// being completed, possibly empty), sorted, each starting with that word.
std::vector<std::string> complete(const CompletionCommand& root,
                                  const std::vector<std::string>& words,
                                  const CompletionSources& sources);

}  // namespace cenv::shell

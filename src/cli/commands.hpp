#pragma once
// Each cenv command registers itself on the top-level CLI::App. One file per command.

#include <functional>

namespace CLI {
class App;
}

namespace cenv::cli {

/// What a command does once its arguments are parsed; returns the exit status. Commands
/// set it from their CLI11 callback, so that parsing and running stay apart.
using Action = std::function<int()>;

/// `cenv search`: list the records of local channels that match specs.
void add_search_command(CLI::App& app, Action& action);

}  // namespace cenv::cli

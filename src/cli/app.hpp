#pragma once
// The `cenv` command line: parses arguments, runs one command, turns errors into a one-line
// message with a hint and a non-zero exit status.

namespace cenv::cli {

/// Runs cenv with the process arguments; returns the exit status.
int run(int argc, char** argv);

}  // namespace cenv::cli

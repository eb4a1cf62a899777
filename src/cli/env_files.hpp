#pragma once
// create, env create and env update with environment files (`-f environment.yml`, `--file
// specs.txt`, `--file explicit.txt`): the files become the options create uses (name,
// channels, specs), the shared solve-and-install path runs, then the `pip:` section is
// installed with the environment's own pip. An @EXPLICIT file is installed exactly, without a
// solve.

#include <string>
#include <vector>

#include "cli/env_solve.hpp"
#include "solver/request.hpp"

namespace cenv::cli {

/// Runs `command` (`create`, `env create`, `env update`) for `options` with `files` read
/// into it. Returns the exit status.
int run_with_environment_files(EnvOptions options, const std::vector<std::string>& files,
                               solver::Request::Op op, const char* command);

}  // namespace cenv::cli

#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace cenv::cli {

int run(int argc, char** argv) {
    CLI::App app{"cenv: a fast, conda-compatible environment manager for AI projects", "cenv"};
    app.set_version_flag("--version", CENV_VERSION);
    CLI11_PARSE(app, argc, argv);
    return 0;
}

}  // namespace cenv::cli

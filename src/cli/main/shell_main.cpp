// `cenv-shell`: the hook's fast path. `cenv-shell activate|deactivate -s SHELL [--stack]
// [--auto] [-r ROOT] [NAME|PATH]` prints what `cenv shell activate|deactivate` prints. It is
// linked with the few libraries activation needs (see src/cli/CMakeLists.txt): the dynamic
// loader's work for cenv's two dozen libraries is most of what a `cenv` process costs, and
// a prompt waits for this one. Errors read as cenv's do.

#include <iostream>
#include <string>
#include <string_view>

#include "shell/activation_command.hpp"
#include "shell/error.hpp"
#include "util/error.hpp"

namespace {

constexpr int kFailure = 1;
constexpr int kUsage = 2;

int usage(std::string_view what) {
    std::cerr << "error: " << what << "\n"
              << "hint: cenv-shell activate|deactivate -s SHELL [--stack] [-r ROOT] "
                 "[NAME|PATH]; it is run by cenv's shell hook ('cenv shell hook --help')\n";
    return kUsage;
}

}  // namespace

int main(int argc, char** argv) {
    using cenv::shell::ActivationRequest;
    ActivationRequest request;
    if (argc < 2) {
        return usage("no command");
    }
    const std::string_view command = argv[1];
    if (command != "activate" && command != "deactivate") {
        return usage("unknown command '" + std::string(command) + "'");
    }
    request.deactivate = command == "deactivate";
    std::string shell;
    for (int i = 2; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if ((arg == "-s" || arg == "--shell" || arg == "-r" || arg == "--root-prefix") &&
            i + 1 < argc) {
            (arg == "-s" || arg == "--shell" ? shell : request.root) = argv[++i];
        } else if (arg == "--stack") {
            request.stack = true;
        } else if (arg == "--auto") {
            request.auto_mode = true;
        } else if (!arg.starts_with('-') && request.target.empty() && !request.deactivate) {
            request.target = arg;
        } else {
            return usage("unexpected argument '" + std::string(arg) + "'");
        }
    }
    try {
        request.shell = cenv::shell::shell_named(shell);
        cenv::shell::write_activation(request, std::cout, std::cerr);
        return 0;
    } catch (const cenv::util::Error& e) {
        std::cerr << "error: " << e.what() << '\n';
        if (!e.hint().empty()) {
            std::cerr << "hint: " << e.hint() << '\n';
        }
        return kFailure;
    }
}

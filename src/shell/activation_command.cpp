#include "shell/activation_command.hpp"

#include <ostream>

#include "config/settings.hpp"
#include "shell/context.hpp"
#include "shell/error.hpp"
#include "shell/project.hpp"
#include "shell/render.hpp"

namespace cenv::shell {

namespace fs = std::filesystem;

void write_activation(const ActivationRequest& request, std::ostream& out, std::ostream& err) {
    config::LoadOptions load;
    load.root = request.root;
    const auto settings = config::Settings::load(load);
    const fs::path root = config::root_prefix(request.root);
    const auto environments = Environments::from_settings(settings, root);
    const auto context =
        process_context(request.shell, settings, environments, system::root_detect_options(root));
    Script script;
    if (request.deactivate) {
        script = deactivate(context);
    } else {
        std::error_code ec;
        const fs::path here = fs::current_path(ec);
        fs::path prefix;
        if (request.auto_mode) {
            try {
                if (!find_project(here)) {
                    return;
                }
                prefix = locate_environment("", environments, here);
            } catch (const ShellError& e) {
                err << "cenv: " << e.what() << "; " << e.hint() << '\n';
                return;
            }
        } else {
            prefix = locate_environment(request.target, environments, here);
        }
        script = activate(context, prefix, request.stack);
    }
    for (const auto& w : script.warnings) {
        err << "warning: " << w << '\n';
    }
    out << render(script, request.shell);
}

}  // namespace cenv::shell

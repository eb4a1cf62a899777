#include "shell/context.hpp"

#include "config/settings.hpp"
#include "shell/process_env.hpp"

namespace cenv::shell {

ActivationContext process_context(Shell shell, const config::Settings& settings,
                                  const Environments& environments,
                                  const system::DetectOptions& detect) {
    ActivationContext context;
    context.vars = process_variables();
    context.shell = shell;
    context.changeps1 = settings.boolean("changeps1");
    context.env_prompt = settings.string("env_prompt");
    context.display_name = [environments](const std::filesystem::path& prefix) {
        return environments.display_name(prefix);
    };
    context.driver = [detect] { return system::cached_cuda_driver(detect); };
    return context;
}

}  // namespace cenv::shell

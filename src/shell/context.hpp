#pragma once
// The activation context of this process: its variables, the prompt settings, how
// environments are named, and the driver as the detection cache has it.

#include "shell/activation.hpp"
#include "shell/environments.hpp"
#include "system/detect_options.hpp"

namespace cenv::config {
class Settings;
}

namespace cenv::shell {

/// The context for `shell`: process_variables(), `changeps1` and `env_prompt` from
/// `settings`, names from `environments`, and the driver from `detect`'s cache only
/// (system::cached_cuda_driver: no driver library is loaded, nothing is run).
ActivationContext process_context(Shell shell, const config::Settings& settings,
                                  const Environments& environments,
                                  const system::DetectOptions& detect);

}  // namespace cenv::shell

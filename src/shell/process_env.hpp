#pragma once
// The variables of this process, as activation sees them.

#include "shell/activation.hpp"

namespace cenv::shell {

/// The variables of `environ` (an environ-style array), with PS1 as the hook passes it: the
/// hook runs the binary with `_CENV_PS1` (PS1's value) and `_CENV_PS1_SET` (non-empty when
/// PS1 is set), since PS1 is a shell variable the binary would not see. Both are left out.
Variables variables_of(const char* const* environ);

/// `variables_of(environ)`.
Variables process_variables();

}  // namespace cenv::shell

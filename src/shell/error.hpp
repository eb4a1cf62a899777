#pragma once
// The shell module's one error type.

#include "util/error.hpp"

namespace cenv::shell {

/// An environment that cannot be found or activated, a shell cenv does not support, an rc
/// file or conda-meta/state that cannot be read or written. The message names the input.
class ShellError : public util::Error {
  public:
    using Error::Error;
};

}  // namespace cenv::shell

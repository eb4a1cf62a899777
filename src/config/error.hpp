#pragma once
// The one error type of `config`: a settings file, variable or value that cannot be used.
// Messages name the file with line and column (`~/.cenvrc:3:5: ...`) or the variable.

#include "util/error.hpp"

namespace cenv::config {

class ConfigError : public util::Error {
  public:
    using util::Error::Error;
};

}  // namespace cenv::config

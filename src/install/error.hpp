#pragma once
// The one error type of `install`: a package that cannot be extracted, verified, cached or
// linked, or a transaction that cannot go on. `Interrupted` is the transaction stopped by
// Ctrl-C or SIGTERM (after rolling back), so that the CLI can exit as an interrupted program.

#include "util/error.hpp"

namespace cenv::install {

class InstallError : public util::Error {
  public:
    using util::Error::Error;
};

class Interrupted : public InstallError {
  public:
    using InstallError::InstallError;
};

}  // namespace cenv::install

#pragma once
// The one error type of `install`: a package that cannot be extracted, verified or cached.

#include "util/error.hpp"

namespace cenv::install {

class InstallError : public util::Error {
  public:
    using util::Error::Error;
};

}  // namespace cenv::install

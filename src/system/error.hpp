#pragma once
// The one error type of `system`.

#include "util/error.hpp"

namespace cenv::system {

/// Something about this machine that cenv cannot work with: an override variable whose value
/// is not a version, a cache file that cannot be written, a process that cannot be started.
/// A driver that is missing or broken is not an error: detection then reports "no CUDA".
class SystemError : public util::Error {
  public:
    using util::Error::Error;
};

}  // namespace cenv::system

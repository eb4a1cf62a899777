#pragma once
// The one error type of `channels`: a channel that cannot be named, found or read.

#include "util/error.hpp"

namespace cenv::channels {

class ChannelError : public util::Error {
  public:
    using util::Error::Error;
};

}  // namespace cenv::channels

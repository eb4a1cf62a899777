#pragma once
// The one error type of `specs`: a string or a file that does not follow conda's grammar.

#include "util/error.hpp"

namespace cenv::specs {

/// Malformed input: a version, a spec, a repodata file or record. The message names the
/// input (and for specs, the offending part); the hint says what a valid one looks like.
class ParseError : public util::Error {
  public:
    using util::Error::Error;
};

}  // namespace cenv::specs

#pragma once
// The one error type of `doctor`.

#include "util/error.hpp"

namespace cenv::doctor {

/// Something that stops a diagnosis from starting: an environment that does not exist, a
/// data table compiled into cenv that does not parse. What a diagnosis finds wrong is never
/// an error: it is a finding of the report.
class DoctorError : public util::Error {
  public:
    using util::Error::Error;
};

}  // namespace cenv::doctor

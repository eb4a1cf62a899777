#pragma once
// The errors of `solver`: a request that cannot be solved, or asks for packages that no
// channel has.

#include <string>
#include <utility>
#include <vector>

#include "util/error.hpp"

namespace cenv::solver {

/// Any failure of a solve. The message names the request; the hint says what to try.
class SolverError : public util::Error {
  public:
    using util::Error::Error;
};

/// Requested specs that no package in the channels (or the environment) matches.
class PackagesNotFoundError : public SolverError {
  public:
    PackagesNotFoundError(const std::string& message, std::string hint,
                          std::vector<std::string> specs)
        : SolverError(message, std::move(hint)), specs_(std::move(specs)) {}

    /// The requested specs without any candidate, as the user wrote them.
    [[nodiscard]] const std::vector<std::string>& specs() const noexcept { return specs_; }

  private:
    std::vector<std::string> specs_;
};

/// Candidates exist, but no set of them satisfies the request together.
class UnsolvableError : public SolverError {
  public:
    UnsolvableError(const std::string& message, std::string hint, std::vector<std::string> problems)
        : SolverError(message, std::move(hint)), problems_(std::move(problems)) {}

    /// One readable line per incompatibility, in terms of packages and spec strings.
    [[nodiscard]] const std::vector<std::string>& problems() const noexcept { return problems_; }

  private:
    std::vector<std::string> problems_;
};

/// A variant request (`torch=cu121`) that the channels or the driver cannot satisfy; the
/// message says what was asked, the details what was detected and what is needed.
class VariantError : public SolverError {
  public:
    VariantError(const std::string& message, std::string hint, std::vector<std::string> details)
        : SolverError(message, std::move(hint)), details_(std::move(details)) {}

    /// Lines that explain the message: detected driver, required driver, what would work.
    [[nodiscard]] const std::vector<std::string>& details() const noexcept { return details_; }

  private:
    std::vector<std::string> details_;
};

}  // namespace cenv::solver

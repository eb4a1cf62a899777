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
                          std::vector<std::string> specs, std::vector<std::string> searched = {},
                          std::vector<std::string> suggestions = {})
        : SolverError(message, std::move(hint)),
          specs_(std::move(specs)),
          searched_(std::move(searched)),
          suggestions_(std::move(suggestions)) {}

    /// The requested specs without any candidate, as the user wrote them.
    [[nodiscard]] const std::vector<std::string>& specs() const noexcept { return specs_; }
    /// The channels searched, each with its subdirs: "file:///c (linux-64, noarch)".
    [[nodiscard]] const std::vector<std::string>& searched() const noexcept { return searched_; }
    /// Close package names ("did you mean"), or the versions a name does have.
    [[nodiscard]] const std::vector<std::string>& suggestions() const noexcept {
        return suggestions_;
    }

  private:
    std::vector<std::string> specs_;
    std::vector<std::string> searched_;
    std::vector<std::string> suggestions_;
};

/// One step of an explanation: a request, a dependency on the way, or the incompatibility
/// it meets. `kind` is one of request, update, pin, history, removal, locked, virtual,
/// missing, depends, constrains, conflict, installed, priority, not_installable.
struct ProblemStep {
    std::string kind;
    std::string package;  ///< "numba 0.5.0 np16py27_0" (or "numba 0.5.0" for builds alike)
    std::string spec;     ///< the spec involved: "numpy 1.6*"
    std::string text;     ///< the readable line
};

/// Candidates exist, but no set of them satisfies the request together.
class UnsolvableError : public SolverError {
  public:
    UnsolvableError(const std::string& message, std::string hint, std::vector<std::string> problems,
                    std::vector<std::vector<ProblemStep>> tree = {})
        : SolverError(message, std::move(hint)),
          problems_(std::move(problems)),
          tree_(std::move(tree)) {}

    /// One readable line per incompatibility, in terms of packages and spec strings.
    [[nodiscard]] const std::vector<std::string>& problems() const noexcept { return problems_; }
    /// The same per problem, as structured steps: requests first, then the dependencies
    /// that lead to the incompatibility, then the incompatibility (for --json).
    [[nodiscard]] const std::vector<std::vector<ProblemStep>>& tree() const noexcept {
        return tree_;
    }

  private:
    std::vector<std::string> problems_;
    std::vector<std::vector<ProblemStep>> tree_;
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

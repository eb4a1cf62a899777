#pragma once
// The base of every cenv error: a one-line message that names the input, and a hint that
// says what to do about it. Modules derive their own error type from it; only src/cli turns
// errors into messages and exit codes.

#include <stdexcept>
#include <string>

namespace cenv::util {

class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& message, std::string hint = {})
        : std::runtime_error(message), hint_(std::move(hint)) {}

    /// What the user can do about it; empty when there is nothing useful to say.
    [[nodiscard]] const std::string& hint() const noexcept { return hint_; }

  private:
    std::string hint_;
};

}  // namespace cenv::util

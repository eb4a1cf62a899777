#pragma once
// Phase timings on stderr, one line each, when CENV_TIMINGS is set (not empty, not 0): for
// the benchmarks and for a user who wants to see where the time goes.

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace cenv::cli {

/// Elapsed wall time since construction.
class PhaseClock {
  public:
    PhaseClock() : start_(std::chrono::steady_clock::now()) {}
    [[nodiscard]] double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

  private:
    std::chrono::steady_clock::time_point start_;
};

class Timings {
  public:
    Timings() {
        const char* v = std::getenv("CENV_TIMINGS");
        on_ = v != nullptr && *v != '\0' && std::string_view(v) != "0";
    }
    void note(const std::string& what, const PhaseClock& clock) const {
        if (on_) {
            std::cerr << fmt::format("timing: {:.3f} s {}\n", clock.seconds(), what);
        }
    }

  private:
    bool on_ = false;
};

}  // namespace cenv::cli

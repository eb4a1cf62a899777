#include "doctor/report.hpp"

#include <algorithm>

namespace cenv::doctor {

std::string_view to_string(Status status) noexcept {
    switch (status) {
        case Status::ok:
            return "ok";
        case Status::info:
            return "info";
        case Status::warning:
            return "warning";
        case Status::error:
            return "error";
        case Status::skipped:
            break;
    }
    return "skipped";
}

std::string_view to_string(Section section) noexcept {
    switch (section) {
        case Section::machine:
            return "machine";
        case Section::environment:
            return "environment";
        case Section::network:
            break;
    }
    return "network";
}

std::size_t Report::count(Status status) const {
    return static_cast<std::size_t>(std::count_if(
        findings.begin(), findings.end(), [&](const Finding& f) { return f.status == status; }));
}

}  // namespace cenv::doctor

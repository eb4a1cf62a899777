#include "specs/package_record.hpp"

namespace cenv::specs {

std::string_view to_string(NoArchType type) noexcept {
    switch (type) {
        case NoArchType::generic:
            return "generic";
        case NoArchType::python:
            return "python";
        case NoArchType::none:
            break;
    }
    return "";
}

}  // namespace cenv::specs

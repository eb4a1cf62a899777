#pragma once
// Reading whole files, with errors that name the path and the system's reason.

#include <filesystem>
#include <string>

#include "util/error.hpp"

namespace cenv::util {

/// An I/O failure on a named path.
class IoError : public Error {
  public:
    using Error::Error;
};

/// The whole content of `path`. Throws IoError naming the path when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace cenv::util

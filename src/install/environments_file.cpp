#include "install/environments_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "util/file.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> listed(const fs::path& file) {
    std::vector<std::string> lines;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
        return lines;
    }
    std::istringstream in(util::read_file(file));
    for (std::string line; std::getline(in, line);) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
            line.pop_back();
        }
        lines.push_back(line);
    }
    return lines;
}

}  // namespace

fs::path environments_file() {
    const char* home = std::getenv("HOME");
    return fs::path(home != nullptr && *home != '\0' ? home : ".") / ".conda" / "environments.txt";
}

bool register_environment(const fs::path& prefix) {
    const fs::path file = environments_file();
    const std::string entry = prefix.lexically_normal().string();
    for (const auto& line : listed(file)) {
        if (line == entry) {
            return true;
        }
    }
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    // One O_APPEND write: concurrent registrations do not mix their lines.
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        return false;
    }
    const std::string line = entry + "\n";
    const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    ::close(fd);
    return ok;
}

bool unregister_environment(const fs::path& prefix) {
    const fs::path file = environments_file();
    const std::string entry = prefix.lexically_normal().string();
    auto lines = listed(file);
    std::string kept;
    bool found = false;
    for (const auto& line : lines) {
        if (line == entry) {
            found = true;
        } else if (!line.empty()) {
            kept += line + "\n";
        }
    }
    if (!found) {
        return false;
    }
    const fs::path temp = file.string() + ".cenv-tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << kept;
        if (!out.flush()) {
            return false;
        }
    }
    std::error_code ec;
    fs::rename(temp, file, ec);
    return !ec;
}

}  // namespace cenv::install

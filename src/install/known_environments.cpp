#include "install/known_environments.hpp"

#include <algorithm>
#include <set>
#include <system_error>

#include "util/file.hpp"
#include "util/strings.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

namespace {

fs::path normal(const fs::path& path) {
    fs::path out = fs::absolute(path).lexically_normal();
    return out.has_filename() ? out : out.parent_path();
}

bool is_environment(const fs::path& prefix) {
    std::error_code ec;
    return fs::is_directory(prefix / "conda-meta", ec);
}

}  // namespace

std::vector<KnownEnvironment> known_environments(const fs::path& root,
                                                 const std::vector<fs::path>& envs_dirs,
                                                 const fs::path& registry) {
    std::vector<fs::path> registered;
    std::error_code ec;
    if (fs::is_regular_file(registry, ec)) {
        const std::string text = util::read_file(registry);
        for (const auto line : util::split_any(text, "\r\n")) {
            if (const auto path = util::trim(line); !path.empty()) {
                registered.push_back(normal(std::string(path)));
            }
        }
    }
    const auto is_registered = [&](const fs::path& p) {
        return std::find(registered.begin(), registered.end(), p) != registered.end();
    };

    std::vector<KnownEnvironment> out;
    std::set<fs::path> seen;
    const auto add = [&](const fs::path& prefix) {
        if (is_environment(prefix) && seen.insert(prefix).second) {
            out.push_back({prefix, is_registered(prefix)});
        }
    };
    add(normal(root));
    for (const auto& dir : envs_dirs) {
        std::vector<fs::path> found;
        for (fs::directory_iterator it(normal(dir), ec), end; !ec && it != end; it.increment(ec)) {
            found.push_back(it->path());
        }
        std::sort(found.begin(), found.end());
        for (const auto& prefix : found) {
            add(prefix);
        }
    }
    for (const auto& prefix : registered) {
        add(prefix);
    }
    return out;
}

}  // namespace cenv::install

#include "system/library_search.hpp"

#include <elf.h>
#include <fcntl.h>
#include <glob.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>

#include "util/strings.hpp"

namespace cenv::system {

namespace {

#if defined(__x86_64__)
constexpr int kMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr int kMachine = EM_AARCH64;
#elif defined(__powerpc64__)
constexpr int kMachine = EM_PPC64;
#else
constexpr int kMachine = -1;  // unknown: check the class only
#endif
constexpr unsigned char kClass = sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32;

/// Whether `path` is an ELF shared object this process could load.
bool loadable_elf(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    unsigned char header[20] = {};
    const ssize_t n = ::read(fd, header, sizeof header);
    ::close(fd);
    if (n != static_cast<ssize_t>(sizeof header) || header[EI_MAG0] != ELFMAG0 ||
        header[EI_MAG1] != ELFMAG1 || header[EI_MAG2] != ELFMAG2 || header[EI_MAG3] != ELFMAG3 ||
        header[EI_CLASS] != kClass) {
        return false;
    }
    if (kMachine < 0) {
        return true;
    }
    // e_machine follows the 16-byte ident and e_type, in the file's byte order.
    const int machine = header[EI_DATA] == ELFDATA2MSB ? (header[18] << 8) | header[19]
                                                       : (header[19] << 8) | header[18];
    return machine == kMachine;
}

void collect_conf(const std::filesystem::path& conf, int depth,
                  std::vector<std::filesystem::path>& out) {
    if (depth > 4) {
        return;
    }
    std::ifstream in(conf);
    std::string line;
    while (std::getline(in, line)) {
        if (const std::size_t hash = line.find('#'); hash != std::string::npos) {
            line.erase(hash);
        }
        const std::string_view text = util::trim(line);
        if (text.empty()) {
            continue;
        }
        if (text.starts_with("include") && text.size() > 7 && util::is_space(text[7])) {
            for (const std::string_view pattern : util::split_any(text.substr(8), " \t")) {
                std::filesystem::path p(pattern);
                if (p.is_relative()) {
                    p = conf.parent_path() / p;
                }
                glob_t matches{};
                if (::glob(p.c_str(), 0, nullptr, &matches) == 0) {
                    for (std::size_t i = 0; i < matches.gl_pathc; ++i) {
                        collect_conf(matches.gl_pathv[i], depth + 1, out);
                    }
                }
                ::globfree(&matches);
            }
            continue;
        }
        if (text.starts_with("hwcap")) {
            continue;  // an old directive naming no directory
        }
        // "dir" or the old "dir=TYPE" form.
        out.emplace_back(std::string(text.substr(0, text.find('='))));
    }
}

}  // namespace

std::optional<std::filesystem::path> find_library(std::string_view soname,
                                                  const std::vector<std::filesystem::path>& dirs) {
    for (const auto& dir : dirs) {
        if (dir.empty()) {
            continue;
        }
        std::filesystem::path candidate = dir / soname;
        if (loadable_elf(candidate)) {
            return candidate;
        }
    }
    return std::nullopt;
}

std::vector<std::filesystem::path> ld_so_conf_dirs(const std::filesystem::path& conf) {
    std::vector<std::filesystem::path> out;
    collect_conf(conf, 0, out);
    return out;
}

std::vector<std::filesystem::path> loader_search_dirs() {
    std::vector<std::filesystem::path> dirs;
    if (const char* ld_path = std::getenv("LD_LIBRARY_PATH"); ld_path != nullptr) {
        for (const std::string_view dir : util::split_any(ld_path, ":;")) {
            dirs.emplace_back(std::string(dir));
        }
    }
    for (auto& dir : ld_so_conf_dirs("/etc/ld.so.conf")) {
        dirs.push_back(std::move(dir));
    }
    for (const char* dir : {
#if defined(__x86_64__)
             "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
#elif defined(__aarch64__)
             "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
#endif
                 "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/lib64/nvidia",
                 "/usr/lib/wsl/lib", "/usr/local/nvidia/lib64", "/usr/local/nvidia/lib"
         }) {
        dirs.emplace_back(dir);
    }
    std::vector<std::filesystem::path> unique;
    for (auto& dir : dirs) {
        if (std::find(unique.begin(), unique.end(), dir) == unique.end()) {
            unique.push_back(std::move(dir));
        }
    }
    return unique;
}

}  // namespace cenv::system

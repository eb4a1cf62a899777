#include "system/archspec.hpp"

#include <array>
#include <set>

#include "system/linux.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

namespace cenv::system {

namespace {

struct GenericLevel {
    std::string_view name;
    /// The /proc/cpuinfo flags the level adds to the one before it.
    std::array<std::string_view, 9> added;
};

// The generic x86_64 microarchitectures of archspec-json (cpu/microarchitectures.json,
// entries "x86_64_v2", "x86_64_v3", "x86_64_v4"; they follow the x86-64 psABI levels),
// each listed with the features it adds to the previous level.
constexpr std::array<GenericLevel, 3> kLevels{{
    {"x86_64_v2", {"cx16", "lahf_lm", "mmx", "sse", "sse2", "ssse3", "sse4_1", "sse4_2", "popcnt"}},
    {"x86_64_v3", {"avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"}},
    {"x86_64_v4", {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"}},
}};

/// The flags of the first processor block of /proc/cpuinfo.
std::set<std::string, std::less<>> first_cpu_flags(std::string_view cpuinfo) {
    std::set<std::string, std::less<>> flags;
    std::size_t pos = 0;
    while (pos < cpuinfo.size()) {
        std::size_t end = cpuinfo.find('\n', pos);
        if (end == std::string_view::npos) {
            end = cpuinfo.size();
        }
        const std::string_view line = cpuinfo.substr(pos, end - pos);
        pos = end + 1;
        if (util::trim(line).empty()) {
            if (!flags.empty()) {
                break;  // the blank line after the first processor's block
            }
            continue;
        }
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || util::trim(line.substr(0, colon)) != "flags") {
            continue;
        }
        for (const std::string_view flag : util::split_any(line.substr(colon + 1), " \t")) {
            flags.emplace(flag);
        }
        break;
    }
    return flags;
}

}  // namespace

std::string archspec_from_cpuinfo(std::string_view cpuinfo, std::string_view machine) {
    if (machine.empty()) {
        return "0";
    }
    if (machine != "x86_64") {
        return std::string(machine);
    }
    const auto flags = first_cpu_flags(cpuinfo);
    std::string_view best = "x86_64";
    for (const GenericLevel& level : kLevels) {
        for (const std::string_view flag : level.added) {
            if (!flag.empty() && !flags.contains(flag)) {
                return std::string(best);
            }
        }
        best = level.name;
    }
    return std::string(best);
}

std::string host_archspec() {
    std::string cpuinfo;
    try {
        cpuinfo = util::read_file("/proc/cpuinfo");
    } catch (const util::IoError&) {
        // No /proc (a chroot, a sandbox): only the family can be told.
    }
    return archspec_from_cpuinfo(cpuinfo, machine_name());
}

}  // namespace cenv::system

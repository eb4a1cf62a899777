#include "doctor/gpu_arch.hpp"

#include <charconv>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace cenv::doctor {

namespace {

std::optional<int> whole_number(std::string_view text) {
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::optional<ComputeCapability> ComputeCapability::parse(std::string_view text) {
    const auto dot = text.find('.');
    if (dot == std::string_view::npos) {
        return std::nullopt;
    }
    const auto major = whole_number(text.substr(0, dot));
    const auto minor = whole_number(text.substr(dot + 1));
    if (!major || !minor) {
        return std::nullopt;
    }
    return ComputeCapability{*major, *minor};
}

std::string ComputeCapability::sm() const {
    return fmt::format("sm_{}{}", major, minor);
}

std::optional<GpuArch> GpuArch::parse(std::string_view token) {
    GpuArch arch;
    if (token.starts_with("sm_")) {
        token.remove_prefix(3);
    } else if (token.starts_with("compute_")) {
        arch.kind = Kind::ptx;
        token.remove_prefix(8);
    } else {
        return std::nullopt;
    }
    if (!token.empty() && (token.back() == 'a' || token.back() == 'f')) {
        arch.suffix = token.back();
        token.remove_suffix(1);
    }
    // Two digits at least (sm_86, sm_120); the last one is the minor version.
    if (token.size() < 2 || !whole_number(token)) {
        return std::nullopt;
    }
    arch.capability.major = *whole_number(token.substr(0, token.size() - 1));
    arch.capability.minor = token.back() - '0';
    return arch;
}

std::string GpuArch::str() const {
    return fmt::format("{}_{}{}{}", kind == Kind::sass ? "sm" : "compute", capability.major,
                       capability.minor, suffix == 0 ? std::string() : std::string(1, suffix));
}

std::optional<ArchList> ArchList::parse(std::string_view text) {
    ArchList list;
    for (const std::string_view token : util::split_any(text, " \t")) {
        auto arch = GpuArch::parse(token);
        if (!arch) {
            return std::nullopt;
        }
        list.archs_.push_back(*arch);
    }
    if (list.archs_.empty()) {
        return std::nullopt;
    }
    return list;
}

std::string ArchList::str() const {
    std::string out;
    for (const auto& arch : archs_) {
        if (!out.empty()) {
            out += ' ';
        }
        out += arch.str();
    }
    return out;
}

ArchSupport ArchList::support(ComputeCapability gpu) const {
    bool through_ptx = false;
    for (const auto& arch : archs_) {
        const ComputeCapability& cc = arch.capability;
        if (arch.suffix == 'a') {
            // Arch-specific code (sm_90a, compute_90a) runs on exactly that capability.
            if (cc == gpu) {
                return arch.kind == GpuArch::Kind::sass ? ArchSupport::native : ArchSupport::ptx;
            }
            continue;
        }
        if (arch.kind == GpuArch::Kind::sass) {
            if (cc.major == gpu.major && cc.minor <= gpu.minor) {
                return ArchSupport::native;
            }
        } else if (cc <= gpu) {
            through_ptx = true;
        }
    }
    return through_ptx ? ArchSupport::ptx : ArchSupport::none;
}

}  // namespace cenv::doctor

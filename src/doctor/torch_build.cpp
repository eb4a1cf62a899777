#include "doctor/torch_build.hpp"

#include <fmt/format.h>

#include "solver/variant.hpp"
#include "util/strings.hpp"

namespace cenv::doctor {

namespace {

/// The kind and CUDA release a build string or pip local version names.
void classify(std::string_view text, TorchBuild& build) {
    if (auto release = solver::build_cuda_release(text)) {
        build.kind = TorchKind::cuda;
        build.cuda = release;
    } else if (text.find("cpu") != std::string_view::npos) {
        build.kind = TorchKind::cpu;
    } else if (text.find("rocm") != std::string_view::npos) {
        build.kind = TorchKind::rocm;
    }
}

/// The value of `name = '...'` (or `name: Optional[str] = '...'`) in version.py: the string;
/// nullopt for None, anything else, or no such assignment.
std::optional<std::string> assigned(std::string_view text, std::string_view name) {
    for (std::string_view line : util::split_any(text, "\n")) {
        line = util::trim(line);
        if (!line.starts_with(name)) {
            continue;
        }
        std::string_view rest = line.substr(name.size());
        if (rest.empty() || (rest.front() != ' ' && rest.front() != '=' && rest.front() != ':')) {
            continue;  // another name that starts the same (`cuda_version`)
        }
        const auto eq = rest.find('=');
        if (eq == std::string_view::npos) {
            continue;
        }
        const std::string_view value = util::trim(rest.substr(eq + 1));
        if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') &&
            value.back() == value.front()) {
            return std::string(value.substr(1, value.size() - 2));
        }
        return std::nullopt;  // None (or anything that is not a plain string)
    }
    return std::nullopt;
}

}  // namespace

std::string_view to_string(TorchKind kind) noexcept {
    switch (kind) {
        case TorchKind::cuda:
            return "CUDA";
        case TorchKind::cpu:
            return "CPU";
        case TorchKind::rocm:
            return "ROCm";
        case TorchKind::unknown:
            break;
    }
    return "unknown";
}

std::string TorchBuild::describe() const {
    if (installer == Installer::pip) {
        return fmt::format("pip torch {}", version);
    }
    return fmt::format("conda pytorch {} {}", version, build);
}

TorchBuild torch_from_conda(const specs::PackageRecord& record) {
    TorchBuild build;
    build.installer = TorchBuild::Installer::conda;
    build.version = record.version;
    build.build = record.build;
    build.where = fmt::format("conda-meta/{}.json", record.dist_str());
    classify(record.build, build);
    if (record.channel.find("conda-forge") != std::string::npos) {
        build.family = BuildFamily::conda_forge;
    } else if (record.channel.find("pytorch") != std::string::npos) {
        build.family = BuildFamily::pytorch_org;
    } else {
        // conda-forge's builds start with the variant (`cuda126_`, `cpu_`); the pytorch
        // channel's with the python (`py3.10_cuda12.1_`).
        build.family =
            record.build.starts_with("py") ? BuildFamily::pytorch_org : BuildFamily::conda_forge;
    }
    return build;
}

TorchBuild torch_from_pip(std::string_view version) {
    TorchBuild build;
    build.installer = TorchBuild::Installer::pip;
    build.version = std::string(version);
    build.family = BuildFamily::pytorch_org;
    if (const auto plus = version.find('+'); plus != std::string_view::npos) {
        classify(version.substr(plus + 1), build);
    }
    return build;
}

TorchKind TorchVersionFile::kind() const {
    if (cuda) {
        return TorchKind::cuda;
    }
    return hip ? TorchKind::rocm : TorchKind::cpu;
}

std::optional<ImportedTorch> imported_torch(const std::vector<TorchBuild>& builds,
                                            const std::optional<TorchVersionFile>& file) {
    if (builds.empty() && !file) {
        return std::nullopt;
    }
    ImportedTorch torch;
    if (!file) {
        torch.build = &builds.back();
        torch.version = torch.build->version;
        torch.kind = torch.build->kind;
        torch.cuda = torch.build->cuda;
        return torch;
    }
    torch.version = file->version;
    torch.kind = file->kind();
    torch.cuda = file->cuda ? solver::CudaRelease::parse(*file->cuda) : std::nullopt;
    const std::string plain = file->version.substr(0, file->version.find('+'));
    for (const auto& b : builds) {
        if (b.version == file->version || (torch.build == nullptr && b.version == plain)) {
            torch.build = &b;
        }
    }
    return torch;
}

std::optional<TorchVersionFile> parse_torch_version_file(std::string_view text) {
    auto version = assigned(text, "__version__");
    if (!version) {
        return std::nullopt;
    }
    TorchVersionFile file;
    file.version = std::move(*version);
    file.cuda = assigned(text, "cuda");
    file.hip = assigned(text, "hip");
    return file;
}

}  // namespace cenv::doctor

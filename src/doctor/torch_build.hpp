#pragma once
// What kind of PyTorch an environment holds, from what its installers recorded, without
// importing it:
//
//   conda record pytorch 2.1.0 py3.10_cuda12.1_cudnn8.9.2_0   pytorch channel, CUDA 12.1
//   conda record pytorch 2.5.1 cuda126_mkl_py312_h..._304     conda-forge, CUDA 12.6
//   conda record pytorch 2.1.0 py3.10_cpu_0 / cpu_mkl_...     a CPU build
//   pip torch 2.1.0+cu121 / 2.1.0+cpu / 2.6.0+rocm6.1         download.pytorch.org's wheels
//   pip torch 2.5.1                                           PyPI's default build: CUDA on
//                                                             Linux x86_64 (torch/version.py
//                                                             says which release)
//   site-packages/torch/version.py                            what `import torch` would load:
//       __version__ = '2.1.0+cu121'; cuda = '12.1'; hip = None
//
// With pip and conda copies in one environment, the files in site-packages/torch belong to
// whichever was installed last, so version.py is the truth about what Python imports.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doctor/arch_table.hpp"
#include "solver/variant_table.hpp"
#include "specs/package_record.hpp"

namespace cenv::doctor {

enum class TorchKind {
    cuda,     ///< built for CUDA (`cuda` holds the release when it is known)
    cpu,      ///< a CPU-only build: torch.cuda.is_available() is always False
    rocm,     ///< built for AMD's ROCm
    unknown,  ///< the records do not say
};

/// "CUDA", "CPU", "ROCm", "unknown".
std::string_view to_string(TorchKind kind) noexcept;

/// One installed copy of torch.
struct TorchBuild {
    enum class Installer { conda, pip };

    Installer installer = Installer::conda;
    std::string version;  ///< "2.1.0", "2.1.0+cu121"
    std::string build;    ///< the conda build string; empty for pip
    TorchKind kind = TorchKind::unknown;
    std::optional<solver::CudaRelease> cuda;  ///< the CUDA release it was built for
    BuildFamily family = BuildFamily::pytorch_org;
    std::string where;  ///< the record's file or the dist-info folder, relative to the prefix

    /// "conda pytorch 2.1.0 py3.10_cuda12.1_cudnn8.9.2_0", "pip torch 2.1.0+cu121".
    [[nodiscard]] std::string describe() const;
};

/// The build of a conda `pytorch` record (the channel decides the family when it names
/// conda-forge or pytorch; else the build string's shape does).
TorchBuild torch_from_conda(const specs::PackageRecord& record);

/// The build of a pip-installed `torch` of `version` (its local part: `+cu121`, `+cpu`,
/// `+rocm6.1`; none: PyPI's default, kind unknown until version.py says).
TorchBuild torch_from_pip(std::string_view version);

/// What site-packages/torch/version.py says.
struct TorchVersionFile {
    std::string version;              ///< `__version__`
    std::optional<std::string> cuda;  ///< `cuda`; nullopt when None (a CPU or ROCm build)
    std::optional<std::string> hip;   ///< `hip`; nullopt when None
    std::string path;                 ///< the file, relative to the prefix

    [[nodiscard]] TorchKind kind() const;
};

/// The torch that `import torch` loads.
struct ImportedTorch {
    const TorchBuild* build = nullptr;  ///< the installed copy it belongs to, when known
    std::string version;
    TorchKind kind = TorchKind::unknown;
    std::optional<solver::CudaRelease> cuda;
};

/// What `import torch` loads: version.py's torch when there is one (matched to the installed
/// copy of the same version, pip's `+cu121` before conda's plain one), else the last of
/// `builds` (pip's files overwrite conda's); nullopt when there is neither. `builds` must
/// outlive the result.
std::optional<ImportedTorch> imported_torch(const std::vector<TorchBuild>& builds,
                                            const std::optional<TorchVersionFile>& file);

/// Parses the text of torch/version.py (assignments of string literals or None, with or
/// without a type annotation); nullopt without a `__version__`.
std::optional<TorchVersionFile> parse_torch_version_file(std::string_view text);

}  // namespace cenv::doctor

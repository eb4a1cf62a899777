#pragma once
// Which GPU architectures PyTorch's CUDA builds carry, by build family, CUDA release and torch
// version: the fallback for when the installed torch cannot be read (torch_arch_flags.hpp).
// The facts live in data/torch_archs.json (sources named per entry), compiled into cenv.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doctor/gpu_arch.hpp"
#include "solver/variant_table.hpp"
#include "specs/version_spec.hpp"

namespace cenv::doctor {

/// Who built a torch: the same CUDA release gets different architecture lists.
enum class BuildFamily {
    pytorch_org,  ///< download.pytorch.org / PyPI wheels and the legacy pytorch conda channel
    conda_forge,  ///< conda-forge's pytorch-cpu-feedstock
};

/// "pytorch.org", "conda-forge".
std::string_view to_string(BuildFamily family) noexcept;

struct ArchTableEntry {
    BuildFamily family = BuildFamily::pytorch_org;
    std::vector<solver::CudaRelease> cuda;  ///< the CUDA releases it covers
    specs::VersionSpec torch;               ///< the torch versions it covers (local part dropped)
    ArchList archs;
    std::string source;  ///< where the list comes from, for the report
};

class ArchTable {
  public:
    /// Parses the JSON text of a table; `origin` names it in errors (DoctorError).
    static ArchTable parse(std::string_view json, std::string_view origin);

    /// The table compiled into cenv (data/torch_archs.json), parsed once.
    static const ArchTable& builtin();

    /// The first entry for `family` covering `cuda` and `torch_version` ("2.1.0"; a local
    /// part, "+cu121", is ignored); nullptr when none does or the version does not parse.
    [[nodiscard]] const ArchTableEntry* find(BuildFamily family, std::string_view torch_version,
                                             solver::CudaRelease cuda) const;

    [[nodiscard]] const std::vector<ArchTableEntry>& entries() const noexcept { return entries_; }

  private:
    std::vector<ArchTableEntry> entries_;
};

}  // namespace cenv::doctor

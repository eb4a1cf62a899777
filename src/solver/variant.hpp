#pragma once
// `torch=cu121` and friends: turns the shorthand AI users type into the conda specs that select
// such builds in the channels in use, and checks a CUDA variant against the machine's driver
// before solving. The rules are data (variant_table.hpp); nothing here reads files or prints.
//
//   torch                -> pytorch
//   torch=cu121          -> pytorch[build=*cuda12.1*] pytorch-cuda=12.1   (pytorch channel)
//                        -> pytorch[build=cuda*] cuda-version=12.1         (conda-forge)
//   torch=2.1=cu121      -> pytorch=2.1[build=*cuda12.1*] pytorch-cuda=12.1
//   pytorch>=2.1=cpu     -> pytorch>=2.1[build=*cpu*]
//   torch=cuda           -> pytorch[build=*cuda*]                          (any CUDA build)
//
// The route (channel family) is the first in the table whose packages the channels have; a
// route that lacks what it needs (the pytorch channel without the nvidia channel's cuda-*
// packages) is an error that names the route that works instead, never a silent CPU build.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "solver/variant_table.hpp"
#include "specs/package_record.hpp"

namespace cenv::solver {

/// The records of the channels in use that variant rules look at (pytorch, pytorch-cuda,
/// cuda-cudart, cuda-version, ...), kept to answer "do the channels have a match for this?".
class ChannelOffer {
  public:
    explicit ChannelOffer(const VariantTable& table = VariantTable::builtin());

    /// Registers a channel (a record's `channel` value) in priority order, highest first.
    /// Records of channels not registered are ranked in the order first seen, after these.
    void add_channel(std::string_view channel);

    /// Keeps copies of the records whose names the table's rules mention (a few hundred at
    /// most, whatever the channel's size).
    void add(const std::vector<specs::PackageRecord>& records);

    /// The package names whose records add() keeps.
    [[nodiscard]] const std::vector<std::string>& names() const noexcept { return names_; }

    /// Whether a kept record matches `spec` (match-spec syntax; a channel prefix is ignored).
    /// Under strict channel priority only the first channel (in the order added) that has
    /// the spec's package name counts, as in the solve.
    [[nodiscard]] bool has(std::string_view spec) const;

    /// Strict channel priority (the default): see has().
    void set_strict(bool strict) noexcept { strict_ = strict; }
    [[nodiscard]] bool strict() const noexcept { return strict_; }

  private:
    std::vector<std::string> names_;
    std::vector<std::string> channels_;  // in priority order, as first seen
    std::vector<specs::PackageRecord> records_;
    std::vector<std::size_t> channel_of_;  // per record, its index in channels_
    bool strict_ = true;
};

/// What the machine's driver supports, as the solve sees it (`__cuda`), and how it was found.
struct MachineCuda {
    std::optional<std::string> cuda;  ///< the `__cuda` version; nullopt: no driver (no GPU)
    std::string driver_version;       ///< "525.60.13" when known
    /// "CONDA_OVERRIDE_CUDA" when an override variable decided (even an empty one), else the
    /// detection method, e.g. "NVML (/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1)".
    std::string source;

    /// "driver 525.60.13 -> CUDA 12.0", "CONDA_OVERRIDE_CUDA=12.0 -> CUDA 12.0",
    /// "no NVIDIA driver was detected (no __cuda)", "CONDA_OVERRIDE_CUDA is empty (no GPU)".
    [[nodiscard]] std::string describe() const;
};

/// One user spec and what cenv solves for it.
struct SpecExpansion {
    std::string written;                      ///< "torch=cu121", as typed
    std::string package;                      ///< "pytorch" (after aliases)
    std::string user_name;                    ///< "torch": the name to suggest variants with
    std::optional<VariantSelector> selector;  ///< cu121; nullopt: no selector
    std::string route;                        ///< "pytorch channel"; empty without selector
    std::vector<std::string> specs;           ///< what is solved

    /// Whether anything was rewritten (an alias or a selector).
    [[nodiscard]] bool changed() const { return specs.size() != 1 || specs.front() != written; }
    /// "torch=cu121 -> pytorch[build=*cuda12.1*] pytorch-cuda=12.1 (pytorch channel route)".
    [[nodiscard]] std::string str() const;
};

/// Expands each spec (aliases, selectors; other specs stay as they are). Throws
/// VariantError when a selector is used on a package that has no variants, or when no
/// route of the channels in use can provide the variant (the message says which route would).
std::vector<SpecExpansion> expand_specs(const std::vector<std::string>& specs,
                                        const ChannelOffer& offer,
                                        const VariantTable& table = VariantTable::builtin());

/// Aliases only (`torch` -> `pytorch`), for `remove`: specs name installed packages there,
/// and a selector has nothing to select.
std::vector<SpecExpansion> expand_aliases(const std::vector<std::string>& specs,
                                          const VariantTable& table = VariantTable::builtin());

/// Checks the CUDA variants among `expansions` against the driver. Throws VariantError
/// (what was detected, which driver the request needs, which variants would work now, how
/// to solve for another machine) when the driver cannot run one; returns warnings, one line
/// each, for variants that rely on CUDA minor-version compatibility (driver 12.0, runtime 12.1).
std::vector<std::string> check_driver(const std::vector<SpecExpansion>& expansions,
                                      const MachineCuda& machine, const ChannelOffer& offer,
                                      const VariantTable& table = VariantTable::builtin());

/// The selectors the channels can provide and the driver can run, as specs
/// (`torch=cu118`, `torch=cpu`), newest CUDA first.
std::vector<std::string> working_variants(std::string_view user_name, std::string_view package,
                                          const MachineCuda& machine, const ChannelOffer& offer,
                                          const VariantTable& table = VariantTable::builtin());

/// A pin (`cuda-version <12.5.0a0`) that keeps the CUDA runtime within the driver's release,
/// for requests that leave the CUDA release to cenv (`torch`, `torch=cuda`) on a machine with
/// a driver: conda's `cuda-version` only constrains `__cuda >=12`, so without it a 12.4
/// driver would get the newest 12.x runtime through minor-version compatibility. Solve
/// without it when it makes the request unsolvable. nullopt when it does not apply.
std::optional<std::string> runtime_cap(const std::vector<SpecExpansion>& expansions,
                                       const MachineCuda& machine, const ChannelOffer& offer,
                                       const VariantTable& table = VariantTable::builtin());

/// The CUDA release a build string names: `py3.10_cuda12.1_cudnn8.9.2_0` (pytorch channel) ->
/// 12.1, `cuda120_py310h1234567_301` / `cuda126_mkl_py312_*` (conda-forge) -> 12.0 / 12.6,
/// a pip local version `cu121` -> 12.1; nullopt when it names none (`py3.10_cpu_0`).
std::optional<CudaRelease> build_cuda_release(std::string_view build);

/// The CUDA runtime of a solved environment: `cuda-version`, else `pytorch-cuda`, else the
/// CUDA release in the build string of `package` (`cuda12.1`, `cuda120`); nullopt for a CPU
/// build or when `package` is not in `records`.
std::optional<CudaRelease> solved_cuda(const std::vector<specs::PackageRecord>& records,
                                       std::string_view package);

/// One line about the build of a variant package the solve chose, for specs that gave no
/// selector (`torch`): which variant, why (the driver), how to choose another. Also for
/// selected variants that rely on minor-version compatibility. Empty when `package` is not
/// among `records`.
std::string describe_choice(const SpecExpansion& expansion,
                            const std::vector<specs::PackageRecord>& records,
                            const MachineCuda& machine, const ChannelOffer& offer,
                            const VariantTable& table = VariantTable::builtin());

}  // namespace cenv::solver

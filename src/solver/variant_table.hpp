#pragma once
// The facts behind `torch=cu121`: package aliases, variant selectors, how each channel family
// ("route") spells a variant as conda specs, and NVIDIA's CUDA toolkit -> minimum driver
// table. They live in data/cuda_variants.json (sources named there), compiled into cenv.
// This header only reads the table; variant.hpp applies it to specs.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cenv::solver {

/// What a selector asks for: one CUDA release (`cu121`), any CUDA build, or a CPU build.
enum class VariantKind { cuda, any_cuda, cpu };

/// A word in the version position of a spec that selects builds: `cu121` -> CUDA 12.1.
struct VariantSelector {
    std::string name;  ///< "cu121"
    VariantKind kind = VariantKind::cuda;
    std::string cuda;  ///< "12.1" for kind cuda, empty otherwise
};

/// How one kind of variant is written in one channel family.
struct RouteRule {
    /// Spec templates; {package}, {version} (with its operator) and {cuda} are filled in.
    std::vector<std::string> specs;
    /// Specs the channels must match for this route to be usable (the packages it pulls).
    std::vector<std::string> needs;
};

/// One channel family's way to build pytorch variants: the pytorch channel (build strings
/// `py3.10_cuda12.1_cudnn8.9.2_0`, the `pytorch-cuda` metapackage, NVIDIA's cuda-* packages)
/// or conda-forge (`cuda120_py310_*` builds, `cuda-version`).
struct VariantRoute {
    std::string name;  ///< "pytorch channel", "conda-forge"
    RouteRule cuda;
    RouteRule any_cuda;
    RouteRule cpu;
    /// Why the route is incomplete when a `needs` spec is missing, for messages.
    std::string missing_hint;
    /// The package whose version is the CUDA runtime of a solution (`cuda-version`): capped
    /// at the driver's release when the user gave no CUDA release (see variant.hpp).
    std::string runtime_package;

    [[nodiscard]] const RouteRule& rule(VariantKind kind) const noexcept;
};

/// NVIDIA's minimum driver for a CUDA toolkit (its GA release), Linux x86_64 and Windows.
struct DriverRequirement {
    std::string cuda;            ///< "12.1"
    std::string linux_driver;    ///< "530.30.02"
    std::string windows_driver;  ///< "531.14"; empty where the toolkit ships no Windows driver
};

/// A CUDA release as major and minor ("12.1", "12.1.105" -> {12, 1}); ordered.
struct CudaRelease {
    int major = 0;
    int minor = 0;

    /// nullopt when `text` does not start with digits, a dot and digits ("12" reads as 12.0).
    static std::optional<CudaRelease> parse(std::string_view text);
    [[nodiscard]] std::string str() const;
    friend auto operator<=>(const CudaRelease&, const CudaRelease&) = default;
};

struct VariantTable {
    std::vector<std::pair<std::string, std::string>> aliases;  ///< torch -> pytorch
    std::vector<std::string> variant_packages;                 ///< names selectors apply to
    std::vector<VariantSelector> selectors;
    std::vector<VariantRoute> routes;  ///< in the order they are tried
    std::vector<DriverRequirement> drivers;
    /// The first driver of each major family, which runs every minor release of it
    /// (minor-version compatibility); `cuda` holds the major ("12").
    std::vector<DriverRequirement> minor_compat;

    /// Parses the JSON text of a table; `origin` names it in errors (SolverError).
    static VariantTable parse(std::string_view json, std::string_view origin);

    /// The table compiled into cenv (data/cuda_variants.json), parsed once.
    static const VariantTable& builtin();

    /// The package `name` stands for (`torch` -> `pytorch`); nullopt when it is no alias.
    [[nodiscard]] std::optional<std::string> alias_of(std::string_view name) const;
    [[nodiscard]] const VariantSelector* selector(std::string_view name) const;
    [[nodiscard]] bool is_variant_package(std::string_view name) const;
    /// The minimum driver for CUDA `cuda` ("12.1"; "12.1.105" reads as 12.1); nullopt when
    /// the table has no such release.
    [[nodiscard]] std::optional<DriverRequirement> driver_for(std::string_view cuda) const;
    /// The first driver of `cuda`'s major family (minor-version compatibility).
    [[nodiscard]] std::optional<DriverRequirement> family_driver(std::string_view cuda) const;
};

}  // namespace cenv::solver

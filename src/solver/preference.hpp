#pragma once
// Which of two builds of the same package conda prefers, when nothing else decides:
// fewer track_features (and legacy `features`) first, then the higher version, then the higher
// build number, then the build string compared piecewise like rpm's vercmp, so that `py3.10` >
// `py3.8` and `cuda12.1` > `cuda11.8` > `cpu`, then the newer timestamp. Builds whose strings
// differ only in conda-build's hash (`py36h14c3975_1`, `py36hd9260cd_1`) are the same variant
// rebuilt: for them the newer timestamp decides before the build string, as conda's tests expect
// (test_timestamps_1). The timestamp does not decide between variants: it made a bare
// `pytorch` pick an old python in the prototype (DESIGN.md).

#include <optional>
#include <string_view>

#include "specs/package_record.hpp"
#include "specs/version.hpp"

namespace cenv::solver {

/// Compares build strings piecewise: runs of digits compare as numbers, runs of letters as
/// text, a number beats letters, other characters only separate runs; when all shared runs
/// are equal, the string with more runs is greater. Returns <0, 0 or >0.
int compare_build_strings(std::string_view a, std::string_view b) noexcept;

/// Whether a build string names a CUDA variant: `cuda` followed by a digit
/// (`py3.10_cuda12.1_cudnn8.9.2_0`) or `cu` and three digits (`cu121`, conda-forge's
/// `cuda120_py310_*`).
bool is_cuda_build(std::string_view build) noexcept;

/// <0 when `a` is less preferred than `b`, 0 when neither is, >0 when `a` is preferred.
/// The versions are the records' parsed versions; nullopt (an unparsable version) is least.
/// `machine_has_cuda` false (no `__cuda`): between builds of the same version and build
/// number, a CPU build is preferred to a CUDA variant, which could not run here; with a GPU
/// the newest CUDA variant comes first (its `__cuda` dependencies keep it runnable).
int compare_preference(const specs::PackageRecord& a, const std::optional<specs::Version>& va,
                       const specs::PackageRecord& b, const std::optional<specs::Version>& vb,
                       bool machine_has_cuda = true);

}  // namespace cenv::solver

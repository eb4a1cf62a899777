#pragma once
// The checks of `cenv doctor`: pure functions from Facts to findings, so that every verdict
// and every fix is testable without a GPU. What each one looks at:
//
//   machine      gpu (name, compute capability), driver (version, the CUDA it supports,
//                overrides of __cuda), nvcc (on PATH, against the environment and the driver),
//                ld_library_path (CUDA libraries that come before the environment's)
//   environment  environment, cuda_runtime (against the driver, with NVIDIA's minimum
//                driver per release), torch (build, CPU build on a GPU machine, CUDA build
//                without a driver), torch_duplicates (conda and pip copies), torch_arch
//                (this GPU among the build's architectures)
//   network      mirrors (reachability of the configured mirrors)

#include <optional>
#include <string>
#include <vector>

#include "doctor/facts.hpp"
#include "doctor/report.hpp"
#include "solver/variant_table.hpp"

namespace cenv::doctor {

/// The findings for `facts`: machine, then environment, then network.
std::vector<Finding> run_checks(
    const Facts& facts, const solver::VariantTable& table = solver::VariantTable::builtin());

/// The PyTorch variant selector (`cu121`) that suits a driver supporting CUDA `driver`: the
/// newest release at or below it, else the newest of its major family (minor-version
/// compatibility); nullopt when none suits (an older driver than any variant needs).
std::optional<std::string> variant_for_driver(solver::CudaRelease driver,
                                              const solver::VariantTable& table);

}  // namespace cenv::doctor

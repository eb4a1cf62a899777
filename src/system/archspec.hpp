#pragma once
// The build string of conda's `__archspec` virtual package: the CPU's microarchitecture.
//
// conda (and rattler) report archspec's most specific name for the host (`cascadelake`,
// `zen3`, ...), which needs archspec's whole database of ~70 microarchitectures. cenv reports
// archspec's best *generic* x86_64 level instead: `x86_64`, `x86_64_v2`, `x86_64_v3` or
// `x86_64_v4`, decided as archspec decides it (every feature of the level is among the
// `flags` of the first CPU in /proc/cpuinfo). conda-forge's `_x86_64-microarch-level`
// metapackages publish a build for each generic level (`__archspec 1=x86_64_v3`) next to
// the named ones, so level-dependent packages solve the same way; a spec that names a
// specific microarchitecture does not match (set CENV_OVERRIDE_ARCHSPEC for that).
// Other machines report the machine name (`aarch64`, `ppc64le`), archspec's family root.

#include <string>
#include <string_view>

namespace cenv::system {

/// The `__archspec` build for a machine (`uname -m`) whose /proc/cpuinfo reads `cpuinfo`.
/// x86_64: "x86_64" .. "x86_64_v4" by the flags of the first processor (just "x86_64" when
/// there are none); any other machine: `machine` itself; empty machine: "0".
std::string archspec_from_cpuinfo(std::string_view cpuinfo, std::string_view machine);

/// `archspec_from_cpuinfo` for this host (/proc/cpuinfo and uname).
std::string host_archspec();

}  // namespace cenv::system

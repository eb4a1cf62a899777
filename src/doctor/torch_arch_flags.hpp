#pragma once
// The GPU architectures an installed torch was built for, read from its library file without
// loading it (importing torch means loading gigabytes of CUDA libraries and may initialise
// the driver: too slow and too risky for a diagnosis).
//
// `torch.cuda.get_arch_list()` splits `torch._C._cuda_getArchFlags()`, which returns a string
// literal compiled into libtorch_python.so (`C10_STRINGIZE(CUDA_ARCH_FLAGS)`, e.g.
// "sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90"). The literal lies NUL-terminated in the
// library's read-only data, so it is found by looking in the ELF file's `.rodata*` sections
// for a NUL-delimited string made only of architecture tokens. The file is mapped, not read:
// only the pages of those sections are touched.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "doctor/gpu_arch.hpp"

namespace cenv::doctor {

struct ArchFlagsRead {
    std::optional<ArchList> archs;  ///< set when exactly one architecture list was found
    std::string failure;            ///< why not: "no architecture list", "not an ELF file", ...
};

/// The architecture list in `bytes` (read-only data of a library): the one NUL-delimited
/// string of at least two space-separated `sm_XY` / `compute_XY` tokens, at least one of
/// them `sm_`. Two different such strings make the answer unknown (failure says so).
ArchFlagsRead find_arch_flags(std::string_view bytes);

/// find_arch_flags over the `.rodata*` sections of the ELF shared library `library`
/// (64-bit, this machine's byte order).
ArchFlagsRead read_torch_arch_flags(const std::filesystem::path& library);

}  // namespace cenv::doctor

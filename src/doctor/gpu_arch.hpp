#pragma once
// The GPU architectures a CUDA binary carries, as PyTorch lists them
// (`torch.cuda.get_arch_list()`, `torch._C._cuda_getArchFlags()`):
//
//   sm_86        machine code (SASS) for compute capability 8.6; it also runs on 8.7, 8.9
//                (same major, higher minor), never on another major
//   sm_90a       machine code for 9.0 only (arch-specific features)
//   sm_100f      machine code for the 10.x family from 10.0 on
//   compute_90   PTX for 9.0: the driver compiles it for any GPU of capability >= 9.0 at
//                first use (slow start; fails when the PTX is newer than the driver's compiler)
//
// An RTX 3090 (8.6) runs a build that lists sm_80 or sm_86; an RTX 5090 (12.0) needs sm_120
// or a PTX entry <= 12.0: builds for CUDA <= 12.6 have neither, hence the classic
// "sm_120 is not compatible with the current PyTorch installation".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cenv::doctor {

/// A compute capability, "8.6" -> {8, 6}; ordered.
struct ComputeCapability {
    int major = 0;
    int minor = 0;

    /// nullopt unless `text` is two numbers joined by a dot ("8.6", "12.0").
    static std::optional<ComputeCapability> parse(std::string_view text);
    /// "sm_86", as PyTorch names it in its messages.
    [[nodiscard]] std::string sm() const;
    friend auto operator<=>(const ComputeCapability&, const ComputeCapability&) = default;
};

/// One entry of an architecture list.
struct GpuArch {
    enum class Kind { sass, ptx };

    Kind kind = Kind::sass;
    ComputeCapability capability;
    char suffix = 0;  ///< 0, 'a' (this capability only) or 'f' (its family)

    /// nullopt unless `token` is `sm_<digits>[a|f]` or `compute_<digits>[a|f]`; the last digit
    /// is the minor version ("sm_120" -> 12.0).
    static std::optional<GpuArch> parse(std::string_view token);
    /// The token again: "sm_86", "compute_90".
    [[nodiscard]] std::string str() const;
};

/// How a binary can run on a GPU.
enum class ArchSupport {
    native,  ///< machine code for it (or for an earlier minor of its major)
    ptx,     ///< only through PTX compiled by the driver at first use
    none,    ///< not at all: "no kernel image is available for execution on the device"
};

class ArchList {
  public:
    /// The entries of a space-separated list ("sm_50 sm_60 compute_90"); nullopt when it is
    /// empty or a token is not an architecture.
    static std::optional<ArchList> parse(std::string_view text);

    [[nodiscard]] const std::vector<GpuArch>& archs() const noexcept { return archs_; }
    /// The list as parsed, space-separated.
    [[nodiscard]] std::string str() const;
    /// Whether code built with this list runs on a GPU of capability `gpu`, and how.
    [[nodiscard]] ArchSupport support(ComputeCapability gpu) const;

  private:
    std::vector<GpuArch> archs_;
};

}  // namespace cenv::doctor

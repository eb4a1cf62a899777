#include "system/archspec.hpp"

#include <gtest/gtest.h>

#include "system/linux.hpp"
#include "util/file.hpp"

namespace cenv::system {
namespace {

// First lines of /proc/cpuinfo on a few real machines (flags abridged where noted).
constexpr const char* kCore2 =
    "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 15\n"
    "model name\t: Intel(R) Core(TM)2 CPU 6600 @ 2.40GHz\n"
    "flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush "
    "dts acpi mmx fxsr sse sse2 ss ht tm pbe syscall nx lm constant_tsc arch_perfmon pebs bts "
    "rep_good nopl cpuid aperfmperf pni dtes64 monitor ds_cpl vmx est tm2 ssse3 cx16 xtpr pdcm "
    "lahf_lm pti tpr_shadow dtherm\n\n";

constexpr const char* kNehalem =
    "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU X5570\n"
    "flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush "
    "mmx fxsr sse sse2 ss ht syscall nx rdtscp lm constant_tsc pni dtes64 monitor ssse3 cx16 "
    "sse4_1 sse4_2 popcnt lahf_lm\n\n";

constexpr const char* kZen2 =
    "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 23\nmodel\t\t: 49\n"
    "model name\t: AMD EPYC 7742 64-Core Processor\n"
    "flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush "
    "mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good "
    "nopl xtopology nonstop_tsc cpuid extd_apicid aperfmperf pni pclmulqdq monitor ssse3 fma "
    "cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand lahf_lm cmp_legacy svm "
    "extapic cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw ibs skinit wdt tce topoext "
    "perfctr_core perfctr_nb bpext perfctr_llc mwaitx cpb cat_l3 cdp_l3 hw_pstate ssbd mba "
    "ibrs ibpb stibp vmmcall fsgsbase bmi1 avx2 smep bmi2 cqm rdt_a rdseed adx smap "
    "clflushopt clwb sha_ni xsaveopt xsavec xgetbv1 xsaves cqm_llc cqm_occup_llc\n\n";

constexpr const char* kSkylakeAvx512 =
    "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Gold 6148\n"
    "flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush "
    "mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc pni pclmulqdq ssse3 fma "
    "cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand lahf_lm abm "
    "3dnowprefetch fsgsbase bmi1 hle avx2 smep bmi2 erms invpcid rtm mpx avx512f avx512dq "
    "rdseed adx smap clflushopt clwb avx512cd avx512bw avx512vl xsaveopt xsavec xgetbv1\n\n";

TEST(ArchspecFromCpuinfo, GenericLevelsFromFlags) {
    EXPECT_EQ(archspec_from_cpuinfo(kCore2, "x86_64"), "x86_64");  // no popcnt, no sse4_x
    EXPECT_EQ(archspec_from_cpuinfo(kNehalem, "x86_64"), "x86_64_v2");
    EXPECT_EQ(archspec_from_cpuinfo(kZen2, "x86_64"), "x86_64_v3");  // no AVX-512
    EXPECT_EQ(archspec_from_cpuinfo(kSkylakeAvx512, "x86_64"), "x86_64_v4");
}

TEST(ArchspecFromCpuinfo, OneMissingFeatureDropsALevel) {
    std::string no_vl(kSkylakeAvx512);
    no_vl.replace(no_vl.find(" avx512vl"), 9, "");
    EXPECT_EQ(archspec_from_cpuinfo(no_vl, "x86_64"), "x86_64_v3");
    std::string no_movbe(kZen2);
    no_movbe.replace(no_movbe.find(" movbe"), 6, "");
    EXPECT_EQ(archspec_from_cpuinfo(no_movbe, "x86_64"), "x86_64_v2");
}

TEST(ArchspecFromCpuinfo, OnlyTheFirstProcessorCounts) {
    const std::string two = std::string(kNehalem) + kSkylakeAvx512;
    EXPECT_EQ(archspec_from_cpuinfo(two, "x86_64"), "x86_64_v2");
}

TEST(ArchspecFromCpuinfo, OtherMachinesReportTheirFamily) {
    EXPECT_EQ(archspec_from_cpuinfo("processor\t: 0\nFeatures\t: fp asimd\n", "aarch64"),
              "aarch64");
    EXPECT_EQ(archspec_from_cpuinfo("", "ppc64le"), "ppc64le");
    EXPECT_EQ(archspec_from_cpuinfo("", "x86_64"), "x86_64");
    EXPECT_EQ(archspec_from_cpuinfo(kZen2, ""), "0");
}

TEST(HostArchspec, AgreesWithThisMachinesFlags) {
    const std::string arch = host_archspec();
    if (machine_name() != "x86_64") {
        EXPECT_EQ(arch, machine_name());
        return;
    }
    const std::string cpuinfo = util::read_file("/proc/cpuinfo");
    const std::string flags = cpuinfo.substr(cpuinfo.find("\nflags"));
    const std::string first = flags.substr(0, flags.find('\n', 1)) + " ";
    const auto has = [&](const char* f) {
        return first.find(std::string(" ") + f + " ") != std::string::npos;
    };
    if (has("avx512f") && has("avx512vl") && has("avx2") && has("movbe")) {
        EXPECT_EQ(arch, "x86_64_v4");
    } else if (has("avx2") && has("bmi2") && has("fma") && has("movbe") && has("abm")) {
        EXPECT_EQ(arch, "x86_64_v3");
    } else {
        EXPECT_TRUE(arch == "x86_64" || arch == "x86_64_v2") << arch;
    }
}

}  // namespace
}  // namespace cenv::system

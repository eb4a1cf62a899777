#include "doctor/gpu_arch.hpp"

#include <gtest/gtest.h>

namespace cenv::doctor {
namespace {

ComputeCapability cc(int major, int minor) {
    return {major, minor};
}

TEST(ComputeCapability, ParsesMajorDotMinor) {
    EXPECT_EQ(ComputeCapability::parse("8.6"), cc(8, 6));
    EXPECT_EQ(ComputeCapability::parse("12.0"), cc(12, 0));
    EXPECT_EQ(ComputeCapability::parse("12.0")->sm(), "sm_120");
    EXPECT_FALSE(ComputeCapability::parse("8"));
    EXPECT_FALSE(ComputeCapability::parse("8.x"));
    EXPECT_FALSE(ComputeCapability::parse(""));
}

TEST(GpuArch, ParsesTokens) {
    const auto sm86 = GpuArch::parse("sm_86");
    ASSERT_TRUE(sm86);
    EXPECT_EQ(sm86->kind, GpuArch::Kind::sass);
    EXPECT_EQ(sm86->capability, cc(8, 6));
    const auto sm120 = GpuArch::parse("sm_120");
    ASSERT_TRUE(sm120);
    EXPECT_EQ(sm120->capability, cc(12, 0));
    const auto ptx = GpuArch::parse("compute_90");
    ASSERT_TRUE(ptx);
    EXPECT_EQ(ptx->kind, GpuArch::Kind::ptx);
    EXPECT_EQ(ptx->capability, cc(9, 0));
    const auto specific = GpuArch::parse("sm_90a");
    ASSERT_TRUE(specific);
    EXPECT_EQ(specific->suffix, 'a');
    EXPECT_EQ(specific->str(), "sm_90a");
    for (const char* bad : {"sm_", "sm_8", "sm_8x", "gfx90a", "compute", "sm86", ""}) {
        EXPECT_FALSE(GpuArch::parse(bad)) << bad;
    }
}

TEST(ArchList, RoundTripsAndRejectsOtherWords) {
    const auto list = ArchList::parse("sm_50 sm_60  compute_90");
    ASSERT_TRUE(list);
    EXPECT_EQ(list->str(), "sm_50 sm_60 compute_90");
    EXPECT_FALSE(ArchList::parse(""));
    EXPECT_FALSE(ArchList::parse("sm_50 is not"));
}

TEST(ArchList, MachineCodeRunsOnLaterMinorsOfItsMajor) {
    const auto cu121 = *ArchList::parse("sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90");
    EXPECT_EQ(cu121.support(cc(8, 6)), ArchSupport::native);
    EXPECT_EQ(cu121.support(cc(8, 9)), ArchSupport::native);  // RTX 40 runs sm_86
    EXPECT_EQ(cu121.support(cc(9, 0)), ArchSupport::native);
    EXPECT_EQ(cu121.support(cc(12, 0)), ArchSupport::none);  // RTX 50 needs sm_120
    EXPECT_EQ(cu121.support(cc(3, 7)), ArchSupport::none);   // K80: too old

    const auto cu102 = *ArchList::parse("sm_37 sm_50 sm_60 sm_70");
    EXPECT_EQ(cu102.support(cc(8, 6)), ArchSupport::none);  // the classic sm_86 message
    EXPECT_EQ(cu102.support(cc(7, 5)), ArchSupport::native);
}

TEST(ArchList, PtxServesNewerGpus) {
    const auto cf = *ArchList::parse("sm_80 sm_86 sm_90 compute_90");
    EXPECT_EQ(cf.support(cc(12, 0)), ArchSupport::ptx);
    EXPECT_EQ(cf.support(cc(10, 0)), ArchSupport::ptx);
    EXPECT_EQ(cf.support(cc(8, 0)), ArchSupport::native);
    EXPECT_EQ(cf.support(cc(7, 5)), ArchSupport::none);  // PTX only runs forward
}

TEST(ArchList, ArchSpecificCodeRunsOnItsCapabilityOnly) {
    const auto list = *ArchList::parse("sm_80 sm_90a");
    EXPECT_EQ(list.support(cc(9, 0)), ArchSupport::native);
    EXPECT_EQ(list.support(cc(10, 0)), ArchSupport::none);
    const auto family = *ArchList::parse("sm_100f");
    EXPECT_EQ(family.support(cc(10, 3)), ArchSupport::native);
}

}  // namespace
}  // namespace cenv::doctor

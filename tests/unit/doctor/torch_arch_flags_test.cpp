#include "doctor/torch_arch_flags.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace cenv::doctor {
namespace {

using namespace std::string_literals;
using testing::ScratchDir;
using testing::torch_stub;

TEST(FindArchFlags, TakesTheNulDelimitedList) {
    const std::string data = "\0other\0sm_50 sm_60 sm_86 compute_86\0more"s;
    const auto read = find_arch_flags(data);
    ASSERT_TRUE(read.archs) << read.failure;
    EXPECT_EQ(read.archs->str(), "sm_50 sm_60 sm_86 compute_86");
}

TEST(FindArchFlags, IgnoresMessagesAndSingleTokens) {
    const std::string data =
        "\0sm_86 is not compatible\0sm_80\0-gencode arch=compute_80,code=sm_80\0xsm_80 sm_86\0"s;
    const auto read = find_arch_flags(data);
    EXPECT_FALSE(read.archs);
    EXPECT_NE(read.failure.find("no architecture list"), std::string::npos);
}

TEST(FindArchFlags, TwoDifferentListsAreUnknown) {
    const std::string data = "\0sm_50 sm_60\0sm_70 sm_80\0sm_50 sm_60\0"s;
    const auto read = find_arch_flags(data);
    EXPECT_FALSE(read.archs);
    EXPECT_NE(read.failure.find("2 different architecture lists"), std::string::npos);
}

TEST(ReadTorchArchFlags, ReadsTheStubLibraries) {
    const auto cu121 = read_torch_arch_flags(torch_stub("cu121"));
    ASSERT_TRUE(cu121.archs) << cu121.failure;
    EXPECT_EQ(cu121.archs->str(), "sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90");

    const auto cu128 = read_torch_arch_flags(torch_stub("cu128"));
    ASSERT_TRUE(cu128.archs) << cu128.failure;
    EXPECT_EQ(cu128.archs->support({12, 0}), ArchSupport::native);
}

TEST(ReadTorchArchFlags, ACpuBuildHasNoList) {
    const auto cpu = read_torch_arch_flags(torch_stub("cpu"));
    EXPECT_FALSE(cpu.archs);
    EXPECT_NE(cpu.failure.find("no architecture list"), std::string::npos);
}

TEST(ReadTorchArchFlags, OtherFilesAreFailuresNotCrashes) {
    ScratchDir dir;
    const auto text = dir.path() / "libtorch_python.so";
    testing::write(text, "sm_50 sm_60\0"s);
    EXPECT_NE(read_torch_arch_flags(text).failure.find("not an ELF file"), std::string::npos);

    // A truncated ELF: the header claims a section table beyond the end.
    std::string elf =
        "\x7f"
        "ELF\x02\x01\x01"s +
        std::string(57, '\0');
    elf[0x3c] = 5;     // e_shnum
    elf[0x3a] = 64;    // e_shentsize
    elf[0x28] = 0x10;  // e_shoff = 16 (the table would run past the end)
    testing::write(text, elf);
    const auto truncated = read_torch_arch_flags(text);
    EXPECT_FALSE(truncated.archs);
    EXPECT_NE(truncated.failure.find("section table"), std::string::npos);

    EXPECT_NE(read_torch_arch_flags(dir.path() / "missing.so").failure.find("cannot read"),
              std::string::npos);
    testing::write(dir.path() / "empty.so", "");
    EXPECT_FALSE(read_torch_arch_flags(dir.path() / "empty.so").archs);
}

}  // namespace
}  // namespace cenv::doctor

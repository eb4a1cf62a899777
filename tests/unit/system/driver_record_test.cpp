#include "system/driver_record.hpp"

#include <gtest/gtest.h>

namespace cenv::system {
namespace {

CudaDriver sample() {
    return CudaDriver{"12.2",
                      "535.104.05",
                      {{"NVIDIA GeForce RTX 3090", "8.6"}, {"Mystery GPU", ""}},
                      "NVML (/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1)"};
}

TEST(DriverRecord, FormatsOneFactPerLine) {
    EXPECT_EQ(format_driver_record(sample()),
              "cuda 12.2\n"
              "driver 535.104.05\n"
              "source NVML (/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1)\n"
              "gpu 8.6 NVIDIA GeForce RTX 3090\n"
              "gpu - Mystery GPU\n");
}

TEST(DriverRecord, RoundTrips) {
    EXPECT_EQ(parse_driver_record(format_driver_record(sample())), sample());
    const CudaDriver bare{"11.8", "", {}, ""};
    EXPECT_EQ(format_driver_record(bare), "cuda 11.8\n");
    EXPECT_EQ(parse_driver_record(format_driver_record(bare)), bare);
}

TEST(DriverRecord, NewlinesInValuesCannotInjectLines) {
    CudaDriver d = sample();
    d.gpus[0].name = "Evil\ncuda 99.9";
    const auto parsed = parse_driver_record(format_driver_record(d));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->cuda_version, "12.2");
    EXPECT_EQ(parsed->gpus[0].name, "Evil cuda 99.9");
}

TEST(DriverRecord, RejectsMalformedRecords) {
    EXPECT_EQ(parse_driver_record(""), std::nullopt);
    EXPECT_EQ(parse_driver_record("driver 535.104.05\n"), std::nullopt);  // no cuda
    EXPECT_EQ(parse_driver_record("cuda twelve\n"), std::nullopt);
    EXPECT_EQ(parse_driver_record("cuda 12\n"), std::nullopt);
    EXPECT_EQ(parse_driver_record("cuda 12.2\nflavour vanilla\n"), std::nullopt);
    EXPECT_EQ(parse_driver_record("cuda 12.2\ngpu 8.x RTX\n"), std::nullopt);
    EXPECT_EQ(parse_driver_record("cuda 12.2\ngpu 8.6\n"), std::nullopt);  // no name
    EXPECT_EQ(parse_driver_record("cuda 12.2\ncuda 11.8\n"), std::nullopt);
}

TEST(DriverRecord, IgnoresBlankLinesAndSurroundingSpace) {
    const auto parsed = parse_driver_record("\n  cuda 12.4  \n\ngpu 9.0   NVIDIA H100 80GB HBM3\n");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->cuda_version, "12.4");
    ASSERT_EQ(parsed->gpus.size(), 1U);
    EXPECT_EQ(parsed->gpus[0].name, "NVIDIA H100 80GB HBM3");
}

TEST(IsMajorMinor, AcceptsOnlyNumberDotNumber) {
    EXPECT_TRUE(is_major_minor("12.2"));
    EXPECT_TRUE(is_major_minor("8.6"));
    EXPECT_FALSE(is_major_minor("12"));
    EXPECT_FALSE(is_major_minor("12.2.1"));
    EXPECT_FALSE(is_major_minor(".2"));
    EXPECT_FALSE(is_major_minor("12."));
    EXPECT_FALSE(is_major_minor("a.b"));
}

}  // namespace
}  // namespace cenv::system

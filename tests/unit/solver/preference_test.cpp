// The preference between builds of one package, on real records of the pytorch channel
// snapshot (../shared/fixtures/channels/pytorch, see PROVENANCE.md).

#include "solver/preference.hpp"

#include <algorithm>
#include <filesystem>
#include <vector>

#include <gtest/gtest.h>

#include "specs/repodata.hpp"

namespace cenv::solver {
namespace {

const std::filesystem::path kPytorch = std::filesystem::path(CENV_FIXTURES_DIR) / "channels" /
                                       "pytorch" / "linux-64" / "repodata.json";

std::vector<specs::PackageRecord> pytorch_records(const std::string& version) {
    auto repodata = specs::load_repodata(kPytorch, {"pytorch", "file:///pytorch/linux-64", ""});
    std::vector<specs::PackageRecord> out;
    for (auto& r : repodata.records) {
        if (r.name == "pytorch" && r.version == version) {
            out.push_back(std::move(r));
        }
    }
    return out;
}

const specs::PackageRecord& most_preferred(const std::vector<specs::PackageRecord>& records) {
    return *std::max_element(records.begin(), records.end(), [](const auto& a, const auto& b) {
        return compare_preference(a, specs::Version::parse(a.version), b,
                                  specs::Version::parse(b.version)) < 0;
    });
}

// PROVENANCE.md: pytorch 2.1.0 has 12 builds, py3.8-3.11 x {cpu, cuda11.8, cuda12.1}.
TEST(Preference, NewestPythonAndCudaBuildOfPytorchFirst) {
    const auto records = pytorch_records("2.1.0");
    ASSERT_EQ(records.size(), 12U);
    EXPECT_EQ(most_preferred(records).build, "py3.11_cuda12.1_cudnn8.9.2_0");
}

TEST(Preference, CpuBuildRanksBelowCudaBuildsOfTheSamePython) {
    auto records = pytorch_records("2.1.0");
    std::erase_if(records, [](const auto& r) { return r.build.rfind("py3.10_", 0) != 0; });
    ASSERT_EQ(records.size(), 3U);
    std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
        return compare_preference(a, specs::Version::parse(a.version), b,
                                  specs::Version::parse(b.version)) < 0;
    });
    EXPECT_EQ(records[0].build, "py3.10_cpu_0");
    EXPECT_EQ(records[1].build, "py3.10_cuda11.8_cudnn8.7.0_0");
    EXPECT_EQ(records[2].build, "py3.10_cuda12.1_cudnn8.9.2_0");
}

// Without a GPU the CPU build of the same version comes first (DESIGN: the CPU build when
// there is no driver); CUDA variants keep their own order below it.
TEST(Preference, WithoutCudaTheCpuBuildComesFirst) {
    auto records = pytorch_records("2.1.0");
    std::erase_if(records, [](const auto& r) { return r.build.rfind("py3.10_", 0) != 0; });
    std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
        return compare_preference(a, specs::Version::parse(a.version), b,
                                  specs::Version::parse(b.version), false) < 0;
    });
    ASSERT_EQ(records.size(), 3U);
    EXPECT_EQ(records[2].build, "py3.10_cpu_0");
    EXPECT_EQ(records[1].build, "py3.10_cuda12.1_cudnn8.9.2_0");
}

TEST(Preference, CudaVariantsAreRecognised) {
    EXPECT_TRUE(is_cuda_build("py3.10_cuda12.1_cudnn8.9.2_0"));
    EXPECT_TRUE(is_cuda_build("cuda120_py310h1234567_301"));
    EXPECT_TRUE(is_cuda_build("py310_cu121_0"));
    EXPECT_FALSE(is_cuda_build("py3.10_cpu_0"));
    EXPECT_FALSE(is_cuda_build("cpu_py310h1234567_0"));
}

TEST(Preference, BuildStringsComparePiecewise) {
    EXPECT_GT(compare_build_strings("py3.10_0", "py3.8_0"), 0);
    EXPECT_GT(compare_build_strings("cuda12.1", "cuda11.8"), 0);
    EXPECT_GT(compare_build_strings("py36_1", "py36_0"), 0);
    EXPECT_EQ(compare_build_strings("py36_0", "py36_0"), 0);
    EXPECT_GT(compare_build_strings("1", "a"), 0);  // a number beats letters
}

TEST(Preference, TrackFeaturesAndLegacyFeaturesLowerPreference) {
    specs::PackageRecord plain;
    plain.name = "scipy";
    plain.version = "1.1.0";
    plain.build = "py36hc49cb51_0";
    specs::PackageRecord nomkl = plain;
    nomkl.build = "py36_nomklh9d22d0a_0";
    nomkl.features = "nomkl";
    const auto v = specs::Version::parse("1.1.0");
    EXPECT_GT(compare_preference(plain, v, nomkl, v), 0);
    specs::PackageRecord tracked = plain;
    tracked.track_features = {"mkl"};
    EXPECT_GT(compare_preference(plain, v, tracked, v), 0);
    // A higher version with a feature still ranks below: features come first, as in conda.
    const auto higher = specs::Version::parse("1.2.0");
    EXPECT_GT(compare_preference(plain, v, tracked, higher), 0);
}

// Builds that differ only in conda-build's hash: the newer timestamp wins (conda's
// test_timestamps_1 expects python-3.6.2-hca45abc_19 over hda45abc_19).
TEST(Preference, NewerTimestampBetweenHashOnlyRebuilds) {
    specs::PackageRecord older;
    older.name = "python";
    older.version = "3.6.2";
    older.build = "hda45abc_19";
    older.build_number = 19;
    older.timestamp = 1000;
    specs::PackageRecord newer = older;
    newer.build = "hca45abc_19";
    newer.timestamp = 2000;
    const auto v = specs::Version::parse("3.6.2");
    EXPECT_GT(compare_preference(newer, v, older, v), 0);
}

}  // namespace
}  // namespace cenv::solver

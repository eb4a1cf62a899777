#include "channels/mirror_probe.hpp"

#include <gtest/gtest.h>

namespace cenv::channels {
namespace {

TEST(MirrorProbe, TargetsAreFilesTheMirrorCarries) {
    const config::MirrorPreset* presets[] = {&config::find_mirror_preset("tuna"),
                                             &config::find_mirror_preset("ustc"),
                                             &config::find_mirror_preset("sustech")};
    const auto targets = probe_targets(presets);
    ASSERT_EQ(targets.size(), 3U);
    EXPECT_EQ(targets[0].url,
              "https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main/noarch/repodata.json");
    // USTC no longer carries Anaconda's channels: its probe is conda-forge.
    EXPECT_EQ(targets[1].url,
              "https://mirrors.ustc.edu.cn/anaconda/cloud/conda-forge/noarch/repodata.json");
    EXPECT_EQ(targets[2].url,
              "https://mirrors.sustech.edu.cn/anaconda-extra/cloud/nvidia/noarch/repodata.json");
}

ProbeResult answered(double latency, std::uint64_t bytes, double total) {
    ProbeResult r;
    r.ok = true;
    r.first_byte_secs = latency;
    r.bytes = bytes;
    r.total_secs = total;
    return r;
}

TEST(MirrorProbe, OrderedByAnswerLatencyThenThroughput) {
    const std::vector<ProbeTarget> targets{
        {"dead", "u0", 1}, {"slow", "u1", 1}, {"fast", "u2", 1}, {"fast-thin", "u3", 1}};
    double seen_timeout = 0;
    const auto results = probe_mirrors(
        targets,
        [&](const ProbeTarget& t, double timeout) {
            seen_timeout = timeout;
            if (t.name == "dead") {
                ProbeResult r;
                r.error = "connection refused";
                return r;
            }
            if (t.name == "slow") {
                return answered(0.5, 1000, 1.0);
            }
            if (t.name == "fast") {
                return answered(0.050, 262144, 0.2);
            }
            return answered(0.052, 262144, 2.0);
        },
        3.0);
    EXPECT_DOUBLE_EQ(seen_timeout, 3.0);
    ASSERT_EQ(results.size(), 4U);
    EXPECT_EQ(results[0].name, "fast");
    EXPECT_EQ(results[1].name, "fast-thin");
    EXPECT_EQ(results[2].name, "slow");
    EXPECT_EQ(results[3].name, "dead");
    EXPECT_EQ(results[3].url, "u0");
    EXPECT_FALSE(results[3].ok);
}

}  // namespace
}  // namespace cenv::channels

// The package names index behind completion, over real solver caches.

#include "shell/package_names.hpp"

#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>

#include "solver/database.hpp"
#include "specs/repodata.hpp"
#include "test_support.hpp"
#include "util/file.hpp"

namespace cenv::shell {
namespace {

namespace fs = std::filesystem;
using testing::ScratchDir;

const fs::path kChannel = fs::path(CENV_FIXTURES_DIR) / "conda-cases" / "channels" / "channel-1";

// A solve's load of channel-1/linux-64, which writes its binary cache into `cache`.
void load(const fs::path& cache) {
    solver::Database db;
    const fs::path repodata = kChannel / "linux-64" / "repodata.json";
    specs::RepodataSource source;
    source.channel = "file://" + kChannel.string();
    source.subdir_url = source.channel + "/linux-64";
    db.add_repodata("c", 1, repodata, source, cache);
}

TEST(PackageNames, FromTheSolversCachesThroughOneIndex) {
    ScratchDir dir;
    const auto cache = dir / "cache";
    EXPECT_TRUE(package_names(cache, "").empty());  // no cache yet: nothing, no index
    EXPECT_FALSE(fs::exists(cache / "cenv-names.txt"));
    load(cache);
    const auto nums = package_names(cache, "num");
    ASSERT_FALSE(nums.empty());
    EXPECT_EQ(nums.front(), "numba");
    for (const auto& n : nums) {
        EXPECT_TRUE(n.starts_with("num")) << n;
    }
    const auto all = package_names(cache, "");
    EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
    EXPECT_TRUE(std::binary_search(all.begin(), all.end(), "python"));
    ASSERT_TRUE(fs::exists(cache / "cenv-names.txt"));
    // The index is what a TAB reads: edit it, and the edit is what comes back ...
    std::string text = util::read_file(cache / "cenv-names.txt");
    text += "zzz-only-in-the-index\n";
    std::ofstream(cache / "cenv-names.txt", std::ios::trunc) << text;
    EXPECT_EQ(package_names(cache, "zzz"), std::vector<std::string>{"zzz-only-in-the-index"});
    // ... until the caches change: then it is rebuilt from them.
    std::ofstream(cache / "another.solv") << "not a cache";
    EXPECT_TRUE(package_names(cache, "zzz").empty());
    EXPECT_EQ(package_names(cache, ""), all);
}

}  // namespace
}  // namespace cenv::shell

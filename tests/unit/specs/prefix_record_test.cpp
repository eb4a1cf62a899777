// conda-meta reading, on real environments from conda's test data
// (../shared/fixtures/conda-meta).

#include "specs/prefix_record.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "specs/error.hpp"
#include "util/file.hpp"

namespace cenv::specs {
namespace {

const std::filesystem::path kMeta = std::filesystem::path(CENV_FIXTURES_DIR) / "conda-meta";

TEST(PrefixRecord, ReadsAnEnvironmentMadeByConda) {
    const auto records = load_prefix_records(kMeta / "conda-envpy27osx");
    ASSERT_EQ(records.size(), 16U);
    const auto it = std::find_if(records.begin(), records.end(),
                                 [](const auto& r) { return r.name == "python"; });
    ASSERT_NE(it, records.end());
    EXPECT_EQ(it->version, "2.7.15");
    EXPECT_EQ(it->build, "h138c1fe_0");
    EXPECT_EQ(it->subdir, "osx-64");
    EXPECT_EQ(it->md5, "94b1a57de8f516c434d979cbbccefbfe");
    EXPECT_EQ(it->channel, "https://repo.anaconda.com/pkgs/main/osx-64");
    ASSERT_EQ(it->depends.size(), 9U);
    EXPECT_EQ(it->depends.front(), "libcxx >=4.0.1");
    EXPECT_EQ(it->depends.back(), "pip");
}

TEST(PrefixRecord, CorruptJsonNamesTheFile) {
    try {
        (void)load_prefix_records(kMeta / "conda-corrupt" / "json");
        FAIL() << "expected ParseError";
    } catch (const ParseError& e) {
        EXPECT_NE(std::string(e.what()).find("corrupt-1.2.3-hashhash.json"), std::string::npos);
    }
}

TEST(PrefixRecord, MissingFolderIsAnEmptyEnvironment) {
    EXPECT_TRUE(load_prefix_records(kMeta / "no-such-env").empty());
}

TEST(PrefixRecord, FileNamesGiveNameVersionAndBuildOfEveryRecord) {
    const auto full = load_prefix_records(kMeta / "conda-envpy27osx");
    const auto listed = list_prefix_records(kMeta / "conda-envpy27osx");
    ASSERT_EQ(listed.size(), full.size());
    for (std::size_t i = 0; i < full.size(); ++i) {
        EXPECT_EQ(listed[i].dist_str(), full[i].dist_str());
        EXPECT_TRUE(listed[i].depends.empty());  // nothing read from the file
    }
}

TEST(PrefixRecord, FileNamesThatDoNotSplitAreSkipped) {
    const auto prefix = std::filesystem::temp_directory_path() / "cenv-list-prefix-records";
    std::filesystem::remove_all(prefix);
    std::filesystem::create_directories(prefix / "conda-meta");
    for (const char* file : {"cuda-cudart-12.1.105-0.json", "history", "odd.json", "a-1.json",
                             "-1-0.json", "b--0.json", "c-1-.json", "zlib-1.3-h0.json.bak"}) {
        std::ofstream(prefix / "conda-meta" / file) << "{}";
    }
    const auto listed = list_prefix_records(prefix);
    ASSERT_EQ(listed.size(), 1U);
    EXPECT_EQ(listed[0].name, "cuda-cudart");
    EXPECT_EQ(listed[0].version, "12.1.105");
    EXPECT_EQ(listed[0].build, "0");
    EXPECT_TRUE(list_prefix_records(prefix / "missing").empty());
    std::filesystem::remove_all(prefix);
}

TEST(History, UserRequestedSpecsFollowUpdatesAndRemovals) {
    const char* history =
        "==> 2018-08-14 18:45:28 <==\n"
        "# cmd: conda create -n envpy27osx python=2.7 -y\n"
        "+defaults::python-2.7.15-h138c1fe_0\n"
        "# update specs: ['python=2.7']\n"
        "==> 2018-08-15 10:00:00 <==\n"
        "# update specs: [\"numpy\", \"six=1.7\"]\n"
        "# update specs: ['numpy=1.5']\n"
        "# remove specs: ['six']\n";
    EXPECT_EQ(parse_history_specs(history), (std::vector<std::string>{"python=2.7", "numpy=1.5"}));
}

TEST(History, CondasOwnHistoryFile) {
    const auto text = util::read_file(kMeta / "conda-envpy27osx" / "conda-meta" / "history");
    EXPECT_EQ(parse_history_specs(text), std::vector<std::string>{"python=2.7"});
}

TEST(Pinned, OneSpecPerLineWithoutComments) {
    EXPECT_EQ(parse_pinned_specs("# pins\npython=2.6\n\n  iopro<=1.4.2  # old\n"),
              (std::vector<std::string>{"python=2.6", "iopro<=1.4.2"}));
}

}  // namespace
}  // namespace cenv::specs

// stream_repodata(): the records that load_repodata() returns, handed over chunk by chunk,
// with twins dropped and records read before `info` relocated through the sink.

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "specs/repodata.hpp"

namespace cenv::specs {
namespace {

namespace fs = std::filesystem;

// Keeps what it is given, as a consumer that builds its own form would.
class CollectingSink final : public RecordSink {
  public:
    std::vector<PackageRecord> records;
    std::vector<bool> dropped;
    int restarts = 0;
    std::size_t calls = 0;

    void add(std::size_t first, std::span<PackageRecord> chunk) override {
        EXPECT_EQ(first, records.size());  // in order, no gaps
        for (auto& r : chunk) {
            records.push_back(std::move(r));
            dropped.push_back(false);
        }
        ++calls;
    }
    void restart() override {
        records.clear();
        dropped.clear();
        ++restarts;
    }
    [[nodiscard]] std::string_view fn(std::size_t index) const override {
        return records.at(index).fn;
    }
    void relocate(std::size_t index, std::string_view url, std::string_view subdir) override {
        PackageRecord& r = records.at(index);
        r.url = url;
        if (!subdir.empty() && r.subdir.empty()) {
            r.subdir = subdir;
        }
    }
    void drop(std::size_t index) override { dropped.at(index) = true; }
};

auto fields_of(const PackageRecord& r) {
    return std::tie(r.name, r.version, r.build, r.build_number, r.depends, r.constrains,
                    r.track_features, r.features, r.license, r.license_family, r.md5, r.sha256,
                    r.size, r.timestamp, r.subdir, r.noarch, r.platform, r.arch,
                    r.python_site_packages_path, r.fn, r.url, r.channel);
}

const RepodataParseOptions whole_doc{1, SIZE_MAX, 0};
const RepodataParseOptions chunked{1, 0, 200};
const RepodataParseOptions parallel{2, 0, 200};

// Streams `file` every way and checks the result against load_repodata().
void expect_same_as_load(const fs::path& file, std::size_t min_chunks_seen = 1) {
    const RepodataSource source{"https://conda.example.org/chan",
                                "https://conda.example.org/chan/linux-64", file.string()};
    const std::vector<RepodataParseOptions> ways = {whole_doc, chunked, parallel};
    for (std::size_t way = 0; way < ways.size(); ++way) {
        const RepodataParseOptions& options = ways[way];
        const Repodata expected = load_repodata(file, source, options);
        CollectingSink sink;
        const RepodataSummary summary = stream_repodata(file, source, sink, options);
        EXPECT_EQ(summary.info.subdir, expected.info.subdir);
        EXPECT_EQ(summary.info.base_url, expected.info.base_url);
        EXPECT_EQ(summary.info.repodata_version, expected.info.repodata_version);
        EXPECT_EQ(summary.removed, expected.removed);
        EXPECT_EQ(summary.records, sink.records.size());
        std::vector<PackageRecord> kept;
        std::vector<PackageRecord> dropped;
        for (std::size_t i = 0; i < sink.records.size(); ++i) {
            (sink.dropped[i] ? dropped : kept).push_back(sink.records[i]);
        }
        ASSERT_EQ(kept.size(), expected.records.size()) << file;
        for (std::size_t i = 0; i < kept.size(); ++i) {
            EXPECT_TRUE(fields_of(kept[i]) == fields_of(expected.records[i])) << kept[i].fn;
        }
        ASSERT_EQ(dropped.size(), expected.fallbacks.size());
        for (std::size_t i = 0; i < dropped.size(); ++i) {
            EXPECT_TRUE(fields_of(dropped[i]) == fields_of(expected.fallbacks[i])) << dropped[i].fn;
        }
        if (way > 0) {
            EXPECT_GE(sink.calls, min_chunks_seen);
        }
    }
}

class StreamTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::random_device rd;
        dir_ = fs::temp_directory_path() / ("cenv-stream-test-" + std::to_string(rd()));
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    fs::path write(const std::string& json) {
        const fs::path file = dir_ / "repodata.json";
        std::ofstream(file) << json;
        return file;
    }
    fs::path dir_;
};

TEST_F(StreamTest, TwinsAreDroppedAndChunksComeInOrder) {
    std::string json = R"({"info": {"subdir": "linux-64"}, "packages": {)";
    for (int i = 0; i < 500; ++i) {
        const std::string n = std::to_string(i);
        json.append(i ? "," : "").append("\"p").append(n).append("-1-0.tar.bz2\": ");
        json.append(R"({"name": "p)").append(n);
        json.append(R"(", "version": "1", "build": "0", "depends": ["a", "b >=1"]})");
    }
    json += R"(}, "packages.conda": {)";
    for (int i = 0; i < 300; i += 3) {
        const std::string n = std::to_string(i);
        json.append(i ? "," : "").append("\"p").append(n).append("-1-0.conda\": ");
        json.append(R"({"name": "p)").append(n).append(R"(", "version": "1", "build": "0"})");
    }
    json += R"(}, "removed": ["r-1-0.tar.bz2"]})";
    expect_same_as_load(write(json), 10);
}

TEST_F(StreamTest, InfoAtTheEndRelocatesEarlierRecords) {
    std::string json = R"({"packages": {)";
    for (int i = 0; i < 200; ++i) {
        const std::string n = std::to_string(i);
        json.append(i ? "," : "").append("\"p").append(n).append("-1-0.tar.bz2\": ");
        json.append(R"({"name": "p)").append(n).append(R"(", "version": "1", "build": "0"})");
    }
    json += R"(}, "info": {"subdir": "osx-64", "base_url": "https://cdn.example.org/x/osx-64"}})";
    expect_same_as_load(write(json), 2);
}

TEST_F(StreamTest, ABadSplitGuessRestartsTheSink) {
    const std::string json =
        R"({"packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0"},
        "b-1-0.tar.bz2": {"name": "b", "license": ")" +
        std::string(4000, 'x') +
        R"(", "binstar": {"x": 1}, "evil-1-0.tar.bz2": {"name": "no"}, "version": "1",
        "build": "0"}, "c-1-0.tar.bz2": {"name": "c", "version": "1", "build": "0"}},
        "info": {"subdir": "noarch"}})";
    const fs::path file = write(json);
    expect_same_as_load(file);
    CollectingSink sink;
    stream_repodata(file, {"c", "file:///c/noarch", ""}, sink, chunked);
    EXPECT_EQ(sink.records.size(), 3U);
    EXPECT_EQ(sink.records[1].name, "b");
}

TEST(Stream, RealPytorchChannel) {
    expect_same_as_load(
        fs::path(CENV_FIXTURES_DIR) / "channels" / "pytorch" / "linux-64" / "repodata.json", 100);
}

TEST_F(StreamTest, MalformedJsonThrowsAsLoadDoes) {
    const fs::path file = write(R"({"packages": {"a-1-0.tar.bz2": {"name": 5}}})");
    CollectingSink sink;
    EXPECT_THROW(stream_repodata(file, {"c", "file:///c/linux-64", ""}, sink), ParseError);
}

}  // namespace
}  // namespace cenv::specs

// conda-meta reading, on real environments from conda's test data
// (../shared/fixtures/conda-meta).

#include "specs/prefix_record.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "specs/error.hpp"
#include "specs/paths_data.hpp"
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

TEST(PrefixRecord, FilesOfARecord) {
    const auto dir = kMeta / "conda-envpy27osx" / "conda-meta";
    const auto files = parse_prefix_record_files(util::read_file(dir / "pip-10.0.1-py27_0.json"),
                                                 "pip-10.0.1-py27_0.json");
    ASSERT_EQ(files.size(), 578U);
    EXPECT_NE(std::find(files.begin(), files.end(),
                        "lib/python2.7/site-packages/pip-10.0.1-py2.7.egg-info/PKG-INFO"),
              files.end());
    EXPECT_TRUE(parse_prefix_record_files(R"({"name": "x"})", "x.json").empty());
    EXPECT_THROW(parse_prefix_record_files("[1]", "x.json"), ParseError);
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

// Every real record of the fixtures, and whether conda wrote it (conda's two environments).
std::vector<std::pair<std::filesystem::path, bool>> fixture_records() {
    std::vector<std::pair<std::filesystem::path, bool>> out;
    for (const auto& [dir, by_conda] :
         {std::pair{kMeta / "conda-envpy27osx" / "conda-meta", true},
          std::pair{kMeta / "conda-envpy313tosx_whl" / "conda-meta", true},
          std::pair{kMeta / "rattler-conda-meta", false}}) {
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            if (entry.path().extension() == ".json") {
                out.emplace_back(entry.path(), by_conda);
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(FullPrefixRecord, CondasRecordsAreWrittenBackByteForByte) {
    int by_conda = 0;
    for (const auto& [path, conda_wrote_it] : fixture_records()) {
        const std::string text = util::read_file(path);
        const PrefixRecord record = parse_full_prefix_record(text, path.string());
        const std::string written = prefix_record_text(record);
        if (conda_wrote_it) {
            ++by_conda;
            EXPECT_EQ(written, text) << path;
        }
        // Every record, whoever wrote it, keeps every key and value.
        EXPECT_TRUE(nlohmann::json::parse(written) == nlohmann::json::parse(text)) << path;
        EXPECT_EQ(record.file_name(), path.filename().string()) << path;
    }
    EXPECT_EQ(by_conda, 32);
}

TEST(FullPrefixRecord, StringsAreEscapedAsPythonEscapesThem) {
    PrefixRecord record;
    record.metadata = {{"name", "x"}, {"version", "1"}, {"build", "0"}};
    // json.dumps(["caf\u00e9/\U0001F600\x01\"q\"\\"], indent=2) in Python.
    record.files = {"caf\xc3\xa9/\xf0\x9f\x98\x80\x01\"q\"\\", "\xff"};
    EXPECT_EQ(prefix_record_text(record),
              "{\n"
              "  \"build\": \"0\",\n"
              "  \"files\": [\n"
              "    \"caf\\u00e9/\\ud83d\\ude00\\u0001\\\"q\\\"\\\\\",\n"
              "    \"\\ufffd\"\n"
              "  ],\n"
              "  \"name\": \"x\",\n"
              "  \"version\": \"1\"\n"
              "}");
}

TEST(FullPrefixRecord, TypedViewOfAnInstalledPackage) {
    const auto path = kMeta / "conda-envpy313tosx_whl/conda-meta/pip-25.0.1-pyh145f28c_0.json";
    const PrefixRecord record = parse_full_prefix_record(util::read_file(path), path.string());
    const PackageRecord package = record.package();
    EXPECT_EQ(package.name, "pip");
    EXPECT_EQ(package.noarch, NoArchType::python);
    ASSERT_TRUE(record.paths_data);
    EXPECT_EQ(record.files.size(), record.paths_data->paths.size());
    EXPECT_EQ(record.files.front(),
              "lib/python3.13t/site-packages/pip-25.0.1.dist-info/AUTHORS.txt");
    const auto& last = record.paths_data->paths.back();
    EXPECT_EQ(last.path, "bin/pip3");
    EXPECT_EQ(last.type, PathType::unix_python_entry_point);
    EXPECT_FALSE(last.size_in_bytes);
    ASSERT_TRUE(record.link);
    EXPECT_EQ(record.link->type, LinkType::hardlink);
    EXPECT_EQ(record.requested_spec, "pip");
    EXPECT_FALSE(record.metadata.contains("files"));
}

TEST(FullPrefixRecord, PlaceholdersAndNoLinkAreRead) {
    const auto path = kMeta / "conda-envpy27osx/conda-meta/python-2.7.15-h138c1fe_0.json";
    const PrefixRecord record = parse_full_prefix_record(util::read_file(path), path.string());
    ASSERT_TRUE(record.paths_data);
    const auto& paths = record.paths_data->paths;
    const auto it = std::find_if(paths.begin(), paths.end(),
                                 [](const PathEntry& e) { return e.path == "bin/python2.7"; });
    ASSERT_NE(it, paths.end());
    EXPECT_EQ(it->file_mode, FileMode::binary);
    EXPECT_TRUE(it->no_link);
    EXPECT_TRUE(it->prefix_placeholder.starts_with("/opt/concourse/worker/volumes/live/"));
    EXPECT_NE(it->sha256, it->sha256_in_prefix);
}

TEST(FullPrefixRecord, ErrorsNameTheFile) {
    EXPECT_THROW((void)parse_full_prefix_record(R"({"name": "x"})", "x.json"), ParseError);
    try {
        (void)parse_full_prefix_record(
            R"({"name": "x", "version": "1", "build": "0",
                "paths_data": {"paths": [{"_path": "a", "path_type": "wormhole"}]}})",
            "conda-meta/x-1-0.json");
        FAIL() << "expected ParseError";
    } catch (const ParseError& e) {
        EXPECT_NE(std::string(e.what()).find("conda-meta/x-1-0.json"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("wormhole"), std::string::npos);
    }
}

TEST(History, EntriesAreWrittenAsCondaWritesThem) {
    HistoryEntry entry;
    entry.when = "2025-03-14 13:51:04";
    entry.command = "cenv install -n t numpy";
    entry.added = {"conda-forge/linux-64::numpy-2.0-py311_0", "conda-forge/linux-64::libz-1-0"};
    entry.removed = {"conda-forge/linux-64::numpy-1.26-py311_0"};
    entry.specs_action = "update";
    entry.specs = {"numpy", "it's"};
    EXPECT_EQ(format_history_entry(entry),
              "==> 2025-03-14 13:51:04 <==\n"
              "# cmd: cenv install -n t numpy\n"
              "-conda-forge/linux-64::numpy-1.26-py311_0\n"
              "+conda-forge/linux-64::libz-1-0\n"
              "+conda-forge/linux-64::numpy-2.0-py311_0\n"
              "# update specs: ['numpy', \"it's\"]\n");
    // Read back by the same rules conda uses.
    EXPECT_EQ(parse_history_specs(format_history_entry(entry)),
              (std::vector<std::string>{"numpy", "it's"}));
}

TEST(History, CondasLinesForItsOwnEnvironment) {
    // conda's envpy313tosx_whl history lists each record as history_dist names it.
    const auto prefix = kMeta / "conda-envpy313tosx_whl";
    const std::string history = util::read_file(prefix / "conda-meta" / "history");
    int found = 0;
    for (const auto& record : load_prefix_records(prefix)) {
        std::string line = history_dist(record);
        line.insert(line.begin(), '+');
        line.push_back('\n');
        EXPECT_NE(history.find(line), std::string::npos) << line;
        ++found;
    }
    EXPECT_EQ(found, 16);
    PackageRecord local;
    local.name = "zlib";
    local.version = "1.2.11";
    local.build = "0";
    local.subdir = "linux-64";
    local.channel = "file:///srv/chan";
    EXPECT_EQ(history_dist(local), "file:///srv/chan/linux-64::zlib-1.2.11-0");
}

TEST(Pinned, OneSpecPerLineWithoutComments) {
    EXPECT_EQ(parse_pinned_specs("# pins\npython=2.6\n\n  iopro<=1.4.2  # old\n"),
              (std::vector<std::string>{"python=2.6", "iopro<=1.4.2"}));
}

}  // namespace
}  // namespace cenv::specs

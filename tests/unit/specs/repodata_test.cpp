#include "specs/repodata.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "util/file.hpp"

namespace cenv::specs {
namespace {

namespace fs = std::filesystem;

const fs::path fixtures = CENV_FIXTURES_DIR;

RepodataSource source_for(const fs::path& subdir_dir, std::string channel = "test-channel") {
    RepodataSource source;
    source.channel = std::move(channel);
    source.subdir_url = "file://" + subdir_dir.string();
    source.file = (subdir_dir / "repodata.json").string();
    return source;
}

Repodata load_fixture(const std::string& relative_dir, const RepodataParseOptions& options = {}) {
    const fs::path dir = fixtures / relative_dir;
    return load_repodata(dir / "repodata.json", source_for(dir), options);
}

const PackageRecord* find(const std::vector<PackageRecord>& records, std::string_view fn) {
    const auto it = std::find_if(records.begin(), records.end(),
                                 [&](const PackageRecord& r) { return r.fn == fn; });
    return it == records.end() ? nullptr : &*it;
}

auto fields_of(const PackageRecord& r) {
    return std::tie(r.name, r.version, r.build, r.build_number, r.depends, r.constrains,
                    r.track_features, r.features, r.license, r.license_family, r.md5, r.sha256,
                    r.size, r.timestamp, r.subdir, r.noarch, r.platform, r.arch,
                    r.python_site_packages_path, r.fn, r.url, r.channel);
}

void expect_same(const Repodata& a, const Repodata& b) {
    EXPECT_EQ(a.info.subdir, b.info.subdir);
    EXPECT_EQ(a.info.base_url, b.info.base_url);
    EXPECT_EQ(a.info.repodata_version, b.info.repodata_version);
    EXPECT_EQ(a.removed, b.removed);
    ASSERT_EQ(a.records.size(), b.records.size());
    for (std::size_t i = 0; i < a.records.size(); ++i) {
        EXPECT_TRUE(fields_of(a.records[i]) == fields_of(b.records[i])) << a.records[i].fn;
    }
    ASSERT_EQ(a.fallbacks.size(), b.fallbacks.size());
    for (std::size_t i = 0; i < a.fallbacks.size(); ++i) {
        EXPECT_TRUE(fields_of(a.fallbacks[i]) == fields_of(b.fallbacks[i])) << a.fallbacks[i].fn;
    }
}

/// The message of the ParseError that parsing `json` throws; fails the test if none.
std::string parse_error(std::string_view json, const RepodataParseOptions& options = {}) {
    RepodataSource source;
    source.channel = "bad";
    source.subdir_url = "file:///x/linux-64";
    source.file = "/x/linux-64/repodata.json";
    try {
        (void)parse_repodata(json, source, options);
    } catch (const ParseError& e) {
        EXPECT_FALSE(e.hint().empty()) << e.what();
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
        return e.what();
    }
    ADD_FAILURE() << "no ParseError for: " << json;
    return {};
}

Repodata parse(std::string_view json, const RepodataParseOptions& options = {}) {
    RepodataSource source;
    source.channel = "https://conda.example.org/chan";
    source.subdir_url = "https://conda.example.org/chan/linux-64";
    source.file = "inline.json";
    return parse_repodata(json, source, options);
}

// --- every repodata.json of the fixtures -----------------------------------------------

struct Expected {
    std::size_t records;    // .conda records plus .tar.bz2 records without a .conda twin
    std::size_t fallbacks;  // .tar.bz2 records with a .conda twin
    std::size_t removed;
    std::string subdir;
    int version;
};

// Counts per file: `packages` + `packages.conda` keys (twins counted once, in `fallbacks`),
// as documented in ../shared/fixtures/PROVENANCE.md where it gives them (pytorch 2181, r 4211
// with 1 removed, main noarch 322, conda-test 3 + 10, base-url 1 per platform,
// conda-format-repo zlib in both formats, mamba-channel-b noarch `{}`), and counted with
// python3's json module for the conda-cases channels, which PROVENANCE.md does not cover.
const std::map<std::string, Expected>& expected_counts() {
    static const std::map<std::string, Expected> table = {
        {"channels/conda-anaconda-main/noarch", {322, 0, 0, "noarch", 1}},
        {"channels/conda-anaconda-r/linux-64", {4211, 0, 1, "linux-64", 1}},
        {"channels/conda-anaconda-r/noarch", {0, 0, 0, "noarch", 1}},
        {"channels/conda-base-url-channel/linux-64", {1, 0, 0, "linux-64", 2}},
        {"channels/conda-base-url-channel/noarch", {0, 0, 0, "noarch", 2}},
        {"channels/conda-base-url-channel/osx-64", {1, 0, 0, "osx-64", 2}},
        {"channels/conda-base-url-channel/win-64", {1, 0, 0, "win-64", 2}},
        {"channels/conda-conda-test/linux-64", {3, 0, 0, "linux-64", 1}},
        {"channels/conda-conda-test/noarch", {10, 0, 0, "noarch", 1}},
        {"channels/pytorch/linux-64", {2181, 0, 0, "linux-64", 1}},
        {"channels/pytorch/noarch", {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/channel-1/linux-64", {1149, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/channel-1/noarch", {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/channel-2/linux-64", {4112, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/channel-2/noarch", {6, 0, 0, "noarch", 1}},
        {"conda-cases/channels/channel-4/linux-64", {5305, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/channel-4/noarch", {338, 0, 0, "noarch", 1}},
        {"conda-cases/channels/channel-freeze/linux-64", {8, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/channel-freeze/noarch", {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/empty/test/linux-64", {0, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/empty/test/noarch", {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/index1/test/linux-64", {1149, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/index1/test/noarch", {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_arch_preferred_over_noarch_when_otherwise_equal/"
         "test/linux-64",
         {1, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_arch_preferred_over_noarch_when_otherwise_equal/"
         "test/noarch",
         {1, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_circular_dependencies/test/linux-64",
         {1151, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_circular_dependencies/test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_get_reduced_index_broadening_preferred_solution/"
         "test/linux-64",
         {5, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_get_reduced_index_broadening_preferred_solution/"
         "test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/"
         "test_get_reduced_index_broadening_with_unsatisfiable_early_dep/test/linux-64",
         {4, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/"
         "test_get_reduced_index_broadening_with_unsatisfiable_early_dep/test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_install_package_with_feature/test/linux-64",
         {1151, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_install_package_with_feature/test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_no_features/test/linux-64",
         {1151, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_no_features/test/noarch", {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_noarch_preferred_over_arch_when_build_greater/"
         "test/linux-64",
         {1, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_noarch_preferred_over_arch_when_build_greater/"
         "test/noarch",
         {1, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_noarch_preferred_over_arch_when_build_greater_dep/"
         "test/linux-64",
         {2, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_noarch_preferred_over_arch_when_build_greater_dep/"
         "test/noarch",
         {1, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_noarch_preferred_over_arch_when_version_greater/"
         "test/linux-64",
         {1, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_noarch_preferred_over_arch_when_version_greater/"
         "test/noarch",
         {1, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/"
         "test_noarch_preferred_over_arch_when_version_greater_dep/test/linux-64",
         {2, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/"
         "test_noarch_preferred_over_arch_when_version_greater_dep/test/noarch",
         {1, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_nonexistent_deps/v1/test/linux-64",
         {1153, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_nonexistent_deps/v1/test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_nonexistent_deps/v2/test/linux-64",
         {1153, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_nonexistent_deps/v2/test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_surplus_features_1/test/linux-64",
         {4, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_surplus_features_1/test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_surplus_features_2/test/linux-64",
         {3, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_surplus_features_2/test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_timestamps_and_deps/test/linux-64",
         {1151, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_timestamps_and_deps/test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_unintentional_feature_downgrade/test/linux-64",
         {1150, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_unintentional_feature_downgrade/test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_unsat_any_two_not_three/test/linux-64",
         {9, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_unsat_any_two_not_three/test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_unsat_chain/test/linux-64",
         {7, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_unsat_chain/test/noarch", {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_unsat_expand_single/test/linux-64",
         {5, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_unsat_expand_single/test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_unsat_missing_dep/test/linux-64",
         {3, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_unsat_missing_dep/test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_unsat_shortest_chain_1/test/linux-64",
         {5, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_unsat_shortest_chain_1/test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_unsat_shortest_chain_2/test/linux-64",
         {5, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_unsat_shortest_chain_2/test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_unsat_shortest_chain_3/test/linux-64",
         {7, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_unsat_shortest_chain_3/test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_unsat_shortest_chain_4/test/linux-64",
         {5, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_unsat_shortest_chain_4/test/noarch",
         {0, 0, 0, "noarch", 1}},
        {"conda-cases/channels/solvertests/test_unsat_simple/test/linux-64",
         {4, 0, 0, "linux-64", 1}},
        {"conda-cases/channels/solvertests/test_unsat_simple/test/noarch", {0, 0, 0, "noarch", 1}},
        {"packages/conda-format-repo/linux-64", {2, 1, 0, "linux-64", 1}},
        {"packages/conda-format-repo/noarch", {0, 0, 0, "noarch", 1}},
        {"packages/conda-format-repo/osx-64", {1, 1, 0, "osx-64", 1}},
        {"packages/conda-format-repo/win-32", {1, 1, 0, "win-32", 1}},
        {"packages/conda-format-repo/win-64", {4, 1, 0, "win-64", 1}},
        {"packages/conda-test-recipes/linux-fake", {3, 0, 0, "linux-fake", 1}},
        {"packages/conda-test-recipes/noarch", {32, 0, 0, "noarch", 1}},
        {"packages/conda-test-recipes/osx-fake", {3, 0, 0, "osx-fake", 1}},
        {"packages/conda-test-recipes/win-fake", {3, 0, 0, "win-fake", 1}},
        {"packages/mamba-channel-a/linux-64", {3, 0, 0, "linux-64", 1}},
        {"packages/mamba-channel-a/noarch", {2, 0, 0, "noarch", 1}},
        {"packages/mamba-channel-a/win-64", {3, 0, 0, "win-64", 1}},
        {"packages/mamba-channel-b/linux-64", {1, 0, 0, "linux-64", 1}},
        {"packages/mamba-channel-b/noarch", {0, 0, 0, "", 1}},
        {"packages/mamba-channel-b/win-64", {1, 0, 0, "win-64", 1}},
    };
    return table;
}

/// Every repodata.json under the fixtures' channel folders (conda-index/*.json are flat
/// filename -> record maps, not repodata, and are not searched).
std::set<std::string> fixture_repodata_dirs() {
    std::set<std::string> dirs;
    for (const char* top : {"channels", "conda-cases/channels", "packages"}) {
        for (const auto& entry : fs::recursive_directory_iterator(fixtures / top)) {
            if (entry.is_regular_file() && entry.path().filename() == "repodata.json") {
                dirs.insert(entry.path().parent_path().lexically_relative(fixtures).string());
            }
        }
    }
    return dirs;
}

TEST(RepodataFixtures, EveryFileParsesWithTheExpectedCounts) {
    const std::set<std::string> dirs = fixture_repodata_dirs();
    ASSERT_GE(dirs.size(), 80U);
    std::size_t total = 0;
    for (const std::string& dir : dirs) {
        SCOPED_TRACE(dir);
        const auto it = expected_counts().find(dir);
        ASSERT_NE(it, expected_counts().end()) << "a fixture not in the table: " << dir;
        const Expected& want = it->second;
        const Repodata repodata = load_fixture(dir);
        EXPECT_EQ(repodata.records.size(), want.records);
        EXPECT_EQ(repodata.fallbacks.size(), want.fallbacks);
        EXPECT_EQ(repodata.removed.size(), want.removed);
        EXPECT_EQ(repodata.info.subdir, want.subdir);
        EXPECT_EQ(repodata.info.repodata_version, want.version);
        total += repodata.records.size() + repodata.fallbacks.size();

        const std::string base = repodata.info.base_url.empty()
                                     ? "file://" + (fixtures / dir).string()
                                     : repodata.info.base_url;
        std::set<std::string> seen;
        for (const auto* list : {&repodata.records, &repodata.fallbacks}) {
            for (const PackageRecord& r : *list) {
                EXPECT_FALSE(r.name.empty()) << r.fn;
                EXPECT_FALSE(r.version.empty()) << r.fn;
                EXPECT_EQ(r.url, base + "/" + r.fn);
                EXPECT_EQ(r.channel, "test-channel");
                EXPECT_EQ(r.subdir.empty(), want.subdir.empty()) << r.fn;
                EXPECT_TRUE(seen.insert(r.fn).second) << "duplicate " << r.fn;
            }
        }
    }
    // Every file in the table was found.
    EXPECT_EQ(dirs.size(), expected_counts().size());
    EXPECT_EQ(total, 26998U);  // python3: sum of len(packages) + len(packages.conda)
}

TEST(RepodataFixtures, ParallelParseGivesTheSameResult) {
    const RepodataParseOptions sequential{1, 0};
    const RepodataParseOptions parallel{2, 0};  // split even small files
    for (const char* dir :
         {"channels/pytorch/linux-64", "channels/conda-anaconda-r/linux-64",
          "packages/conda-format-repo/win-64", "conda-cases/channels/channel-4/noarch",
          "conda-cases/channels/solvertests/test_timestamps_and_deps/test/linux-64",
          "packages/mamba-channel-b/noarch", "channels/conda-base-url-channel/linux-64"}) {
        SCOPED_TRACE(dir);
        expect_same(load_fixture(dir, sequential), load_fixture(dir, parallel));
    }
}

// --- real records, field by field ------------------------------------------------------

TEST(RepodataPytorch, Cuda121BuildOfPytorch210) {
    const Repodata repodata = load_fixture("channels/pytorch/linux-64");
    const PackageRecord* r =
        find(repodata.records, "pytorch-2.1.0-py3.10_cuda12.1_cudnn8.9.2_0.tar.bz2");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->name, "pytorch");
    EXPECT_EQ(r->version, "2.1.0");
    EXPECT_EQ(r->build, "py3.10_cuda12.1_cudnn8.9.2_0");
    EXPECT_EQ(r->build_number, 0U);
    EXPECT_EQ(r->depends,
              (std::vector<std::string>{
                  "blas * mkl", "filelock", "jinja2", "llvm-openmp <16", "mkl >=2018", "networkx",
                  "python >=3.10,<3.11.0a0", "pytorch-cuda >=12.1,<12.2", "pytorch-mutex 1.0 cuda",
                  "pyyaml", "sympy", "torchtriton 2.1.0", "typing_extensions"}));
    EXPECT_EQ(r->constrains, std::vector<std::string>{"cpuonly <0"});
    EXPECT_TRUE(r->track_features.empty());
    EXPECT_EQ(r->features, "");
    EXPECT_EQ(r->license, "BSD 3-Clause");
    EXPECT_EQ(r->license_family, "BSD");
    EXPECT_EQ(r->md5, "af39dbbb6ab1305e4b504a51acecffd4");
    EXPECT_EQ(r->sha256, "72eb8807295c93ed944ae3a7eeda0b72b2168c7ae395f25fa64f3078059fedcf");
    EXPECT_EQ(r->size, 1377007991U);
    EXPECT_EQ(r->timestamp, 1695396215419U);
    EXPECT_EQ(r->subdir, "linux-64");
    EXPECT_EQ(r->noarch, NoArchType::none);
    EXPECT_EQ(r->platform, "");
    EXPECT_EQ(r->arch, "");
    EXPECT_EQ(r->fn, "pytorch-2.1.0-py3.10_cuda12.1_cudnn8.9.2_0.tar.bz2");
    EXPECT_EQ(r->url, "file://" + (fixtures / "channels/pytorch/linux-64").string() +
                          "/pytorch-2.1.0-py3.10_cuda12.1_cudnn8.9.2_0.tar.bz2");
    EXPECT_EQ(r->channel, "test-channel");
    EXPECT_EQ(r->dist_str(), "pytorch-2.1.0-py3.10_cuda12.1_cudnn8.9.2_0");
}

TEST(RepodataPytorch, TwelveBuildsOf210AndTheirMutexes) {
    const Repodata repodata = load_fixture("channels/pytorch/linux-64");
    std::size_t builds = 0;
    std::set<std::string> names;
    for (const PackageRecord& r : repodata.records) {
        names.insert(r.name);
        if (r.name != "pytorch" || r.version != "2.1.0") {
            continue;
        }
        ++builds;
        const bool cpu = r.build.find("_cpu_") != std::string::npos;
        const std::string mutex = cpu ? "pytorch-mutex 1.0 cpu" : "pytorch-mutex 1.0 cuda";
        EXPECT_NE(std::find(r.depends.begin(), r.depends.end(), mutex), r.depends.end()) << r.fn;
        EXPECT_EQ(r.constrains, std::vector<std::string>{cpu ? "cpuonly" : "cpuonly <0"}) << r.fn;
    }
    EXPECT_EQ(builds, 12U);
    EXPECT_EQ(names.size(), 49U);  // PROVENANCE.md: 49 names
}

TEST(RepodataPytorch, LegacyFeaturesAndTrackFeatures) {
    const Repodata repodata = load_fixture("channels/pytorch/linux-64");
    const PackageRecord* cuda100 = find(repodata.records, "cuda100-1.0-0.tar.bz2");
    ASSERT_NE(cuda100, nullptr);
    EXPECT_EQ(cuda100->track_features, std::vector<std::string>{"cuda100"});
    EXPECT_EQ(cuda100->timestamp, 1544155153559U);
    const PackageRecord* cuda75 = find(repodata.records, "cuda75-1.0-hf2493ae_0.tar.bz2");
    ASSERT_NE(cuda75, nullptr);
    EXPECT_EQ(cuda75->platform, "linux");
    EXPECT_EQ(cuda75->arch, "x86_64");
    const PackageRecord* faiss =
        find(repodata.records, "faiss-gpu-1.2.1-py27_cuda9.0.176_2.tar.bz2");
    ASSERT_NE(faiss, nullptr);
    EXPECT_EQ(faiss->features, "cuda90");
}

TEST(RepodataR, RemovedUnknownKeysAndMissingSubdir) {
    const Repodata repodata = load_fixture("channels/conda-anaconda-r/linux-64");
    EXPECT_EQ(repodata.removed, std::vector<std::string>{"r-nloptr-1.0.4-r3.2.2_1.tar.bz2"});
    const PackageRecord* mutex = find(repodata.records, "_r-mutex-1.0.0-anacondar_1.tar.bz2");
    ASSERT_NE(mutex, nullptr);
    EXPECT_EQ(mutex->track_features, std::vector<std::string>{"anacondar"});
    EXPECT_EQ(mutex->build_number, 1U);
    EXPECT_EQ(mutex->license, "BSD");
    // No `subdir` in the record (and a `namespace` key): the file's info.subdir is used.
    const PackageRecord* r = find(repodata.records, "r-3.1.2-0.tar.bz2");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->subdir, "linux-64");
    EXPECT_EQ(r->depends.size(), 14U);
    EXPECT_EQ(r->depends.front(), "cairo");
    EXPECT_EQ(r->timestamp, 0U);
    // "license": null.
    const PackageRecord* essentials = find(repodata.records, "r-essentials-1.0-r3.2.1_0.tar.bz2");
    ASSERT_NE(essentials, nullptr);
    EXPECT_EQ(essentials->license, "");
}

TEST(RepodataNoarch, LegacyTrueIsGenericAndSecondsBecomeMilliseconds) {
    const Repodata repodata = load_fixture("channels/conda-conda-test/noarch");
    const PackageRecord* font = find(repodata.records, "font-ttf-inconsolata-2.000-0.tar.bz2");
    ASSERT_NE(font, nullptr);
    EXPECT_EQ(font->noarch, NoArchType::generic);
    const PackageRecord* flask = find(repodata.records, "flask-0.11.1-py_0.tar.bz2");
    ASSERT_NE(flask, nullptr);
    EXPECT_EQ(flask->noarch, NoArchType::python);
    const PackageRecord* newer =
        find(repodata.records, "test_timestamp_sort-1.0-pyh1234567_0.tar.bz2");
    const PackageRecord* older =
        find(repodata.records, "test_timestamp_sort-1.0-pyh7654321_0.tar.bz2");
    ASSERT_NE(newer, nullptr);
    ASSERT_NE(older, nullptr);
    EXPECT_EQ(newer->timestamp, 2000U);
    EXPECT_EQ(older->timestamp, 1000U);
    const PackageRecord* pkg_a =
        find(repodata.records, "conda-index-pkg-a-1.0-pyhed9eced_1.tar.bz2");
    ASSERT_NE(pkg_a, nullptr);
    EXPECT_EQ(pkg_a->timestamp, 1508520204768U);
}

TEST(RepodataNoarch, MainNoarchKinds) {
    // PROVENANCE.md: noarch generic x246, python x5, 71 records without noarch.
    const Repodata repodata = load_fixture("channels/conda-anaconda-main/noarch");
    std::map<NoArchType, int> kinds;
    for (const PackageRecord& r : repodata.records) {
        ++kinds[r.noarch];
    }
    EXPECT_EQ(kinds[NoArchType::generic], 246);
    EXPECT_EQ(kinds[NoArchType::python], 5);
    EXPECT_EQ(kinds[NoArchType::none], 71);
}

TEST(RepodataBaseUrl, V2UrlsComeFromBaseUrl) {
    for (const char* subdir : {"linux-64", "osx-64", "win-64"}) {
        SCOPED_TRACE(subdir);
        const Repodata repodata =
            load_fixture(std::string("channels/conda-base-url-channel/") + subdir);
        EXPECT_EQ(repodata.info.repodata_version, 2);
        EXPECT_EQ(repodata.info.base_url,
                  std::string("https://repo.anaconda.com/pkgs/main/") + subdir);
        ASSERT_EQ(repodata.records.size(), 1U);
        const PackageRecord& r = repodata.records.front();
        EXPECT_EQ(r.name, "ca-certificates");
        EXPECT_EQ(r.url, std::string("https://repo.anaconda.com/pkgs/main/") + subdir + "/" + r.fn);
        EXPECT_TRUE(r.fn.ends_with(".conda"));
    }
    const Repodata linux = load_fixture("channels/conda-base-url-channel/linux-64");
    EXPECT_EQ(
        linux.records.front().url,
        "https://repo.anaconda.com/pkgs/main/linux-64/ca-certificates-2024.3.11-h06a4308_0.conda");
    EXPECT_EQ(linux.records.front().license, "MPL-2.0");
    EXPECT_EQ(linux.records.front().timestamp, 1710764808838U);
}

TEST(RepodataTwins, CondaIsKeptAndTarBz2IsTheFallback) {
    const Repodata repodata = load_fixture("packages/conda-format-repo/linux-64");
    ASSERT_EQ(repodata.records.size(), 2U);
    EXPECT_EQ(repodata.records[0].fn, "libgcc-ng-8.2.0-hdf63c60_1.tar.bz2");
    EXPECT_EQ(repodata.records[1].fn, "zlib-1.2.11-h7b6447c_3.conda");
    EXPECT_EQ(repodata.records[1].md5, "cb23839f06da92ec92c6d2d2d5e0cb4a");
    ASSERT_EQ(repodata.fallbacks.size(), 1U);
    EXPECT_EQ(repodata.fallbacks[0].fn, "zlib-1.2.11-h7b6447c_3.tar.bz2");
    EXPECT_EQ(repodata.fallbacks[0].md5, "2e5b81671cc2b53177b94b258b1658b2");
    EXPECT_EQ(repodata.fallbacks[0].dist_str(), repodata.records[1].dist_str());
    EXPECT_TRUE(repodata.fallbacks[0].url.ends_with("/linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2"));
}

TEST(RepodataMisc, SitePackagesPathAndEmptyDocument) {
    const Repodata recipes = load_fixture("packages/conda-test-recipes/noarch");
    const PackageRecord* python = find(recipes.records, "python-3.99.99-0.conda");
    ASSERT_NE(python, nullptr);
    EXPECT_EQ(python->python_site_packages_path, "lib/python3.99t/site-packages");
    // mamba-channel-b/noarch/repodata.json is the three bytes "{}\n".
    const Repodata empty = load_fixture("packages/mamba-channel-b/noarch");
    EXPECT_TRUE(empty.records.empty());
    EXPECT_TRUE(empty.info.subdir.empty());
    EXPECT_EQ(empty.info.repodata_version, 1);
}

// --- inline documents: the format's corners ---------------------------------------------

TEST(RepodataParse, TrackFeaturesStringOrList) {
    const Repodata repodata = parse(R"({
        "info": {"subdir": "linux-64"},
        "packages": {
            "a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0", "track_features": "x, y  z,"},
            "b-1-0.tar.bz2": {"name": "b", "version": "1", "build": "0", "track_features": ["p", "q"]},
            "c-1-0.tar.bz2": {"name": "c", "version": "1", "build": "0", "track_features": ""},
            "d-1-0.tar.bz2": {"name": "d", "version": "1", "build": "0", "track_features": null,
                              "features": "f1 f2"}
        }})");
    ASSERT_EQ(repodata.records.size(), 4U);
    EXPECT_EQ(repodata.records[0].track_features, (std::vector<std::string>{"x", "y", "z"}));
    EXPECT_EQ(repodata.records[1].track_features, (std::vector<std::string>{"p", "q"}));
    EXPECT_TRUE(repodata.records[2].track_features.empty());
    EXPECT_TRUE(repodata.records[3].track_features.empty());
    EXPECT_EQ(repodata.records[3].features, "f1 f2");
}

TEST(RepodataParse, NoarchValues) {
    const Repodata repodata = parse(R"({"packages": {
        "a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0", "noarch": "python"},
        "b-1-0.tar.bz2": {"name": "b", "version": "1", "build": "0", "noarch": "generic"},
        "c-1-0.tar.bz2": {"name": "c", "version": "1", "build": "0", "noarch": true},
        "d-1-0.tar.bz2": {"name": "d", "version": "1", "build": "0", "noarch": false},
        "e-1-0.tar.bz2": {"name": "e", "version": "1", "build": "0", "noarch": null},
        "f-1-0.tar.bz2": {"name": "f", "version": "1", "build": "0"}}})");
    ASSERT_EQ(repodata.records.size(), 6U);
    EXPECT_EQ(repodata.records[0].noarch, NoArchType::python);
    EXPECT_EQ(repodata.records[1].noarch, NoArchType::generic);
    EXPECT_EQ(repodata.records[2].noarch, NoArchType::generic);
    EXPECT_EQ(repodata.records[3].noarch, NoArchType::none);
    EXPECT_EQ(repodata.records[4].noarch, NoArchType::none);
    EXPECT_EQ(repodata.records[5].noarch, NoArchType::none);
}

TEST(RepodataParse, TimestampsAreMilliseconds) {
    EXPECT_EQ(timestamp_to_ms(1510715425), 1510715425000U);
    EXPECT_EQ(timestamp_to_ms(1510715425612), 1510715425612U);
    EXPECT_EQ(timestamp_to_ms(253402300799), 253402300799000U);
    EXPECT_EQ(timestamp_to_ms(253402300800), 253402300800U);
    const Repodata repodata = parse(R"({"packages": {
        "a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0", "timestamp": 1510715425},
        "b-1-0.tar.bz2": {"name": "b", "version": "1", "build": "0", "timestamp": 1510715425612},
        "c-1-0.tar.bz2": {"name": "c", "version": "1", "build": "0", "timestamp": 1510715425.5},
        "d-1-0.tar.bz2": {"name": "d", "version": "1", "build": "0", "timestamp": null}}})");
    ASSERT_EQ(repodata.records.size(), 4U);
    EXPECT_EQ(repodata.records[0].timestamp, 1510715425000U);
    EXPECT_EQ(repodata.records[1].timestamp, 1510715425612U);
    EXPECT_EQ(repodata.records[2].timestamp, 1510715425500U);
    EXPECT_EQ(repodata.records[3].timestamp, 0U);
}

TEST(RepodataParse, UnknownFieldsEscapesAndNulls) {
    const Repodata repodata = parse(R"({
        "_url": "https://x", "_etag": "\"abc\"", "namespace": {"a": [1, 2, {"b": null}]},
        "info": {"subdir": "linux-64", "arch": "x86_64", "platform": "linux"},
        "packages": {
            "n\u0061me-1.0-0.tar.bz2": {
                "name": "n\u0061me", "version": "1.0", "build": "0", "build_number": 7,
                "depends": ["python >=2.7,<2.8.0a0", "quote\"d \\ back"],
                "binstar": {"channel": "main", "owner_id": "x"}, "requires": ["old"],
                "with_features_depends": {"feat": ["x"]}, "license": null, "platform": null,
                "arch": null, "size": 12, "md5": "0123456789abcdef0123456789abcdef",
                "legacy_bz2_md5": "x", "constrains": [], "requires_features": {}
            }
        },
        "removed": ["gone-1-0.tar.bz2", "other-2-1.tar.bz2"],
        "repodata_version": 1
    })");
    ASSERT_EQ(repodata.records.size(), 1U);
    const PackageRecord& r = repodata.records.front();
    EXPECT_EQ(r.name, "name");
    EXPECT_EQ(r.fn, "name-1.0-0.tar.bz2");
    EXPECT_EQ(r.url, "https://conda.example.org/chan/linux-64/name-1.0-0.tar.bz2");
    EXPECT_EQ(r.channel, "https://conda.example.org/chan");
    EXPECT_EQ(r.build_number, 7U);
    EXPECT_EQ(r.depends, (std::vector<std::string>{"python >=2.7,<2.8.0a0", "quote\"d \\ back"}));
    EXPECT_EQ(r.subdir, "linux-64");
    EXPECT_EQ(r.size, 12U);
    EXPECT_EQ(r.license, "");
    EXPECT_EQ(r.platform, "");
    EXPECT_EQ(repodata.removed,
              (std::vector<std::string>{"gone-1-0.tar.bz2", "other-2-1.tar.bz2"}));
}

TEST(RepodataParse, EmptyDocumentsAndEmptySections) {
    for (const char* json : {"{}", " {} \n", R"({"packages": {}, "packages.conda": {}})",
                             R"({"packages": null, "removed": null, "info": {}})"}) {
        const Repodata repodata = parse(json);
        EXPECT_TRUE(repodata.records.empty()) << json;
        EXPECT_TRUE(repodata.removed.empty()) << json;
        EXPECT_EQ(repodata.info.repodata_version, 1) << json;
    }
}

TEST(RepodataParse, InfoAfterThePackagesStillFillsUrlsAndSubdirs) {
    const std::string json = R"({
        "packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0"}},
        "packages.conda": {"b-1-0.conda": {"name": "b", "version": "1", "build": "0",
                                           "subdir": "noarch"}},
        "repodata_version": 2,
        "info": {"subdir": "linux-64", "base_url": "../../mirror/linux-64/"}
    })";
    for (const RepodataParseOptions options :
         {RepodataParseOptions{1, 0}, RepodataParseOptions{2, 0}}) {
        const Repodata repodata = parse(json, options);
        ASSERT_EQ(repodata.records.size(), 2U);
        EXPECT_EQ(repodata.info.repodata_version, 2);
        EXPECT_EQ(repodata.records[0].subdir, "linux-64");
        EXPECT_EQ(repodata.records[0].url,
                  "https://conda.example.org/mirror/linux-64/a-1-0.tar.bz2");
        EXPECT_EQ(repodata.records[1].subdir, "noarch");
        EXPECT_EQ(repodata.records[1].url, "https://conda.example.org/mirror/linux-64/b-1-0.conda");
    }
}

TEST(RepodataParse, TwinsInEitherSectionOrder) {
    const std::string json = R"({
        "packages.conda": {"z-1-0.conda": {"name": "z", "version": "1", "build": "0", "md5": "c"},
                           "y-1-0.conda": {"name": "y", "version": "1", "build": "0"}},
        "packages": {"x-1-0.tar.bz2": {"name": "x", "version": "1", "build": "0"},
                     "z-1-0.tar.bz2": {"name": "z", "version": "1", "build": "0", "md5": "t"},
                     "y-1-1.tar.bz2": {"name": "y", "version": "1", "build": "1"}}
    })";
    for (const RepodataParseOptions options :
         {RepodataParseOptions{1, 0}, RepodataParseOptions{2, 0}}) {
        const Repodata repodata = parse(json, options);
        ASSERT_EQ(repodata.records.size(), 4U);
        EXPECT_EQ(repodata.records[0].fn, "z-1-0.conda");
        EXPECT_EQ(repodata.records[1].fn, "y-1-0.conda");
        EXPECT_EQ(repodata.records[2].fn, "x-1-0.tar.bz2");
        EXPECT_EQ(repodata.records[3].fn, "y-1-1.tar.bz2");  // a different build: no twin
        ASSERT_EQ(repodata.fallbacks.size(), 1U);
        EXPECT_EQ(repodata.fallbacks[0].fn, "z-1-0.tar.bz2");
        EXPECT_EQ(repodata.fallbacks[0].md5, "t");
    }
}

TEST(RepodataParse, ManyRecordsSplitAcrossThreadsKeepTheirOrder) {
    std::string json = R"({"info": {"subdir": "linux-64"}, "packages": {)";
    for (int i = 0; i < 500; ++i) {
        const std::string n = std::to_string(i);
        json.append(i ? "," : "").append("\"p").append(n).append("-1-0.tar.bz2\": ");
        json.append(R"({"name": "p)").append(n);
        json.append(R"(", "version": "1", "build": "0", "depends": ["a", "b >=1"]})");
    }
    json += R"(}, "packages.conda": {)";
    for (int i = 0; i < 300; i += 3) {  // every third package also as .conda
        const std::string n = std::to_string(i);
        json.append(i ? "," : "").append("\"p").append(n).append("-1-0.conda\": ");
        json.append(R"({"name": "p)").append(n).append(R"(", "version": "1", "build": "0"})");
    }
    json += R"(}, "removed": ["r-1-0.tar.bz2"]})";
    const Repodata one = parse(json, {1, 0});
    const Repodata two = parse(json, {2, 0});
    expect_same(one, two);
    EXPECT_EQ(one.records.size(), 500U);
    EXPECT_EQ(one.fallbacks.size(), 100U);
    EXPECT_EQ(one.records[0].fn, "p1-1-0.tar.bz2");
    EXPECT_EQ(one.records[400].fn, "p0-1-0.conda");
    EXPECT_EQ(one.fallbacks[1].fn, "p3-1-0.tar.bz2");
    EXPECT_EQ(two.removed, std::vector<std::string>{"r-1-0.tar.bz2"});
}

// The split between the two workers falls at the first '}' ',' '"key"' ':' '{' after the
// middle of the text. These documents place the middle so that it falls on each kind of
// boundary; every one must give what one worker gives.
TEST(RepodataParse, SplitBetweenSections) {
    // The middle falls inside one long record at the end of `packages`: the split is at
    // the start of `packages.conda`, a top-level member.
    std::string json = R"({"info": {"subdir": "linux-64"}, "packages": {"big-1-0.tar.bz2": )";
    json += R"({"name": "big", "version": "1", "build": "0", "license": ")" +
            std::string(4000, 'x') + R"("}}, "packages.conda": {)";
    for (int i = 0; i < 50; ++i) {
        const std::string n = std::to_string(i);
        json.append(i ? "," : "").append("\"c").append(n).append("-1-0.conda\": ");
        json.append(R"({"name": "c)").append(n).append(R"(", "version": "1", "build": "0"})");
    }
    json += R"(}, "removed": ["gone-1-0.conda"], "repodata_version": 1})";
    const Repodata one = parse(json, {1, 0});
    const Repodata two = parse(json, {2, 0});
    expect_same(one, two);
    ASSERT_EQ(two.records.size(), 51U);
    EXPECT_EQ(two.records[1].url, "https://conda.example.org/chan/linux-64/c0-1-0.conda");
    EXPECT_EQ(two.removed, std::vector<std::string>{"gone-1-0.conda"});
}

TEST(RepodataParse, SplitGuessInsideARecordFallsBackToOneWorker) {
    // The first '}' after the middle closes an object inside a record, and a field named
    // like a package file follows: the split's guess is wrong, and the result must not be.
    const std::string json =
        R"({"packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0"},
        "b-1-0.tar.bz2": {"name": "b", "license": ")" +
        std::string(4000, 'x') +
        R"(", "binstar": {"x": 1}, "evil-1-0.tar.bz2": {"name": "no"}, "version": "1",
        "build": "0"}, "c-1-0.tar.bz2": {"name": "c", "version": "1", "build": "0"}},
        "info": {"subdir": "noarch"}})";
    const Repodata one = parse(json, {1, 0});
    const Repodata two = parse(json, {2, 0});
    expect_same(one, two);
    ASSERT_EQ(two.records.size(), 3U);
    EXPECT_EQ(two.records[1].name, "b");
    EXPECT_EQ(two.records[2].subdir, "noarch");
}

TEST(RepodataParse, SplitWithInfoAtTheEnd) {
    // Both workers read records before `info`: their urls and subdirs come from it later.
    std::string json = R"({"packages": {)";
    for (int i = 0; i < 200; ++i) {
        const std::string n = std::to_string(i);
        json.append(i ? "," : "").append("\"p").append(n).append("-1-0.tar.bz2\": ");
        json.append(R"({"name": "p)").append(n).append(R"(", "version": "1", "build": "0"})");
    }
    json += R"(}, "info": {"subdir": "osx-64", "base_url": "https://cdn.example.org/x/osx-64"}})";
    const Repodata one = parse(json, {1, 0});
    const Repodata two = parse(json, {2, 0});
    expect_same(one, two);
    ASSERT_EQ(two.records.size(), 200U);
    for (const PackageRecord& r : two.records) {
        EXPECT_EQ(r.subdir, "osx-64");
        EXPECT_EQ(r.url, "https://cdn.example.org/x/osx-64/" + r.fn);
    }
}

TEST(RepodataBaseUrl, ResolvesRelativeReferences) {
    const std::string subdir = "https://h.org/c/linux-64";
    EXPECT_EQ(resolve_base_url(subdir, ""), subdir);
    EXPECT_EQ(resolve_base_url(subdir + "/", ""), subdir);
    EXPECT_EQ(resolve_base_url(subdir, "https://o.org/p/linux-64/"), "https://o.org/p/linux-64");
    EXPECT_EQ(resolve_base_url(subdir, "../../mirror/linux-64"), "https://h.org/mirror/linux-64");
    EXPECT_EQ(resolve_base_url(subdir, "../../../../x"), "https://h.org/x");
    EXPECT_EQ(resolve_base_url(subdir, "pkgs"), "https://h.org/c/linux-64/pkgs");
    EXPECT_EQ(resolve_base_url(subdir, "./pkgs/./a/../b/"), "https://h.org/c/linux-64/pkgs/b");
    EXPECT_EQ(resolve_base_url(subdir, "./"), "https://h.org/c/linux-64");
    EXPECT_EQ(resolve_base_url(subdir, "/pkgs/main/linux-64"), "https://h.org/pkgs/main/linux-64");
    EXPECT_EQ(resolve_base_url(subdir, "//cdn.h.org/c/linux-64"), "https://cdn.h.org/c/linux-64");
    EXPECT_EQ(resolve_base_url("file:///srv/chan/noarch", "../linux-64"),
              "file:///srv/chan/linux-64");
    EXPECT_EQ(resolve_base_url("file:///srv/chan/noarch", "/other/noarch"), "file:///other/noarch");
}

// --- errors ------------------------------------------------------------------------------

TEST(RepodataErrors, WrongFieldTypeNamesFileRecordAndField) {
    EXPECT_EQ(parse_error(R"({"packages": {"foo-1.0-0.tar.bz2": {"name": "foo", "version": "1.0",
                                "build": "0", "build_number": "0"}}})"),
              "invalid repodata '/x/linux-64/repodata.json': record 'foo-1.0-0.tar.bz2': "
              "field 'build_number' is not a non-negative integer");
    EXPECT_EQ(parse_error(R"({"packages": {"foo-1.0-0.tar.bz2": {"name": "foo", "version": 1.0,
                                "build": "0"}}})"),
              "invalid repodata '/x/linux-64/repodata.json': record 'foo-1.0-0.tar.bz2': "
              "field 'version' is not a string");
    EXPECT_EQ(parse_error(R"({"packages.conda": {"foo-1.0-0.conda": {"name": "foo",
                                "version": "1.0", "build": "0", "depends": "python"}}})"),
              "invalid repodata '/x/linux-64/repodata.json': record 'foo-1.0-0.conda': "
              "field 'depends' is not a list of strings");
    EXPECT_EQ(parse_error(R"({"packages": {"foo-1.0-0.tar.bz2": {"name": "foo", "version": "1.0",
                                "build": "0", "constrains": ["a", 3]}}})"),
              "invalid repodata '/x/linux-64/repodata.json': record 'foo-1.0-0.tar.bz2': "
              "field 'constrains' has an element that is not a string");
    EXPECT_EQ(parse_error(R"({"packages": {"foo-1.0-0.tar.bz2": {"name": "foo", "version": "1.0",
                                "build": "0", "size": -5}}})"),
              "invalid repodata '/x/linux-64/repodata.json': record 'foo-1.0-0.tar.bz2': "
              "field 'size' is not a non-negative integer");
    EXPECT_EQ(parse_error(R"({"packages": {"foo-1.0-0.tar.bz2": {"name": "foo", "version": "1.0",
                                "build": "0", "noarch": "java"}}})"),
              "invalid repodata '/x/linux-64/repodata.json': record 'foo-1.0-0.tar.bz2': "
              "field 'noarch' is 'java', not 'python' or 'generic'");
    EXPECT_EQ(parse_error(R"({"packages": {"foo-1.0-0.tar.bz2": {"name": "foo", "version": "1.0",
                                "build": "0", "timestamp": "yesterday"}}})"),
              "invalid repodata '/x/linux-64/repodata.json': record 'foo-1.0-0.tar.bz2': "
              "field 'timestamp' is not a non-negative number");
    EXPECT_EQ(parse_error(R"({"packages": {"foo-1.0-0.tar.bz2": {"name": "foo", "version": "1.0",
                                "build": "0", "track_features": 1}}})"),
              "invalid repodata '/x/linux-64/repodata.json': record 'foo-1.0-0.tar.bz2': "
              "field 'track_features' is not a string");
}

TEST(RepodataErrors, MissingIdentityFields) {
    EXPECT_EQ(
        parse_error(R"({"packages": {"foo-1.0-0.tar.bz2": {"version": "1.0", "build": "0"}}})"),
        "invalid repodata '/x/linux-64/repodata.json': record 'foo-1.0-0.tar.bz2': "
        "missing field 'name'");
    EXPECT_EQ(parse_error(R"({"packages": {"foo-1.0-0.tar.bz2": {"name": null, "version": "1.0",
                                "build": "0"}}})"),
              "invalid repodata '/x/linux-64/repodata.json': record 'foo-1.0-0.tar.bz2': "
              "missing field 'name'");
    EXPECT_EQ(parse_error(R"({"packages": {"foo-1.0-0.tar.bz2": {"name": "foo", "build": "0"}}})"),
              "invalid repodata '/x/linux-64/repodata.json': record 'foo-1.0-0.tar.bz2': "
              "missing field 'version'");
    EXPECT_EQ(
        parse_error(R"({"packages": {"foo-1.0-0.tar.bz2": {"name": "foo", "version": "1"}}})"),
        "invalid repodata '/x/linux-64/repodata.json': record 'foo-1.0-0.tar.bz2': "
        "missing field 'build'");
    EXPECT_EQ(parse_error(R"({"packages": {"foo-1.0-0.tar.bz2": ["name", "foo"]}})"),
              "invalid repodata '/x/linux-64/repodata.json': record 'foo-1.0-0.tar.bz2': "
              "is not a JSON object");
}

TEST(RepodataErrors, WrongStructure) {
    EXPECT_EQ(parse_error("[]"),
              "invalid repodata '/x/linux-64/repodata.json': the top level is not a JSON object");
    EXPECT_EQ(parse_error(R"({"packages": []})"),
              "invalid repodata '/x/linux-64/repodata.json': 'packages' is not an object");
    EXPECT_EQ(parse_error(R"({"info": {"subdir": 64}})"),
              "invalid repodata '/x/linux-64/repodata.json': 'info.subdir' is not a string");
    EXPECT_EQ(parse_error(R"({"removed": "x"})"),
              "invalid repodata '/x/linux-64/repodata.json': 'removed' is not a list of file "
              "names");
    EXPECT_EQ(parse_error(R"({"repodata_version": "2"})"),
              "invalid repodata '/x/linux-64/repodata.json': 'repodata_version' is not a small "
              "non-negative integer");
}

TEST(RepodataErrors, MalformedJsonNamesTheFileAndWhere) {
    EXPECT_EQ(parse_error("{\"packages\": {\n  \"foo-1.0-0.tar.bz2\": {\"name\": \"foo\", \"ver"),
              "invalid repodata '/x/linux-64/repodata.json': record 'foo-1.0-0.tar.bz2': "
              "malformed JSON at line 2, column 40 (byte 54): a string that is never closed (a "
              "truncated file?)");
    EXPECT_EQ(parse_error("{\"packages\": {\n  \"foo-1.0-0.tar.bz2\": {\"name\": \"foo\", "),
              "invalid repodata '/x/linux-64/repodata.json': record 'foo-1.0-0.tar.bz2': "
              "malformed JSON at the end of the file: the file ends inside an object or a list (a "
              "truncated file?)");
    EXPECT_EQ(parse_error("{\"packages\": {\"a-1-0.tar.bz2\": {\"name\": \"a\"]}}"),
              "invalid repodata '/x/linux-64/repodata.json': record 'a-1-0.tar.bz2': malformed "
              "JSON at line 1, column 44 (byte 43): an unexpected ']'");
    EXPECT_EQ(parse_error("{\"packages\": {}} trailing"),
              "invalid repodata '/x/linux-64/repodata.json': malformed JSON at line 1, column 18 "
              "(byte 17): content after the end of the top-level object");
    EXPECT_EQ(parse_error("{\"packages\": {\"a-1-0.tar.bz2\": {\"name\" \"a\"}}}"),
              "invalid repodata '/x/linux-64/repodata.json': record 'a-1-0.tar.bz2': malformed "
              "JSON at line 1, column 40 (byte 39): "
              "The JSON document has an improper structure: missing or superfluous commas, "
              "braces, missing keys, etc.");
    EXPECT_EQ(parse_error(""),
              "invalid repodata '/x/linux-64/repodata.json': malformed JSON at the end of the "
              "file: the file holds no JSON value");
    for (const char* bad : {"   ", "{", "nul", "{\"info\": {\"subdir\": \"linux-64}}", "{\"a\" 1}",
                            "\xff\xfe", "{\"packages\": {\"a\": {\"name\": tru}}}"}) {
        const std::string message = parse_error(bad);
        EXPECT_TRUE(message.starts_with("invalid repodata '/x/linux-64/repodata.json': "))
            << message;
    }
}

TEST(RepodataErrors, EveryTruncationFailsCleanly) {
    const std::string json = R"({"info": {"subdir": "linux-64"}, "packages": {"a-1.0-0.tar.bz2":
        {"build": "0", "build_number": 0, "depends": ["python >=3.8", "b"], "md5": "x",
         "name": "a", "noarch": "python", "size": 1, "timestamp": 1, "track_features": "t",
         "version": "1.0"}}, "packages.conda": {"b-2-1.conda": {"name": "b", "version": "2",
         "build": "1", "constrains": ["c <2"]}}, "removed": ["z"], "repodata_version": 1})";
    for (std::size_t n = 0; n + 1 < json.size(); ++n) {
        SCOPED_TRACE(n);
        for (const RepodataParseOptions options :
             {RepodataParseOptions{1, 0}, RepodataParseOptions{2, 0}}) {
            EXPECT_THROW((void)parse(json.substr(0, n), options), ParseError);
        }
    }
    EXPECT_EQ(parse(json).records.size(), 2U);
}

TEST(RepodataErrors, CorruptedBytesNeverCrash) {
    const std::string json = R"({"info": {"subdir": "linux-64"}, "packages": {"a-1.0-0.tar.bz2":
        {"build": "0", "build_number": 0, "depends": ["python >=3.8", "b"], "md5": "x",
         "name": "a", "noarch": true, "size": 1, "timestamp": 1.5, "track_features": ["t"],
         "version": "1.0"}}, "removed": [], "repodata_version": 1})";
    std::size_t failures = 0;
    for (std::size_t i = 0; i < json.size(); ++i) {
        for (const char c : {'"', '{', '}', '[', ']', ',', ':', '\\', 'x', '\0', '1'}) {
            std::string bad = json;
            bad[i] = c;
            try {
                (void)parse(bad, {2, 0});
            } catch (const ParseError&) {
                ++failures;
            }
        }
    }
    EXPECT_GT(failures, json.size());
}

TEST(RepodataErrors, ParallelParseReportsTheFirstFaultLikeASequentialOne) {
    std::string json = R"({"packages": {)";
    for (int i = 0; i < 200; ++i) {
        const std::string n = std::to_string(i);
        json.append(i ? "," : "").append("\"p").append(n).append("-1-0.tar.bz2\": ");
        json.append(R"({"name": "p)").append(n).append(R"(", "version": "1", "build": "0", )");
        json.append(R"("size": )").append(i == 150 || i == 170 ? "\"big\"" : "1").append("}");
    }
    json += "}}";
    const std::string expected =
        "invalid repodata '/x/linux-64/repodata.json': record 'p150-1-0.tar.bz2': field 'size' "
        "is not a non-negative integer";
    EXPECT_EQ(parse_error(json, {1, 0}), expected);
    EXPECT_EQ(parse_error(json, {2, 0}), expected);
    // Garbage after the end, found by the worker of the second half.
    const std::size_t big = json.find("\"big\"");
    json.replace(big, 5, "1");
    json.replace(json.find("\"big\""), 5, "1");
    json += " []";
    const std::string trailing = parse_error(json, {1, 0});
    EXPECT_NE(trailing.find("content after the end of the top-level object"), std::string::npos)
        << trailing;
    EXPECT_EQ(parse_error(json, {2, 0}), trailing);
}

TEST(RepodataErrors, LoadNamesThePath) {
    const fs::path dir = fs::path(::testing::TempDir()) / "cenv_repodata_test" / "linux-64";
    fs::create_directories(dir);
    const fs::path file = dir / "repodata.json";
    {
        std::ofstream out(file, std::ios::binary);
        out << R"({"packages": {"foo-1.0-0.tar.bz2": {"name": "foo", "version": "1.0"}}})";
    }
    RepodataSource source;
    source.subdir_url = "file://" + dir.string();
    try {
        (void)load_repodata(file, source);
        FAIL() << "expected ParseError";
    } catch (const ParseError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "invalid repodata '" + file.string() +
                      "': record 'foo-1.0-0.tar.bz2': missing field 'build'");
    }
    EXPECT_THROW((void)load_repodata(dir / "missing.json", source), util::IoError);
    EXPECT_THROW((void)load_repodata(dir, source), util::IoError);
    // An empty file is not a document.
    { std::ofstream out(dir / "empty.json", std::ios::binary); }
    EXPECT_THROW((void)load_repodata(dir / "empty.json", source), ParseError);
    // A file whose size is a multiple of the page size: the padding lies past its last page.
    {
        std::ofstream out(dir / "page.json", std::ios::binary);
        out << "{\"removed\": [\"" << std::string(4096 - 17, 'x') << "\"]}";
    }
    EXPECT_EQ(fs::file_size(dir / "page.json"), 4096U);
    EXPECT_EQ(load_repodata(dir / "page.json", source).removed.front().size(), 4096U - 17);
    fs::remove_all(dir.parent_path());
}

}  // namespace
}  // namespace cenv::specs

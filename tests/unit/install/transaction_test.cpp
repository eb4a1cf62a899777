// Transactions on real packages (conda's test recipes): install and remove, Ctrl-C and a
// failure half-way rolled back, clobbered paths, and the fetch interface (archives that
// arrive one by one from another thread while extraction runs).

#include "install/transaction.hpp"

#include <csignal>
#include <cstdlib>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "install/error.hpp"
#include "install/prepare.hpp"
#include "test_support.hpp"

namespace cenv::install {
namespace {

namespace fs = std::filesystem;
using test::ScratchDir;
using test::slurp;
using test::snapshot;
using test::spit;

const fs::path kRecipes = test::fixtures() / "conda-test-recipes/noarch";

// A record of conda's test-recipe channel, as its repodata.json gives it.
specs::PackageRecord recipe(const std::string& fn) {
    return test::repodata_record(kRecipes, fn, "file://" + kRecipes.parent_path().string(),
                                 "file://" + kRecipes.string());
}

class Transactions : public ::testing::Test {
  protected:
    void SetUp() override {
        const char* home = std::getenv("HOME");
        saved_home_ = home != nullptr ? home : "";
        ::setenv("HOME", scratch_.path().c_str(), 1);
    }
    void TearDown() override { ::setenv("HOME", saved_home_.c_str(), 1); }

    // Runs a transaction on `prefix` (made when missing) and returns its result.
    TransactionResult run(const fs::path& prefix, TransactionRequest request,
                          TransactionOptions options = {}) {
        std::optional<PrefixLock> lock;
        if (fs::exists(prefix)) {
            lock.emplace(PrefixLock::acquire(prefix));
        } else {
            lock.emplace(PrefixLock::create(prefix));
            request.created_prefix = true;
        }
        options.root_prefix = scratch_.path();
        if (request.final_state.empty()) {
            request.final_state = request.link;
        }
        return run_transaction(*lock, cache_, request, options);
    }

    ScratchDir scratch_;
    PackageCache cache_{{scratch_.path() / "pkgs"}};
    std::string saved_home_;
};

TEST_F(Transactions, InstallThenRemoveLeavesOnlyTheHistory) {
    const fs::path prefix = scratch_.path() / "env";
    TransactionRequest install;
    install.link = {recipe("dependency-1.0-0.conda"),
                    recipe("activate_deactivate_package-1.0-0.conda")};
    install.specs = {"dependency=1.0"};
    const auto result = run(prefix, install);
    EXPECT_EQ(result.fetched.size(), 2U);
    const auto record = nlohmann::json::parse(slurp(prefix / "conda-meta/dependency-1.0-0.json"));
    EXPECT_EQ(record.at("requested_spec"), "dependency=1.0");
    EXPECT_EQ(
        nlohmann::json::parse(slurp(prefix / "conda-meta/activate_deactivate_package-1.0-0.json"))
            .at("requested_spec"),
        "None");
    for (const auto& file : record.at("files")) {
        EXPECT_TRUE(fs::exists(prefix / file.get<std::string>())) << file;
    }
    EXPECT_TRUE(fs::exists(prefix / "etc/conda/activate.d/activate.sh"));
    EXPECT_NE(slurp(scratch_.path() / ".conda/environments.txt").find(prefix.string()),
              std::string::npos);

    TransactionRequest remove;
    remove.unlink = install.link;
    remove.history_action = "remove";
    remove.specs = {"dependency", "activate_deactivate_package"};
    (void)run(prefix, remove);
    EXPECT_EQ(test::names_in(prefix), std::vector<std::string>{"conda-meta"});
    EXPECT_EQ(test::names_in(prefix / "conda-meta"), std::vector<std::string>{"history"});
    const std::string history = slurp(prefix / "conda-meta/history");
    EXPECT_NE(history.find("# remove specs: ['dependency', 'activate_deactivate_package']"),
              std::string::npos);
}

TEST_F(Transactions, CtrlCRollsBack) {
    const fs::path prefix = scratch_.path() / "env";
    TransactionRequest first;
    first.link = {recipe("dependency-1.0-0.conda")};
    (void)run(prefix, first);
    const auto before = snapshot(prefix);

    TransactionRequest upgrade;
    upgrade.unlink = {recipe("dependency-1.0-0.conda")};
    upgrade.link = {recipe("dependency-2.0-0.conda"), recipe("small-executable-1.0-0.conda")};
    TransactionOptions options;
    options.threads = 1;
    options.on_event = [](const TransactionEvent& e) {
        if (e.kind == TransactionEvent::Kind::linked) {
            std::raise(SIGINT);  // as a user's Ctrl-C: the transaction notices and undoes
        }
    };
    EXPECT_THROW((void)run(prefix, upgrade, options), Interrupted);
    EXPECT_EQ(snapshot(prefix), before);
}

TEST_F(Transactions, AFailureHalfWayRollsBackAndANewPrefixGoes) {
    // A package whose binary placeholder is too short for any prefix, put straight into the
    // cache as an extracted tree.
    const fs::path tree = scratch_.path() / "pkgs/short-1-0";
    fs::create_directories(tree / "info");
    fs::create_directories(tree / "bin");
    spit(tree / "bin/tool", std::string("x\0/sh\0", 6));
    spit(tree / "info/index.json", R"({"name": "short", "version": "1", "build": "0"})");
    spit(tree / "info/paths.json",
         R"({"paths": [{"_path": "bin/tool", "path_type": "hardlink", "file_mode": "binary",
             "prefix_placeholder": "/sh"}], "paths_version": 1})");
    spit(tree / "info/repodata_record.json",
         R"({"name": "short", "version": "1", "build": "0", "fn": "short-1-0.tar.bz2",
             "sha256": "0000", "size": 1})");
    specs::PackageRecord short_pkg;
    short_pkg.name = "short";
    short_pkg.version = "1";
    short_pkg.build = "0";
    short_pkg.fn = "short-1-0.tar.bz2";
    short_pkg.sha256 = "0000";
    short_pkg.size = 1;

    const fs::path prefix = scratch_.path() / "env";
    TransactionRequest first;
    first.link = {recipe("dependency-1.0-0.conda")};
    (void)run(prefix, first);
    const auto before = snapshot(prefix);
    TransactionRequest bad;
    bad.link = {recipe("small-executable-1.0-0.conda"), short_pkg};
    try {
        (void)run(prefix, bad);
        FAIL() << "expected InstallError";
    } catch (const InstallError& e) {
        EXPECT_NE(std::string(e.what()).find("short-1-0"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("longer than the placeholder"), std::string::npos);
    }
    EXPECT_EQ(snapshot(prefix), before);

    const fs::path fresh = scratch_.path() / "fresh";
    EXPECT_THROW((void)run(fresh, bad), InstallError);
    EXPECT_FALSE(fs::exists(fresh));
}

TEST_F(Transactions, ClobberedPathsWarnOrFail) {
    const fs::path prefix = scratch_.path() / "env";
    TransactionRequest both;
    both.link = {recipe("clobber-a-1.0-0.conda"), recipe("clobber-b-1.0-0.conda")};
    TransactionOptions strict;
    strict.safety_checks = SafetyChecks::enabled;
    EXPECT_THROW((void)run(prefix, both, strict), InstallError);
    EXPECT_FALSE(fs::exists(prefix));

    std::vector<std::string> warnings;
    TransactionOptions warn;
    warn.on_event = [&](const TransactionEvent& e) {
        if (e.kind == TransactionEvent::Kind::warning) {
            warnings.push_back(e.text);
        }
    };
    const auto result = run(prefix, both, warn);
    ASSERT_EQ(warnings.size(), 1U);
    EXPECT_EQ(result.warnings, warnings);
    EXPECT_NE(warnings[0].find("clobber-a-1.0-0 and clobber-b-1.0-0 both install "
                               "'bin/clobber-test-file'"),
              std::string::npos)
        << warnings[0];
    // Removing clobber-b keeps the file that clobber-a still lists.
    TransactionRequest again;
    again.unlink = {recipe("clobber-b-1.0-0.conda")};
    (void)run(prefix, again);
    EXPECT_TRUE(fs::exists(prefix / "bin/clobber-test-file"));  // a still lists it
}

TEST_F(Transactions, ArchivesArriveFromTheFetchOneByOne) {
    std::vector<specs::PackageRecord> records = {recipe("dependency-1.0-0.conda"),
                                                 recipe("dependency-2.0-0.conda"),
                                                 recipe("versioned-1.0-0.conda")};
    for (auto& r : records) {
        r.url = "https://conda.example.invalid/chan/noarch/" + r.fn;  // not a local channel
    }
    std::atomic<std::size_t> ready_before_fetch_returned{0};
    std::atomic<bool> fetch_done{false};
    std::vector<fs::path> destinations;
    PrepareOptions options;
    options.threads = 2;
    options.on_ready = [&](std::size_t) {
        if (!fetch_done) {
            ++ready_before_fetch_returned;
        }
    };
    // A downloader-like fetch: copies each archive to its destination on a thread of its
    // own, one after another, and reports each as it lands.
    options.fetch = fetch_by_scheme(
        [&](std::span<const ArchiveRequest> requests, const ArchiveArrived& arrived) {
            std::thread transfer([&] {
                for (std::size_t i = 0; i < requests.size(); ++i) {
                    destinations.push_back(requests[i].destination);
                    fs::copy_file(kRecipes / requests[i].record->fn, requests[i].destination);
                    arrived(i, requests[i].destination);
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                }
            });
            transfer.join();
            fetch_done = true;
        });
    const auto prepared = prepare_packages(cache_, records, options);
    ASSERT_EQ(prepared.size(), 3U);
    for (std::size_t i = 0; i < prepared.size(); ++i) {
        EXPECT_TRUE(prepared[i].fetched);
        EXPECT_EQ(prepared[i].tree, scratch_.path() / "pkgs" / records[i].dist_str());
        EXPECT_EQ(destinations[i], scratch_.path() / "pkgs" / records[i].fn);
    }
    EXPECT_GE(ready_before_fetch_returned.load(), 1U);  // extraction overlapped the fetch
    // Cached now: nothing to fetch the second time.
    options.fetch = {};
    for (const auto& p : prepare_packages(cache_, records, options)) {
        EXPECT_FALSE(p.fetched);
    }
}

TEST_F(Transactions, AFailedFetchChangesNothing) {
    auto record = recipe("dependency-1.0-0.conda");
    record.url = "https://conda.example.invalid/chan/noarch/" + record.fn;
    const fs::path prefix = scratch_.path() / "env";
    TransactionRequest request;
    request.link = {record};
    // Without a downloader, a remote URL is refused by name.
    try {
        (void)run(prefix, request);
        FAIL() << "expected InstallError";
    } catch (const InstallError& e) {
        EXPECT_NE(std::string(e.what()).find("https://conda.example.invalid"), std::string::npos);
    }
    EXPECT_FALSE(fs::exists(prefix));
    TransactionOptions options;
    options.fetch = fetch_by_scheme([](std::span<const ArchiveRequest>, const ArchiveArrived&) {
        throw util::Error("download failed: 503 from conda.example.invalid", "try a mirror");
    });
    EXPECT_THROW((void)run(prefix, request, options), util::Error);
    EXPECT_FALSE(fs::exists(prefix));
}

}  // namespace
}  // namespace cenv::install

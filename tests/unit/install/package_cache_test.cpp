#include "install/package_cache.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "install/cache_contents.hpp"
#include "install/error.hpp"
#include "test_support.hpp"
#include "util/file_lock.hpp"

namespace cenv::install {
namespace {

namespace fs = std::filesystem;

using test::fixtures;
using test::names_in;
using test::ScratchDir;

const fs::path kRepo = fixtures() / "conda-format-repo/linux-64";

// zlib's record as the channel's repodata.json gives it.
specs::PackageRecord zlib_record(const std::string& fn = "zlib-1.2.11-h7b6447c_3.conda") {
    return test::repodata_record(kRepo, fn, "https://conda.example.org/format-repo",
                                 "https://conda.example.org/format-repo/linux-64");
}

nlohmann::json read_json(const fs::path& path) {
    return nlohmann::json::parse(test::slurp(path));
}

TEST(PackageCache, EnsureExtractedFromAnArchive) {
    ScratchDir scratch;
    PackageCache cache({scratch.path() / "pkgs"});
    const auto record = zlib_record();
    const fs::path tree = cache.ensure_extracted(record, kRepo / record.fn);
    EXPECT_EQ(tree, scratch.path() / "pkgs/zlib-1.2.11-h7b6447c_3");
    EXPECT_TRUE(fs::is_regular_file(tree / "include/zlib.h"));
    // The archive was copied into the cache, the URL recorded once.
    EXPECT_TRUE(archive_matches(scratch.path() / "pkgs" / record.fn, record));
    EXPECT_EQ(test::slurp(scratch.path() / "pkgs/urls.txt"), record.url + "\n");

    const auto stored = read_json(tree / "info/repodata_record.json");
    EXPECT_EQ(stored.at("sha256"), record.sha256);
    EXPECT_EQ(stored.at("md5"), record.md5);
    EXPECT_EQ(stored.at("size"), record.size);
    EXPECT_EQ(stored.at("url"), record.url);
    EXPECT_EQ(stored.at("channel"), record.channel);
    EXPECT_EQ(stored.at("fn"), record.fn);
    // From the package's info/index.json, which the record did not carry.
    EXPECT_EQ(stored.at("license"), read_json(tree / "info/index.json").at("license"));
    EXPECT_TRUE(tree_matches(tree, record));

    // Second time: found, nothing re-extracted, urls.txt unchanged.
    const auto inode = fs::last_write_time(tree / "info/repodata_record.json");
    EXPECT_EQ(cache.ensure_extracted(record, std::nullopt), tree);
    EXPECT_EQ(fs::last_write_time(tree / "info/repodata_record.json"), inode);
    EXPECT_EQ(test::slurp(scratch.path() / "pkgs/urls.txt"), record.url + "\n");
    EXPECT_EQ(cache.find_tree(record), tree);
}

TEST(PackageCache, MissingOrInvalidTreeIsReExtractedFromTheCachedArchive) {
    ScratchDir scratch;
    PackageCache cache({scratch.path() / "pkgs"});
    const auto record = zlib_record();
    const fs::path tree = cache.ensure_extracted(record, kRepo / record.fn);

    // Tampered record: another sha256.
    auto stored = read_json(tree / "info/repodata_record.json");
    stored["sha256"] = std::string(64, '0');
    test::spit(tree / "info/repodata_record.json", stored.dump());
    fs::remove(tree / "include/zlib.h");
    EXPECT_FALSE(tree_matches(tree, record));
    EXPECT_EQ(cache.ensure_extracted(record, std::nullopt), tree);
    EXPECT_TRUE(fs::exists(tree / "include/zlib.h"));
    EXPECT_TRUE(tree_matches(tree, record));

    // Wrong size in the record file.
    stored = read_json(tree / "info/repodata_record.json");
    stored["size"] = record.size + 1;
    test::spit(tree / "info/repodata_record.json", stored.dump());
    EXPECT_FALSE(tree_matches(tree, record));
    cache.ensure_extracted(record, std::nullopt);
    EXPECT_TRUE(tree_matches(tree, record));

    // No record file at all, then no tree at all.
    fs::remove(tree / "info/repodata_record.json");
    EXPECT_FALSE(cache.find_tree(record));
    cache.ensure_extracted(record, std::nullopt);
    EXPECT_TRUE(tree_matches(tree, record));
    fs::remove_all(tree);
    cache.ensure_extracted(record, std::nullopt);
    EXPECT_TRUE(tree_matches(tree, record));
    // Only the tree, the archive, urls.txt and the locks: no temporary leftovers.
    for (const auto& name : names_in(scratch.path() / "pkgs")) {
        EXPECT_FALSE(name.starts_with(".cenv-")) << name;
    }
}

TEST(PackageCache, LeftoversOfAKilledExtractionAreRemoved) {
    ScratchDir scratch;
    const fs::path pkgs = scratch.path() / "pkgs";
    const auto record = zlib_record();
    // What a cenv killed mid-extraction (or mid-copy) leaves, and one of another package.
    fs::create_directories(pkgs / ".cenv-tmp-zlib-1.2.11-h7b6447c_3-Ab12Cd/lib");
    fs::create_directories(pkgs / ".cenv-old-zlib-1.2.11-h7b6447c_3-Zz99Yy/tree");
    test::spit(pkgs / ".cenv-dl-zlib-1.2.11-h7b6447c_3.conda-Qw34Er", "partial");
    fs::create_directories(pkgs / ".cenv-tmp-zlib-1.2.11-h7b6447c_3-extra-Ab12Cd");
    PackageCache cache({pkgs});
    cache.ensure_extracted(record, kRepo / record.fn);
    std::vector<std::string> hidden;
    for (const auto& name : names_in(pkgs)) {
        if (name.starts_with(".")) {
            hidden.push_back(name);
        }
    }
    EXPECT_EQ(hidden, std::vector<std::string>{".cenv-tmp-zlib-1.2.11-h7b6447c_3-extra-Ab12Cd"});
}

TEST(PackageCache, CorruptCachedArchiveIsNotUsed) {
    ScratchDir scratch;
    const fs::path pkgs = scratch.path() / "pkgs";
    fs::create_directories(pkgs);
    const auto record = zlib_record();
    std::string content = test::slurp(kRepo / record.fn);
    content[content.size() / 2] ^= 1;
    test::spit(pkgs / record.fn, content);
    EXPECT_FALSE(archive_matches(pkgs / record.fn, record));
    PackageCache cache({pkgs});
    EXPECT_FALSE(cache.find_archive(record));
    EXPECT_THROW(cache.ensure_extracted(record, std::nullopt), InstallError);
    // A given archive that does not match its record is refused, naming it.
    try {
        cache.ensure_extracted(record, pkgs / record.fn);
        FAIL() << "a corrupt archive was accepted";
    } catch (const InstallError& e) {
        EXPECT_NE(std::string(e.what()).find("sha256"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(record.fn), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(pkgs / "zlib-1.2.11-h7b6447c_3"));
    // Truncated: the size check says so before any hashing.
    test::spit(pkgs / record.fn, content.substr(0, 1000));
    EXPECT_FALSE(archive_matches(pkgs / record.fn, record));
}

TEST(PackageCache, Md5OnlyRecordsAndTarBz2) {
    ScratchDir scratch;
    PackageCache cache({scratch.path() / "pkgs"});
    auto record = zlib_record("zlib-1.2.11-h7b6447c_3.tar.bz2");
    record.sha256.clear();
    const fs::path tree = cache.ensure_extracted(record, kRepo / record.fn);
    EXPECT_TRUE(tree_matches(tree, record));
    // The sha256 is computed from the archive when the record lacks it.
    EXPECT_EQ(read_json(tree / "info/repodata_record.json").at("sha256").get<std::string>().size(),
              64u);
    record.md5 = std::string(32, 'f');
    EXPECT_FALSE(tree_matches(tree, record));
}

TEST(PackageCache, LooksInEveryDirAndWritesToTheFirstWritable) {
    ScratchDir scratch;
    const auto record = zlib_record();
    PackageCache first({scratch.path() / "a"});
    first.ensure_extracted(record, kRepo / record.fn);
    // "a" found first for reading; "b" is where new work would go.
    PackageCache both({scratch.path() / "b", scratch.path() / "a"});
    EXPECT_EQ(both.ensure_extracted(record, std::nullopt),
              scratch.path() / "a/zlib-1.2.11-h7b6447c_3");
    EXPECT_EQ(both.writable_dir(), scratch.path() / "b");
    // A cache dir that cannot be created (a file is in the way) is passed over.
    test::spit(scratch.path() / "file", "x");
    PackageCache blocked({scratch.path() / "file/pkgs", scratch.path() / "c"});
    EXPECT_EQ(blocked.writable_dir(), scratch.path() / "c");
    PackageCache none({scratch.path() / "file/pkgs"});
    EXPECT_THROW((void)none.writable_dir(), InstallError);
}

// Two real processes extract the same package into the same cache at the same time.
TEST(PackageCache, TwoProcessesExtractingTheSamePackageBothSucceed) {
    for (int round = 0; round < 5; ++round) {
        ScratchDir scratch;
        const auto record = zlib_record(round % 2 == 0 ? "zlib-1.2.11-h7b6447c_3.conda"
                                                       : "zlib-1.2.11-h7b6447c_3.tar.bz2");
        std::vector<pid_t> children;
        for (int i = 0; i < 2; ++i) {
            const pid_t pid = ::fork();
            ASSERT_GE(pid, 0);
            if (pid == 0) {
                int status = 1;
                try {
                    PackageCache cache({scratch.path() / "pkgs"});
                    const fs::path tree = cache.ensure_extracted(record, kRepo / record.fn);
                    status =
                        tree_matches(tree, record) && fs::is_regular_file(tree / "include/zlib.h")
                            ? 0
                            : 2;
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "child %d: %s\n", i, e.what());
                    status = 3;
                }
                ::_exit(status);
            }
            children.push_back(pid);
        }
        for (const pid_t pid : children) {
            int status = 0;
            ASSERT_EQ(::waitpid(pid, &status, 0), pid);
            ASSERT_TRUE(WIFEXITED(status));
            EXPECT_EQ(WEXITSTATUS(status), 0) << "round " << round;
        }
        PackageCache cache({scratch.path() / "pkgs"});
        ASSERT_TRUE(cache.find_tree(record));
        EXPECT_EQ(test::slurp(scratch.path() / "pkgs/urls.txt"), record.url + "\n");
        for (const auto& name : names_in(scratch.path() / "pkgs")) {
            EXPECT_FALSE(name.starts_with(".cenv-")) << name;
        }
    }
}

TEST(CacheContents, ListAndClean) {
    ScratchDir scratch;
    const fs::path pkgs = scratch.path() / "pkgs";
    PackageCache cache({pkgs});
    const auto record = zlib_record();
    cache.ensure_extracted(record, kRepo / record.fn);
    fs::create_directories(pkgs / ".cenv-tmp-zlib-1.2.11-h7b6447c_3-abcdef/lib");
    test::spit(pkgs / ".cenv-tmp-zlib-1.2.11-h7b6447c_3-abcdef/lib/x", "12345");

    const auto items = list_cache(pkgs);
    std::map<std::string, CacheItemKind> kinds;
    for (const auto& item : items) {
        kinds[item.path.filename().string()] = item.kind;
    }
    EXPECT_EQ(kinds.at(record.fn), CacheItemKind::tarball);
    EXPECT_EQ(kinds.at("zlib-1.2.11-h7b6447c_3"), CacheItemKind::extracted);
    EXPECT_EQ(kinds.at("zlib-1.2.11-h7b6447c_3.lock"), CacheItemKind::lock);
    EXPECT_EQ(kinds.at(".cenv-tmp-zlib-1.2.11-h7b6447c_3-abcdef"), CacheItemKind::partial);
    EXPECT_FALSE(kinds.contains("urls.txt"));

    // Dry run: reported, nothing removed.
    auto report = clean_cache({pkgs}, {CacheItemKind::tarball}, true);
    ASSERT_EQ(report.removed.size(), 1u);
    EXPECT_EQ(report.bytes_freed, record.size);
    EXPECT_TRUE(fs::exists(pkgs / record.fn));

    report = clean_cache({pkgs}, {CacheItemKind::tarball}, false);
    EXPECT_EQ(report.bytes_freed, record.size);
    EXPECT_FALSE(fs::exists(pkgs / record.fn));
    EXPECT_TRUE(fs::exists(pkgs / "zlib-1.2.11-h7b6447c_3"));

    report = clean_cache({pkgs}, {CacheItemKind::lock, CacheItemKind::partial}, false);
    EXPECT_FALSE(fs::exists(pkgs / ".cenv-tmp-zlib-1.2.11-h7b6447c_3-abcdef"));
    EXPECT_FALSE(fs::exists(pkgs / "zlib-1.2.11-h7b6447c_3.lock"));

    // A package whose lock another holder has is skipped, not torn down.
    {
        auto held = util::FileLock::acquire(package_lock_path(pkgs, "zlib-1.2.11-h7b6447c_3"));
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            const auto r = clean_cache({pkgs}, {CacheItemKind::extracted}, false);
            ::_exit(r.busy.size() == 1 && r.removed.empty() ? 0 : 1);
        }
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    EXPECT_TRUE(fs::exists(pkgs / "zlib-1.2.11-h7b6447c_3"));
    report = clean_cache({pkgs}, {CacheItemKind::extracted}, false);
    ASSERT_EQ(report.removed.size(), 1u);
    EXPECT_GT(report.bytes_freed, 100000u);
    EXPECT_FALSE(fs::exists(pkgs / "zlib-1.2.11-h7b6447c_3"));
}

}  // namespace
}  // namespace cenv::install

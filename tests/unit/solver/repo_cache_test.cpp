// The binary cache of channel subdirs (repo_cache.hpp) and the lean loading path
// (Database::add_repodata): the records and solutions read from a cache are those read
// from the JSON; a changed repodata, a corrupt, truncated or foreign cache is rebuilt;
// writes are atomic, also with two writers at once.

#include "solver/repo_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "solver/database.hpp"
#include "solver/solve.hpp"
#include "specs/repodata.hpp"
#include "util/file.hpp"

namespace cenv::solver {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures(CENV_FIXTURES_DIR);
const fs::path kCases = kFixtures / "conda-cases" / "channels";

// Every field of a record, for comparing records read two ways.
std::string describe(const specs::PackageRecord& r) {
    return fmt::format("{}|{}|{}|{}|d:{}|c:{}|tf:{}|f:{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
                       r.name, r.version, r.build, r.build_number, fmt::join(r.depends, ","),
                       fmt::join(r.constrains, ","), fmt::join(r.track_features, ","), r.features,
                       r.license, r.license_family, r.md5, r.sha256, r.size, r.timestamp, r.subdir,
                       static_cast<int>(r.noarch), r.platform, r.arch, r.python_site_packages_path,
                       r.fn, r.url, r.channel);
}

class TempDir {
  public:
    TempDir() {
        std::random_device rd;
        path_ = fs::temp_directory_path() / fmt::format("cenv-solv-test-{}", rd());
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    [[nodiscard]] const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

specs::RepodataSource source_for(const fs::path& channel, const std::string& subdir,
                                 const fs::path& file) {
    const std::string url = "file://" + channel.string();
    return {url, url + "/" + subdir, file.string()};
}

struct Channel {
    fs::path dir;
    std::vector<std::string> subdirs;
};

// Loads a channel's subdirs: through add_repodata (with `cache`, or none when empty) or,
// when `records` is set, through load_repodata + add_repo.
std::vector<Database::RepoLoad> load(Database& db, const Channel& channel, int priority,
                                     const fs::path& cache, bool records = false) {
    std::vector<Database::RepoLoad> loads;
    for (const auto& subdir : channel.subdirs) {
        const auto file = channel.dir / subdir / "repodata.json";
        if (!fs::exists(file)) {
            continue;
        }
        const auto source = source_for(channel.dir, subdir, file);
        const std::string name = channel.dir.filename().string() + "/" + subdir;
        if (records) {
            db.add_repo(name, priority, specs::load_repodata(file, source).records);
        } else {
            loads.push_back(db.add_repodata(name, priority, file, source, cache));
        }
    }
    return loads;
}

// All records, grouped by name in the solver's preference order.
std::map<std::string, std::vector<std::string>> all_records(Database& db,
                                                            const std::set<std::string>& names) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& name : names) {
        for (const auto& r : db.records_named(name)) {
            out[name].push_back(describe(r));
        }
    }
    return out;
}

std::set<std::string> names_in(const Channel& channel) {
    std::set<std::string> names;
    for (const auto& subdir : channel.subdirs) {
        const auto file = channel.dir / subdir / "repodata.json";
        if (fs::exists(file)) {
            for (const auto& r :
                 specs::load_repodata(file, source_for(channel.dir, subdir, file)).records) {
                names.insert(r.name);
            }
        }
    }
    return names;
}

std::vector<std::string> solve_dists(Database& db, const std::vector<std::string>& specs) {
    Request request;
    request.specs = specs;
    std::vector<std::string> out;
    for (const auto& r : solve(db, request).link) {
        out.push_back(describe(r));
    }
    return out;
}

void add_virtuals(Database& db) {
    specs::PackageRecord linux;
    linux.name = "__linux";
    linux.version = "5.15";
    linux.channel = "@";
    specs::PackageRecord glibc;
    glibc.name = "__glibc";
    glibc.version = "2.28";
    glibc.channel = "@";
    db.add_virtual_packages({linux, glibc});
}

const Channel kPytorch{kFixtures / "channels" / "pytorch", {"linux-64", "noarch"}};
const Channel kChannel1{kCases / "channel-1", {"linux-64", "noarch"}};

TEST(RepoCache, PytorchRecordsAreTheSameFromJsonAndFromTheCache) {
    TempDir tmp;
    const auto names = names_in(kPytorch);
    ASSERT_GT(names.size(), 10U);

    Database from_records;
    load(from_records, kPytorch, 1, {}, true);
    Database streamed;
    load(streamed, kPytorch, 1, {});
    Database cold;
    const auto cold_loads = load(cold, kPytorch, 1, tmp.path());
    Database warm;
    const auto warm_loads = load(warm, kPytorch, 1, tmp.path());

    ASSERT_FALSE(cold_loads.empty());
    for (const auto& l : cold_loads) {
        EXPECT_FALSE(l.from_cache);
        EXPECT_TRUE(l.cache_written) << l.cache_note;
    }
    for (const auto& l : warm_loads) {
        EXPECT_TRUE(l.from_cache) << l.cache_note;
    }
    EXPECT_EQ(from_records.size(), 2181U);
    EXPECT_EQ(warm.size(), from_records.size());
    const auto expected = all_records(from_records, names);
    EXPECT_EQ(all_records(streamed, names), expected);
    EXPECT_EQ(all_records(cold, names), expected);
    EXPECT_EQ(all_records(warm, names), expected);

    // And the table gives back exactly the parser's records (twins left out).
    std::map<std::string, std::multiset<std::string>> parsed;
    for (const auto& subdir : kPytorch.subdirs) {
        const auto file = kPytorch.dir / subdir / "repodata.json";
        for (const auto& r :
             specs::load_repodata(file, source_for(kPytorch.dir, subdir, file)).records) {
            parsed[r.name].insert(describe(r));
        }
    }
    for (const auto& [name, list] : all_records(warm, names)) {
        EXPECT_EQ(std::multiset<std::string>(list.begin(), list.end()), parsed[name]) << name;
    }
}

TEST(RepoCache, SolutionsAreTheSameColdAndWarm) {
    TempDir tmp;
    const std::vector<std::vector<std::string>> requests = {
        {"numpy"}, {"numpy", "python=2.7.3"}, {"scipy", "python=3.3"}, {"pandas"}};
    Database from_records;
    load(from_records, kChannel1, 1, {}, true);
    add_virtuals(from_records);
    Database cold;
    load(cold, kChannel1, 1, tmp.path());
    add_virtuals(cold);
    Database warm;
    for (const auto& l : load(warm, kChannel1, 1, tmp.path())) {
        EXPECT_TRUE(l.from_cache) << l.cache_note;
    }
    add_virtuals(warm);
    for (const auto& specs : requests) {
        const auto expected = solve_dists(from_records, specs);
        EXPECT_FALSE(expected.empty());
        EXPECT_EQ(solve_dists(cold, specs), expected) << fmt::format("{}", fmt::join(specs, " "));
        EXPECT_EQ(solve_dists(warm, specs), expected) << fmt::format("{}", fmt::join(specs, " "));
    }
}

TEST(RepoCache, PytorchAndChannelTogetherSolveTheSameColdAndWarm) {
    TempDir tmp;
    const auto run = [&](bool records) {
        Database db;
        load(db, kPytorch, 2, records ? fs::path{} : tmp.path(), records);
        load(db, kChannel1, 1, records ? fs::path{} : tmp.path(), records);
        add_virtuals(db);
        return solve_dists(db, {"numpy", "python=2.7"});
    };
    const auto expected = run(true);
    EXPECT_FALSE(expected.empty());
    EXPECT_EQ(run(false), expected);  // cold: writes the caches
    EXPECT_EQ(run(false), expected);  // warm
}

// A copy of channel-1's linux-64 repodata, to change.
struct CopiedChannel {
    TempDir tmp;
    fs::path channel;
    fs::path file;
    fs::path cache;
    CopiedChannel() {
        channel = tmp.path() / "chan";
        file = channel / "linux-64" / "repodata.json";
        cache = tmp.path() / "cache";
        fs::create_directories(file.parent_path());
        fs::copy_file(kCases / "channel-1" / "linux-64" / "repodata.json", file);
    }
    Database::RepoLoad load_once(Database* out = nullptr) const {
        Database db;
        auto l = db.add_repodata("c", 1, file, source_for(channel, "linux-64", file), cache);
        if (out != nullptr) {
            *out = std::move(db);
        }
        return l;
    }
    [[nodiscard]] fs::path cache_file() const {
        return cache_path(cache, cache_key(file, source_for(channel, "linux-64", file)));
    }
};

TEST(RepoCache, ChangedRepodataInvalidatesTheCache) {
    CopiedChannel c;
    EXPECT_TRUE(c.load_once().cache_written);
    EXPECT_TRUE(c.load_once().from_cache);

    // Size: one more byte of white space.
    { std::ofstream(c.file, std::ios::app) << "\n"; }
    auto l = c.load_once();
    EXPECT_FALSE(l.from_cache);
    EXPECT_NE(l.cache_note.find("stale"), std::string::npos) << l.cache_note;
    EXPECT_TRUE(l.cache_written);
    EXPECT_TRUE(c.load_once().from_cache);

    // mtime only (same size, same inode): a nanosecond later.
    struct stat st {};
    ASSERT_EQ(::stat(c.file.c_str(), &st), 0);
    timespec times[2] = {st.st_atim, st.st_mtim};
    times[1].tv_nsec = (times[1].tv_nsec + 1) % 1000000000;
    ASSERT_EQ(::utimensat(AT_FDCWD, c.file.c_str(), times, 0), 0);
    l = c.load_once();
    EXPECT_FALSE(l.from_cache);
    EXPECT_NE(l.cache_note.find("stale"), std::string::npos) << l.cache_note;
    EXPECT_TRUE(c.load_once().from_cache);
}

TEST(RepoCache, ReplacedRepodataContentIsReadFromTheNewFile) {
    CopiedChannel c;
    Database before;
    c.load_once(&before);
    ASSERT_FALSE(before.records_named("numpy").empty());
    // A new file renamed over the old one (a new inode): drop numpy from it.
    std::string text = util::read_file(c.file);
    std::size_t removed = 0;
    for (std::size_t at = text.find("\"name\":\"numpy\""); at != std::string::npos;
         at = text.find("\"name\":\"numpy\"", at + 1)) {
        text.replace(at, 14, "\"name\":\"nompy\"");
        ++removed;
    }
    ASSERT_GT(removed, 0U);
    const auto fresh = c.file.string() + ".new";
    std::ofstream(fresh) << text;
    fs::rename(fresh, c.file);
    Database after;
    EXPECT_FALSE(c.load_once(&after).from_cache);
    EXPECT_TRUE(after.records_named("numpy").empty());
    EXPECT_EQ(after.records_named("nompy").size(), removed);
}

TEST(RepoCache, CorruptTruncatedAndForeignCachesAreRebuilt) {
    CopiedChannel c;
    Database reference;
    c.load_once(&reference);
    const auto expected = reference.records_named("numpy");
    ASSERT_FALSE(expected.empty());
    const fs::path file = c.cache_file();
    ASSERT_TRUE(fs::exists(file));
    const auto size = fs::file_size(file);

    const auto check_rebuilt = [&](const std::string& what, const std::string& reason) {
        Database db;
        const auto l = c.load_once(&db);
        EXPECT_FALSE(l.from_cache) << what;
        EXPECT_TRUE(l.cache_written) << what;
        EXPECT_NE(l.cache_note.find(reason), std::string::npos) << what << ": " << l.cache_note;
        const auto got = db.records_named("numpy");
        ASSERT_EQ(got.size(), expected.size()) << what;
        for (std::size_t i = 0; i < got.size(); ++i) {
            EXPECT_EQ(describe(got[i]), describe(expected[i])) << what;
        }
        EXPECT_TRUE(c.load_once().from_cache) << what;
    };
    const auto patch = [&](std::uint64_t offset, char byte) {
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(offset));
        f.put(byte);
    };

    // One byte in the body (a string of the cold part), one in the header.
    patch(size - 100, '\x7f');
    check_rebuilt("body byte", "corrupt");
    patch(3, 'X');
    check_rebuilt("magic", "corrupt");
    // The format field (header word 1) of another version: the header checksum refuses it.
    patch(8, '\x63');
    check_rebuilt("format", "corrupt");
    // Truncated, to half and to less than a header.
    fs::resize_file(file, size / 2);
    check_rebuilt("half", "corrupt");
    fs::resize_file(file, 10);
    check_rebuilt("short", "corrupt");
    // Empty.
    fs::resize_file(file, 0);
    check_rebuilt("empty", "corrupt");
    // A folder where the file should be is not a cache, and writing over it fails quietly.
    fs::remove(file);
    fs::create_directories(file);
    {
        Database db;
        const auto l = c.load_once(&db);
        EXPECT_FALSE(l.from_cache);
        EXPECT_FALSE(l.cache_written);
        EXPECT_EQ(db.records_named("numpy").size(), expected.size());
    }
    fs::remove_all(file);
    EXPECT_TRUE(c.load_once().cache_written);

    // A cache for the same file read as another channel is not this one's.
    const auto key = cache_key(c.file, source_for(c.channel, "linux-64", c.file));
    auto other = key;
    other.text += "another channel\n";
    std::string why;
    EXPECT_NE(read_cache(file, key, &why), nullptr) << why;
    EXPECT_EQ(read_cache(file, other, &why), nullptr);
    EXPECT_NE(why.find("stale"), std::string::npos) << why;
}

TEST(RepoCache, PackageNamesForCompletionWithoutTheRepodata) {
    CopiedChannel c;
    Database db;
    c.load_once(&db);
    const fs::path file = c.cache_file();
    const auto names = cached_package_names(file);
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
    EXPECT_TRUE(std::binary_search(names.begin(), names.end(), "numpy"));
    EXPECT_TRUE(std::binary_search(names.begin(), names.end(), "python"));
    // Still readable once the repodata is gone (stale is fine for completion) ...
    fs::remove(c.file);
    EXPECT_EQ(cached_package_names(file), names);
    // ... but not from a file that is no cache.
    std::ofstream(c.tmp.path() / "junk.solv") << "not a cache";
    EXPECT_TRUE(cached_package_names(c.tmp.path() / "junk.solv").empty());
    EXPECT_TRUE(cached_package_names(c.tmp.path() / "missing.solv").empty());
}

TEST(RepoCache, WritesAreAtomicWithTwoWritersAndAReader) {
    CopiedChannel c;
    Database db;
    c.load_once(&db);
    const fs::path file = c.cache_file();
    const auto key = cache_key(c.file, source_for(c.channel, "linux-64", c.file));
    auto table = read_cache(file, key);
    ASSERT_NE(table, nullptr);
    const std::size_t records = table->size();

    std::atomic<bool> stop{false};
    std::atomic<int> failed_writes{0};
    std::atomic<int> bad_reads{0};
    std::atomic<int> reads{0};
    const auto writer = [&] {
        for (int i = 0; i < 30; ++i) {
            std::string why;
            if (!write_cache(file, key, *table, &why)) {
                ++failed_writes;
            }
        }
    };
    std::thread reader([&] {
        while (!stop.load()) {
            std::string why;
            const auto t = read_cache(file, key, &why);
            if (t == nullptr || t->size() != records) {
                ++bad_reads;
            }
            ++reads;
        }
    });
    std::thread w1(writer);
    std::thread w2(writer);
    w1.join();
    w2.join();
    stop = true;
    reader.join();
    EXPECT_EQ(failed_writes.load(), 0);
    EXPECT_EQ(bad_reads.load(), 0);
    EXPECT_GT(reads.load(), 0);
    // No temporary file is left behind.
    std::vector<std::string> left;
    for (const auto& entry : fs::directory_iterator(c.cache)) {
        left.push_back(entry.path().filename().string());
    }
    EXPECT_EQ(left, std::vector<std::string>{file.filename().string()});
}

TEST(RepoCache, KeyAndPathDependOnTheChannelAndTheFile) {
    CopiedChannel c;
    const auto a = cache_key(c.file, source_for(c.channel, "linux-64", c.file));
    const auto b = cache_key(c.file, {"file:///elsewhere", "file:///elsewhere/linux-64", ""});
    EXPECT_NE(cache_path(c.cache, a), cache_path(c.cache, b));
    EXPECT_EQ(cache_path(c.cache, a).parent_path(), c.cache);
    EXPECT_EQ(cache_path(c.cache, a).extension(), ".solv");
    EXPECT_EQ(a.size, fs::file_size(c.file));
    EXPECT_THROW(cache_key(c.tmp.path() / "missing.json", {}), util::IoError);
}

}  // namespace
}  // namespace cenv::solver

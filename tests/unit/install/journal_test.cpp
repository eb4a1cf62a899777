// The transaction journal: undo and finish, in this process and after a process that was
// killed (a forked child that stops with _exit at the chosen moment), and again after an
// undo that was itself interrupted.

#include "install/journal.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <functional>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace cenv::install {
namespace {

namespace fs = std::filesystem;
using test::ScratchDir;
using test::slurp;
using test::snapshot;
using test::spit;

// A prefix with a package's files: bin/tool, lib/libold.so, share/doc/readme.
fs::path make_prefix(const fs::path& root) {
    const fs::path prefix = root / "env";
    fs::create_directories(prefix / "bin");
    fs::create_directories(prefix / "lib");
    fs::create_directories(prefix / "share/doc");
    fs::create_directories(prefix / "conda-meta");
    spit(prefix / "bin/tool", "old tool\n");
    spit(prefix / "lib/libold.so", "old lib\n");
    spit(prefix / "share/doc/readme", "old doc\n");
    spit(prefix / "conda-meta/pkg-1-0.json", "{}");
    return prefix;
}

// An upgrade: bin/tool replaced, lib/libold.so and share/doc removed, lib/new/libnew.so added.
JournalPlan upgrade_plan() {
    JournalPlan plan;
    plan.folders = {"lib/new"};
    plan.moved = {"bin/tool", "lib/libold.so", "share/doc/readme", "conda-meta/pkg-1-0.json"};
    plan.created = {"bin/tool", "lib/new/libnew.so", "conda-meta/pkg-2-0.json"};
    return plan;
}

void do_upgrade(const Journal& journal, const fs::path& prefix) {
    for (const auto& path : upgrade_plan().moved) {
        journal.displace(path);
    }
    fs::create_directories(prefix / "lib/new");
    spit(prefix / "bin/tool", "new tool\n");
    spit(prefix / "lib/new/libnew.so", "new lib\n");
    spit(prefix / "conda-meta/pkg-2-0.json", "{}");
}

// Runs `work` in a child process that ends with _exit, as a killed cenv would stop.
void in_killed_process(const std::function<void()>& work) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        work();
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
}

TEST(Journal, RollbackPutsEverythingBack) {
    ScratchDir scratch;
    const fs::path prefix = make_prefix(scratch.path());
    const auto before = snapshot(prefix);
    const Journal journal = Journal::begin(prefix, upgrade_plan());
    do_upgrade(journal, prefix);
    EXPECT_EQ(slurp(prefix / "bin/tool"), "new tool\n");
    journal.rollback();
    EXPECT_EQ(snapshot(prefix), before);
}

TEST(Journal, KilledBeforeCommitIsUndoneByTheNextRun) {
    ScratchDir scratch;
    const fs::path prefix = make_prefix(scratch.path());
    const auto before = snapshot(prefix);
    in_killed_process([&] {
        const Journal journal = Journal::begin(prefix, upgrade_plan());
        do_upgrade(journal, prefix);
    });
    EXPECT_TRUE(fs::exists(transaction_dir(prefix) / "journal"));
    EXPECT_EQ(Journal::recover(prefix), Recovery::rolled_back);
    EXPECT_EQ(snapshot(prefix), before);
    EXPECT_EQ(Journal::recover(prefix), Recovery::none);
}

TEST(Journal, KilledHalfWayThroughDisplacingIsUndone) {
    ScratchDir scratch;
    const fs::path prefix = make_prefix(scratch.path());
    const auto before = snapshot(prefix);
    in_killed_process([&] {
        const Journal journal = Journal::begin(prefix, upgrade_plan());
        journal.displace("bin/tool");  // the other displaced paths are still in place
    });
    EXPECT_EQ(Journal::recover(prefix), Recovery::rolled_back);
    EXPECT_EQ(snapshot(prefix), before);
}

TEST(Journal, KilledAfterCommitIsFinished) {
    ScratchDir scratch;
    const fs::path prefix = make_prefix(scratch.path());
    in_killed_process([&] {
        Journal journal = Journal::begin(prefix, upgrade_plan());
        do_upgrade(journal, prefix);
        journal.commit();
    });
    EXPECT_EQ(Journal::recover(prefix), Recovery::completed);
    EXPECT_EQ(slurp(prefix / "bin/tool"), "new tool\n");
    EXPECT_EQ(slurp(prefix / "lib/new/libnew.so"), "new lib\n");
    EXPECT_FALSE(fs::exists(prefix / "lib/libold.so"));
    EXPECT_FALSE(fs::exists(prefix / "share"));  // emptied folders go
    EXPECT_TRUE(fs::is_directory(prefix / "lib"));
    EXPECT_FALSE(fs::exists(transaction_dir(prefix)));
}

TEST(Journal, AnInterruptedUndoIsCompletedWithoutLosingRestoredFiles) {
    ScratchDir scratch;
    const fs::path prefix = make_prefix(scratch.path());
    const auto before = snapshot(prefix);
    in_killed_process([&] {
        const Journal journal = Journal::begin(prefix, upgrade_plan());
        do_upgrade(journal, prefix);
    });
    // An undo killed after it had restored bin/tool (the new one removed, the old one back)
    // but before the rest.
    fs::remove(prefix / "bin/tool");
    fs::rename(transaction_dir(prefix) / "backup/bin/tool", prefix / "bin/tool");
    EXPECT_EQ(Journal::recover(prefix), Recovery::rolled_back);
    EXPECT_EQ(snapshot(prefix), before);
}

TEST(Journal, AFreshPrefixIsEmptiedAndANewOneRemoved) {
    ScratchDir scratch;
    const fs::path fresh = scratch.path() / "fresh";
    fs::create_directories(fresh);
    in_killed_process([&] {
        JournalPlan plan;
        plan.fresh = true;
        (void)Journal::begin(fresh, plan);
        fs::create_directories(fresh / "conda-meta");
        fs::create_directories(fresh / "lib/deep");
        spit(fresh / "lib/deep/x", "x");
    });
    EXPECT_EQ(Journal::recover(fresh), Recovery::rolled_back);
    EXPECT_TRUE(fs::is_directory(fresh));
    EXPECT_TRUE(fs::is_empty(fresh));

    const fs::path made = scratch.path() / "made";
    fs::create_directories(made);
    mark_new_prefix(made);  // killed right after the folder appeared: no journal yet
    EXPECT_EQ(Journal::recover(made), Recovery::rolled_back);
    EXPECT_FALSE(fs::exists(made));
}

TEST(Journal, PathsWithNewlinesAndBackslashesSurviveTheJournal) {
    ScratchDir scratch;
    const fs::path prefix = scratch.path() / "env";
    fs::create_directories(prefix);
    const std::string odd = "odd\nname\\x";
    spit(prefix / odd, "original");
    in_killed_process([&] {
        JournalPlan plan;
        plan.moved = {odd};
        plan.created = {odd};
        const Journal journal = Journal::begin(prefix, plan);
        journal.displace(odd);
        spit(prefix / odd, "new");
    });
    EXPECT_EQ(Journal::recover(prefix), Recovery::rolled_back);
    EXPECT_EQ(slurp(prefix / odd), "original");
}

}  // namespace
}  // namespace cenv::install

#include "system/isolated.hpp"

#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "test_support.hpp"

namespace cenv::system {
namespace {

using namespace std::chrono_literals;
using testing::since;

TEST(RunInChild, ReturnsWhatTheChildWrites) {
    const ChildResult r = run_in_child(
        [](int fd) { write_all(fd, "hello from " + std::to_string(::getpid())); }, 2000ms);
    EXPECT_TRUE(r.ok()) << r.describe();
    ASSERT_TRUE(r.output.starts_with("hello from "));
    EXPECT_NE(r.output, "hello from " + std::to_string(::getpid()));  // another process
}

TEST(RunInChild, ReportsTheExitStatus) {
    const ChildResult r = run_in_child([](int) { ::_exit(3); }, 2000ms);
    EXPECT_EQ(r.ending, ChildResult::Ending::exited);
    EXPECT_EQ(r.code, 3);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.describe(), "exited with status 3");
}

TEST(RunInChild, ReportsADeathBySignal) {
    const ChildResult r = run_in_child(
        [](int fd) {
            write_all(fd, "partial");
            ::raise(SIGKILL);
        },
        2000ms);
    EXPECT_EQ(r.ending, ChildResult::Ending::signalled);
    EXPECT_EQ(r.code, SIGKILL);
    EXPECT_EQ(r.output, "partial");
    EXPECT_NE(r.describe().find("killed by signal 9"), std::string::npos) << r.describe();
}

TEST(RunInChild, KillsAChildThatHangs) {
    const auto start = std::chrono::steady_clock::now();
    const ChildResult r = run_in_child(
        [](int) {
            for (;;) {
                ::pause();
            }
        },
        300ms);
    EXPECT_EQ(r.ending, ChildResult::Ending::timed_out);
    EXPECT_EQ(r.describe(), "timed out after 300 ms");
    EXPECT_GE(since(start), 300ms);
    EXPECT_LT(since(start), 3000ms);
}

TEST(RunInChild, KeepsLargeOutputWhole) {
    const ChildResult r =
        run_in_child([](int fd) { write_all(fd, std::string(300000, 'x')); }, 5000ms);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.output.size(), 300000U);
}

TEST(RunProgram, CapturesStdoutOnly) {
    const ChildResult r = run_program("/bin/sh", {"-c", "echo out; echo err >&2; exit 4"}, 2000ms);
    EXPECT_EQ(r.ending, ChildResult::Ending::exited);
    EXPECT_EQ(r.code, 4);
    EXPECT_EQ(r.output, "out\n");
}

TEST(RunProgram, AMissingProgramExits127) {
    const ChildResult r = run_program("/nonexistent/cenv/program", {}, 2000ms);
    EXPECT_EQ(r.ending, ChildResult::Ending::exited);
    EXPECT_EQ(r.code, 127);
}

TEST(RunProgram, DropsTheNamedVariables) {
    ::setenv("CENV_ISOLATED_TEST_DROP", "1", 1);
    ::setenv("CENV_ISOLATED_TEST_KEEP", "1", 1);
    const ChildResult r = run_program("/usr/bin/env", {}, 2000ms, {"CENV_ISOLATED_TEST_DROP"});
    ::unsetenv("CENV_ISOLATED_TEST_DROP");
    ::unsetenv("CENV_ISOLATED_TEST_KEEP");
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.output.find("CENV_ISOLATED_TEST_DROP="), std::string::npos);
    EXPECT_NE(r.output.find("CENV_ISOLATED_TEST_KEEP=1"), std::string::npos);
}

/// Whether process `pid` is gone or a zombie (killed, waiting to be reaped by its new parent).
bool dead(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(stat, text)) {
        return true;
    }
    const auto paren = text.rfind(')');
    return paren != std::string::npos && text.size() > paren + 2 && text[paren + 2] == 'Z';
}

TEST(RunProgram, AHangKillsTheWholeProcessGroup) {
    // sh stays the parent of sleep (the `wait` keeps it from exec'ing it).
    const auto start = std::chrono::steady_clock::now();
    const ChildResult r = run_program("/bin/sh", {"-c", "sleep 30 & echo $!; wait"}, 300ms);
    EXPECT_EQ(r.ending, ChildResult::Ending::timed_out);
    EXPECT_LT(since(start), 3000ms);
    const pid_t sleeper = static_cast<pid_t>(std::atoi(r.output.c_str()));
    ASSERT_GT(sleeper, 0) << r.output;
    bool gone = false;
    for (int i = 0; i < 200 && !gone; ++i) {
        gone = dead(sleeper);
        if (!gone) {
            std::this_thread::sleep_for(10ms);
        }
    }
    EXPECT_TRUE(gone) << "the grandchild " << sleeper << " survived";
}

TEST(RunProgram, ReturnsWhenTheChildExitsEvenIfAGrandchildHoldsThePipe) {
    const auto start = std::chrono::steady_clock::now();
    const ChildResult r = run_program("/bin/sh", {"-c", "echo done; sleep 2 &"}, 5000ms);
    EXPECT_TRUE(r.ok()) << r.describe();
    EXPECT_EQ(r.output, "done\n");
    EXPECT_LT(since(start), 1500ms);
}

TEST(WriteAll, WritesEverything) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    EXPECT_TRUE(write_all(fds[1], "abc"));
    ::close(fds[1]);
    char buf[8] = {};
    EXPECT_EQ(::read(fds[0], buf, sizeof buf), 3);
    ::close(fds[0]);
    EXPECT_STREQ(buf, "abc");
    EXPECT_FALSE(write_all(-1, "x"));
}

}  // namespace
}  // namespace cenv::system

#include "install/entry_guard.hpp"

#include <gtest/gtest.h>

namespace cenv::install {
namespace {

std::string normalized(std::string_view name) {
    std::string out;
    if (auto reason = EntryGuard::normalize(name, out)) {
        return "refused: " + *reason;
    }
    return out;
}

TEST(EntryGuard, Normalize) {
    EXPECT_EQ(normalized("./a//b/"), "a/b");
    EXPECT_EQ(normalized("."), "");
    EXPECT_EQ(normalized("bin/python3.10"), "bin/python3.10");
    EXPECT_EQ(normalized("a/..b/c.."), "a/..b/c..");  // only whole '..' components escape
    EXPECT_EQ(normalized("/etc/passwd").substr(0, 8), "refused:");
    EXPECT_EQ(normalized("a/../b").substr(0, 8), "refused:");
    EXPECT_EQ(normalized("..").substr(0, 8), "refused:");
}

TEST(EntryGuard, SymlinkTargets) {
    EntryGuard guard;
    EXPECT_FALSE(guard.check_symlink("bin/hello", "hello-1.0"));
    EXPECT_FALSE(guard.check_symlink("libexec/greetings", "../bin/hello"));
    EXPECT_FALSE(guard.check_symlink("a/b/c", "../../d"));
    EXPECT_TRUE(guard.check_symlink("a/b/c", "../../../d"));
    EXPECT_TRUE(guard.check_symlink("lib/x", "/usr/lib/x"));
    EXPECT_TRUE(guard.check_symlink("top", ".."));
}

TEST(EntryGuard, ChainedSymlinksAreFollowed) {
    EntryGuard guard;
    EXPECT_FALSE(guard.check_symlink("cur", "."));
    guard.add_symlink("cur", ".");
    // cur/.. looks like the root, but cur is the root, so cur/.. is its parent.
    EXPECT_TRUE(guard.check_symlink("par", "cur/.."));
    guard.add_symlink("deep", "a/b/c");
    EXPECT_FALSE(guard.check_symlink("ok", "deep/../.."));  // a/b/c/../.. = a
}

TEST(EntryGuard, SymlinkLoopsAreRefused) {
    EntryGuard guard;
    guard.add_symlink("a", "b");
    guard.add_symlink("b", "a");
    EXPECT_TRUE(guard.check_symlink("c", "a/x"));
}

TEST(EntryGuard, ALaterSymlinkCanMakeAnEarlierOneEscape) {
    EntryGuard guard;
    ASSERT_FALSE(guard.check_symlink("a", "d/b/../.."));  // d/b/../.. = the root, for now
    guard.add_symlink("a", "d/b/../..");
    ASSERT_FALSE(guard.check_symlink("d/b", "."));  // d/b = d
    guard.add_symlink("d/b", ".");
    const auto bad = guard.recheck_symlinks();
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->first, "a");
}

TEST(EntryGuard, WritingThroughASymlink) {
    EntryGuard guard;
    guard.add_symlink("lib/alib", "alibrary");
    EXPECT_TRUE(guard.check_parents("lib/alib/x.so"));
    EXPECT_FALSE(guard.check_parents("lib/alibrary/x.so"));
    EXPECT_FALSE(guard.check_parents("lib/alib"));  // replacing the link itself is fine
}

TEST(EntryGuard, HardLinks) {
    EntryGuard guard;
    guard.add_file("bin/a");
    std::string target;
    EXPECT_FALSE(guard.check_hardlink("./bin/a", target));
    EXPECT_EQ(target, "bin/a");
    EXPECT_TRUE(guard.check_hardlink("bin/b", target));        // not written before
    EXPECT_TRUE(guard.check_hardlink("/etc/passwd", target));  // outside
    EXPECT_TRUE(guard.check_hardlink("../x", target));
}

}  // namespace
}  // namespace cenv::install

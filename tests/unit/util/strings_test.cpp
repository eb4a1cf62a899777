#include "util/strings.hpp"

#include <gtest/gtest.h>

namespace cenv::util {
namespace {

TEST(Trim, RemovesSurroundingWhitespaceOnly) {
    EXPECT_EQ(trim("  a b \t\n"), "a b");
    EXPECT_EQ(trim(""), "");
    EXPECT_EQ(trim(" \t "), "");
}

TEST(ToLower, FoldsAsciiOnly) {
    EXPECT_EQ(to_lower("RC1-Dev"), "rc1-dev");
    EXPECT_EQ(to_lower("\xC3\x89"), "\xC3\x89");
}

TEST(SplitAny, DropsEmptyPieces) {
    const auto pieces = split_any("a, b,,c ", ", ");
    ASSERT_EQ(pieces.size(), 3U);
    EXPECT_EQ(pieces[0], "a");
    EXPECT_EQ(pieces[1], "b");
    EXPECT_EQ(pieces[2], "c");
    EXPECT_TRUE(split_any("", ",").empty());
}

TEST(Strings, EditDistance) {
    EXPECT_EQ(edit_distance("", ""), 0U);
    EXPECT_EQ(edit_distance("channels", "chanels"), 1U);
    EXPECT_EQ(edit_distance("dependencies", "dependecies"), 1U);
    EXPECT_EQ(edit_distance("prefix", "prefis"), 1U);
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
    EXPECT_EQ(edit_distance("abc", ""), 3U);
}

}  // namespace
}  // namespace cenv::util

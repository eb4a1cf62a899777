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

}  // namespace
}  // namespace cenv::util

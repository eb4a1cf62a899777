#include "shell/path_list.hpp"

#include <gtest/gtest.h>

namespace cenv::shell {
namespace {

TEST(PathList, SplitAndJoinKeepEmptyEntries) {
    EXPECT_TRUE(split_path_list("").empty());
    EXPECT_EQ(split_path_list("a::b"), (std::vector<std::string>{"a", "", "b"}));
    EXPECT_EQ(split_path_list(":"), (std::vector<std::string>{"", ""}));
    EXPECT_EQ(join_path_list(split_path_list("/a::/b:")), "/a::/b:");
}

TEST(PathList, UnchangedSinceTheEditGivesBackExactlyBefore) {
    EXPECT_EQ(undo_list_edit("/env/bin:/usr/bin", "/usr/bin", "/env/bin:/usr/bin"), "/usr/bin");
    EXPECT_EQ(undo_list_edit("/env/lib", "/usr/local/cuda-11.8/lib64", "/env/lib"),
              "/usr/local/cuda-11.8/lib64");
}

TEST(PathList, ChangesMadeAfterTheEditSurvive) {
    // The user put ~/tools in front while the environment was active.
    EXPECT_EQ(undo_list_edit("/home/u/tools:/env/bin:/usr/bin", "/usr/bin", "/env/bin:/usr/bin"),
              "/home/u/tools:/usr/bin");
    // Removed entries come back where the added one was.
    EXPECT_EQ(undo_list_edit("/x:/b/bin:/usr/bin:/y", "/a/bin:/usr/bin", "/b/bin:/usr/bin"),
              "/x:/a/bin:/usr/bin:/y");
    // Only removed (no added entry to find): back at the front.
    EXPECT_EQ(undo_list_edit("/opt/lib:/new", "/usr/local/cuda/lib64:/opt/lib", "/opt/lib"),
              "/usr/local/cuda/lib64:/opt/lib:/new");
}

}  // namespace
}  // namespace cenv::shell

#include "shell/project.hpp"

#include <gtest/gtest.h>

#include "shell/error.hpp"
#include "test_support.hpp"

namespace cenv::shell {
namespace {

using testing::ScratchDir;
using testing::write_file;

TEST(Project, EnvironmentYmlNameOrPrefix) {
    const auto p = parse_project_file(
        "# comment\nname: \"comfy ui\"  # the app\nchannels:\n  - conda-forge\ndependencies:\n"
        "  - name: not-this\n",
        "/work/app/environment.yml");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->name, "comfy ui");
    EXPECT_TRUE(p->prefix.empty());
    const auto q = parse_project_file("name: x\nprefix: ./.env\n", "/work/app/environment.yml");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->prefix, "/work/app/.env");  // relative to the file; a prefix wins over a name
    EXPECT_EQ(q->target(), "/work/app/.env");
    EXPECT_FALSE(parse_project_file("dependencies:\n  - python\n", "/w/environment.yml"));
}

TEST(Project, DotCenvIsOneLine) {
    EXPECT_EQ(parse_project_file("\n# env\n  torch  \nignored\n", "/w/.cenv")->name, "torch");
    EXPECT_EQ(parse_project_file("../envs/x\n", "/w/p/.cenv")->prefix, "/w/envs/x");
    EXPECT_FALSE(parse_project_file("\n", "/w/.cenv"));
}

TEST(Project, TheNearestFolderWinsDotCenvFirst) {
    ScratchDir dir;
    write_file(dir / "app/environment.yml", "name: app\n");
    write_file(dir / "app/.cenv", "fromdot\n");
    write_file(dir / "app/sub/deeper/file.txt", "");
    write_file(dir / "app/lib/environment.yaml", "name: lib\n");
    EXPECT_EQ(find_project(dir / "app/sub/deeper")->name, "fromdot");
    EXPECT_EQ(find_project(dir / "app/lib")->name, "lib");
    EXPECT_EQ(find_project(dir / "app")->file, dir / "app/.cenv");
    EXPECT_FALSE(find_project(dir.path()));
    std::filesystem::create_directories(dir / "home/.cenv");  // the root prefix, a folder
    EXPECT_FALSE(find_project(dir / "home"));
    write_file(dir / "empty/environment.yml", "channels: []\n");
    EXPECT_THROW((void)find_project(dir / "empty"), ShellError);
}

}  // namespace
}  // namespace cenv::shell

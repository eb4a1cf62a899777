#include "shell/environments.hpp"

#include <gtest/gtest.h>

#include "shell/error.hpp"
#include "test_support.hpp"

namespace cenv::shell {
namespace {

using testing::make_env;
using testing::ScratchDir;

TEST(Environments, NamesPathsAndBase) {
    ScratchDir dir;
    const auto root = dir / "root";
    make_env(root);
    const auto first = make_env(dir / "first/x");
    make_env(dir / "second/x");
    const auto y = make_env(dir / "second/名字 y");
    std::filesystem::create_directories(dir / "second/not-an-env");
    const Environments envs(root, {dir / "first", dir / "second"});
    EXPECT_EQ(envs.locate("x"), first);
    EXPECT_EQ(envs.locate("名字 y"), y);
    EXPECT_EQ(envs.locate("base"), root);
    EXPECT_EQ(envs.locate((dir / "second/x/").string()), dir / "second/x");
    EXPECT_THROW((void)envs.locate("nope"), ShellError);
    EXPECT_THROW((void)envs.locate("not-an-env"), ShellError);
    EXPECT_THROW((void)envs.locate((dir / "second/not-an-env").string()), ShellError);
    EXPECT_EQ(envs.display_name(first), "x");
    EXPECT_EQ(envs.display_name(root), "base");
    EXPECT_EQ(envs.display_name(dir / "elsewhere"), (dir / "elsewhere").string());
    std::vector<std::string> names;
    for (const auto& e : envs.list()) {
        names.push_back(e.name);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"base", "x", "名字 y"}));
    EXPECT_EQ(envs.prefix_for_name("new"), dir / "first/new");
    EXPECT_EQ(Environments(root, {}).envs_dirs().front(), root / "envs");
}

TEST(Environments, WordsThatArePaths) {
    EXPECT_TRUE(Environments::is_path("./x"));
    EXPECT_TRUE(Environments::is_path("~"));
    EXPECT_TRUE(Environments::is_path("."));
    EXPECT_FALSE(Environments::is_path("torch"));
    EXPECT_EQ(expand_path("a/../b/", "/w"), "/w/b");
}

}  // namespace
}  // namespace cenv::shell

// cenv env list's environments: root, envs folders, conda's registry.

#include "install/known_environments.hpp"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace cenv::install {
namespace {

using test::ScratchDir;
using test::spit;
namespace fs = std::filesystem;

void make_env(const fs::path& prefix) {
    fs::create_directories(prefix / "conda-meta");
}

TEST(KnownEnvironments, RootEnvsFoldersThenRegistered) {
    ScratchDir dir;
    const fs::path root = dir.path() / "root";
    make_env(root);
    make_env(root / "envs" / "b");
    make_env(root / "envs" / "a");
    fs::create_directories(root / "envs" / "not-an-env");
    make_env(dir.path() / "other-envs" / "c");
    make_env(dir.path() / "elsewhere" / "x");
    const fs::path registry = dir.path() / "environments.txt";
    spit(registry, (dir.path() / "elsewhere" / "x").string() + "/\n" +
                       (dir.path() / "gone").string() + "\n\n" + (root / "envs" / "a").string() +
                       "\n" + root.string() + "/envs/../envs/a\n");
    const auto known =
        known_environments(root, {root / "envs", dir.path() / "other-envs"}, registry);
    std::vector<std::string> got;
    for (const auto& env : known) {
        got.push_back(env.prefix.lexically_relative(dir.path()).string() +
                      (env.registered ? " (registered)" : ""));
    }
    EXPECT_EQ(got, (std::vector<std::string>{"root", "root/envs/a (registered)", "root/envs/b",
                                             "other-envs/c", "elsewhere/x (registered)"}));
}

TEST(KnownEnvironments, NothingYet) {
    ScratchDir dir;
    EXPECT_TRUE(known_environments(dir.path() / "root", {dir.path() / "root" / "envs"},
                                   dir.path() / "none.txt")
                    .empty());
}

}  // namespace
}  // namespace cenv::install

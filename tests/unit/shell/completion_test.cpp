#include "shell/completion.hpp"

#include <gtest/gtest.h>

namespace cenv::shell {
namespace {

using Words = std::vector<std::string>;

CompletionCommand tree() {
    CompletionCommand install{"install",
                              {"-n", "--name", "-p", "--prefix", "--json"},
                              {"-n", "--name", "-p", "--prefix"},
                              PositionalKind::packages,
                              {}};
    CompletionCommand remove{
        "remove", {"-n", "--name"}, {"-n", "--name"}, PositionalKind::installed_packages, {}};
    CompletionCommand activate{"activate",
                               {"--stack", "-s", "--shell"},
                               {"-s", "--shell"},
                               PositionalKind::environments,
                               {}};
    CompletionCommand shell{"shell", {}, {}, PositionalKind::none, {activate}};
    CompletionCommand run{"run", {"-n"}, {"-n"}, PositionalKind::none, {}};
    return {"cenv",
            {"--version", "-h"},
            {},
            PositionalKind::none,
            {install, remove, activate, shell, run}};
}

CompletionSources sources(std::vector<std::string>* asked = nullptr) {
    CompletionSources s;
    s.environments = [] { return Words{"torch", "base", "名字 y"}; };
    s.packages = [](std::string_view prefix) {
        Words out;
        for (const char* n : {"numpy", "numba", "pandas"}) {
            if (std::string_view(n).starts_with(prefix)) {
                out.emplace_back(n);
            }
        }
        return out;
    };
    s.installed = [asked](const std::string& name, const std::string& prefix) {
        if (asked != nullptr) {
            asked->push_back(name + "|" + prefix);
        }
        return Words{"python", "zlib"};
    };
    return s;
}

TEST(Completion, CommandsFlagsAndValues) {
    const auto t = tree();
    const auto s = sources();
    EXPECT_EQ(complete(t, {"cenv", ""}, s),
              (Words{"activate", "install", "remove", "run", "shell"}));
    EXPECT_EQ(complete(t, {"cenv", "in"}, s), Words{"install"});
    EXPECT_EQ(complete(t, {"cenv", "--v"}, s), Words{"--version"});
    EXPECT_EQ(complete(t, {"cenv", "install", "--"}, s), (Words{"--json", "--name", "--prefix"}));
    EXPECT_EQ(complete(t, {"cenv", "install", "-n", ""}, s), (Words{"base", "torch", "名字 y"}));
    EXPECT_EQ(complete(t, {"cenv", "install", "-n", "t"}, s), Words{"torch"});
    EXPECT_EQ(complete(t, {"cenv", "install", "-n", "torch", "num"}, s), (Words{"numba", "numpy"}));
    EXPECT_TRUE(complete(t, {"cenv", "install", "-p", ""}, s).empty());  // a path: files
    EXPECT_EQ(complete(t, {"cenv", "shell", "activate", "-s", ""}, s),
              (Words{"bash", "fish", "posix", "zsh"}));
    EXPECT_EQ(complete(t, {"cenv", "shell", "activate", "t"}, s), Words{"torch"});
    EXPECT_EQ(complete(t, {"cenv", "activate", "--stack", ""}, s),
              (Words{"base", "torch", "名字 y"}));
}

TEST(Completion, InstalledPackagesOfTheNamedEnvironment) {
    std::vector<std::string> asked;
    const auto s = sources(&asked);
    EXPECT_EQ(complete(tree(), {"cenv", "remove", "--name", "torch", "p"}, s), Words{"python"});
    EXPECT_EQ(complete(tree(), {"cenv", "remove", ""}, s), (Words{"python", "zlib"}));
    EXPECT_EQ(asked, (Words{"torch|", "|"}));
}

TEST(Completion, NothingForTheCommandThatRunRuns) {
    const auto s = sources();
    EXPECT_TRUE(complete(tree(), {"cenv", "run", "-n", "torch", "python", ""}, s).empty());
    EXPECT_TRUE(complete(tree(), {"cenv", "run", "--", ""}, s).empty());
    EXPECT_TRUE(complete(tree(), {}, s).empty());
}

}  // namespace
}  // namespace cenv::shell

#include "shell/render.hpp"

#include <gtest/gtest.h>

namespace cenv::shell {
namespace {

TEST(Quote, AnyTextIsOneWord) {
    EXPECT_EQ(quote("a b", Shell::bash), "'a b'");
    EXPECT_EQ(quote("it's", Shell::posix), "'it'\\''s'");
    EXPECT_EQ(quote("$(x) `y` \\n", Shell::zsh), "'$(x) `y` \\n'");
    EXPECT_EQ(quote("it's \\ $x", Shell::fish), "'it\\'s \\\\ $x'");
    EXPECT_EQ(quote("/home/张三", Shell::fish), "'/home/张三'");
    EXPECT_EQ(quote("", Shell::bash), "''");
}

TEST(Render, StatementsInOrder) {
    Script s;
    s.deactivate_scripts = {"/old/etc/conda/deactivate.d/x.sh"};
    s.changes = {
        {"PATH", "/e/bin:/usr/bin", true}, {"PS1", "(e) $ ", false}, {"GONE", std::nullopt, true}};
    s.activate_scripts = {"/e/etc/conda/activate.d/a b.sh"};
    EXPECT_EQ(render(s, Shell::bash),
              ". '/old/etc/conda/deactivate.d/x.sh'\n"
              "export PATH='/e/bin:/usr/bin'\n"
              "PS1='(e) $ '\n"
              "unset GONE\n"
              ". '/e/etc/conda/activate.d/a b.sh'\n");
    EXPECT_EQ(render(s, Shell::fish),
              "source '/old/etc/conda/deactivate.d/x.sh'\n"
              "set -gx PATH '/e/bin:/usr/bin'\n"
              "set -gx PS1 '(e) $ '\n"
              "set -e -g GONE\n"
              "source '/e/etc/conda/activate.d/a b.sh'\n");
    EXPECT_EQ(render(Script{}, Shell::posix), "");
}

}  // namespace
}  // namespace cenv::shell

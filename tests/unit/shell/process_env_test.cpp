#include "shell/process_env.hpp"

#include <gtest/gtest.h>

namespace cenv::shell {
namespace {

TEST(ProcessEnv, ThePromptTheHookPassesAlong) {
    const char* with[] = {"PATH=/usr/bin",   "EMPTY=", "_CENV_PS1=$ ",
                          "_CENV_PS1_SET=1", "A=b=c",  nullptr};
    EXPECT_EQ(variables_of(with),
              (Variables{{"PATH", "/usr/bin"}, {"EMPTY", ""}, {"PS1", "$ "}, {"A", "b=c"}}));
    const char* unset[] = {"PS1=exported", "_CENV_PS1=", "_CENV_PS1_SET=", nullptr};
    EXPECT_EQ(variables_of(unset), Variables{});
    const char* without_hook[] = {"PS1=exported", nullptr};
    EXPECT_EQ(variables_of(without_hook), (Variables{{"PS1", "exported"}}));
}

}  // namespace
}  // namespace cenv::shell

// What `cenv shell hook` prints per shell (run for real by tests/shell).

#include "shell/hook.hpp"

#include <gtest/gtest.h>

namespace cenv::shell {
namespace {

TEST(Hook, TheFunctionRunsThisBinaryQuoted) {
    HookOptions o;
    o.exe = "/home/张三/my tools/cenv";
    for (const Shell shell : all_shells()) {
        o.shell = shell;
        const std::string text = hook_script(o);
        EXPECT_NE(text.find("'/home/张三/my tools/cenv' shell"), std::string::npos)
            << shell_name(shell);
        EXPECT_EQ(text.find("__CENV_"), std::string::npos) << shell_name(shell);
        EXPECT_EQ(text.find("__cenv_auto"), std::string::npos) << shell_name(shell);
    }
    o.shell = Shell::zsh;
    EXPECT_NE(hook_script(o).find("-s zsh"), std::string::npos);
}

TEST(Hook, AutoActivationAndPromptOnRequest) {
    HookOptions o;
    o.exe = "/bin/cenv";
    o.auto_activate = true;
    o.shell = Shell::bash;
    EXPECT_NE(hook_script(o).find("PROMPT_COMMAND="), std::string::npos);
    o.shell = Shell::zsh;
    EXPECT_NE(hook_script(o).find("add-zsh-hook chpwd __cenv_auto"), std::string::npos);
    o.shell = Shell::fish;
    EXPECT_NE(hook_script(o).find("--on-variable PWD"), std::string::npos);
    EXPECT_NE(hook_script(o).find("functions -c fish_prompt"), std::string::npos);
    o.changeps1 = false;
    EXPECT_EQ(hook_script(o).find("fish_prompt"), std::string::npos);
}

}  // namespace
}  // namespace cenv::shell

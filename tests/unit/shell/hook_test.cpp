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

TEST(Hook, TheLeanActivatorWhenThereIsOne) {
    HookOptions o;
    o.exe = "/opt/bin/cenv";
    for (const Shell shell : all_shells()) {
        o.shell = shell;
        o.activator.clear();
        EXPECT_NE(hook_script(o).find("'/opt/bin/cenv' shell "), std::string::npos);
        o.activator = "/opt/bin/cenv-shell";
        const std::string text = hook_script(o);
        // `cenv shell` is left for completion only.
        for (auto at = text.find("'/opt/bin/cenv' shell "); at != std::string::npos;
             at = text.find("'/opt/bin/cenv' shell ", at + 1)) {
            EXPECT_EQ(text.compare(at + 22, 8, "complete"), 0) << shell_name(shell);
        }
        EXPECT_NE(text.find("'/opt/bin/cenv-shell' "), std::string::npos) << shell_name(shell);
        EXPECT_NE(text.find("'/opt/bin/cenv' "), std::string::npos);  // everything else
    }
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

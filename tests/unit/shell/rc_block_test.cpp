// `shell init` / `shell deinit`: one block, added once, removed leaving the file as it was.

#include "shell/rc_block.hpp"

#include <gtest/gtest.h>

#include "shell/error.hpp"

namespace cenv::shell {
namespace {

const std::string kLines = init_lines(Shell::bash, "/opt/cenv/bin/cenv", false);

TEST(RcBlock, InitLinesPerShell) {
    EXPECT_EQ(kLines, "eval \"$('/opt/cenv/bin/cenv' shell hook -s bash)\"\n");
    EXPECT_EQ(init_lines(Shell::fish, "/home/张三/cenv", true),
              "'/home/张三/cenv' shell hook -s fish --auto-activate | source\n");
}

TEST(RcBlock, AddedOnceRemovedExactly) {
    for (const std::string rc :
         {"", "alias ll='ls -l'\n", "no final line break", "export A=1\n\n# end\n"}) {
        const std::string once = add_block(rc, kLines);
        EXPECT_NE(once.find("# >>> cenv initialize >>>"), std::string::npos);
        EXPECT_NE(once.find(kLines), std::string::npos);
        EXPECT_EQ(add_block(once, kLines), once) << rc;  // idempotent
        EXPECT_EQ(remove_block(once, "rc"), rc);
        EXPECT_FALSE(remove_block(rc, "rc"));
    }
}

TEST(RcBlock, AddingAgainReplacesInPlace) {
    const std::string rc = "before\n";
    std::string text = add_block(rc, kLines) + "after\n";
    const std::string other = init_lines(Shell::bash, "/new/cenv", true);
    text = add_block(text, other);
    EXPECT_EQ(text.find("/opt/cenv"), std::string::npos);
    EXPECT_LT(text.find("/new/cenv"), text.find("after"));
    EXPECT_EQ(remove_block(text, "rc"), "before\nafter\n");
}

TEST(RcBlock, AHalfBlockIsLeftAlone) {
    EXPECT_THROW((void)remove_block("x\n# >>> cenv initialize >>>\neval stuff\n", "~/.bashrc"),
                 ShellError);
}

}  // namespace
}  // namespace cenv::shell

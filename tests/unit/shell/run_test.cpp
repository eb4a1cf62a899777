#include "shell/run.hpp"

#include <gtest/gtest.h>

namespace cenv::shell {
namespace {

TEST(Run, TheCommandItselfWithoutScripts) {
    const std::vector<std::string> command{"python", "-c", "print(1)"};
    EXPECT_EQ(run_argv(Script{}, command, "/bin/bash"), command);
}

TEST(Run, ThroughAShellThatSourcesTheScriptsThenExecs) {
    Script s;
    s.activate_scripts = {"/e/etc/conda/activate.d/a b.sh", "/e/etc/conda/activate.d/it's.sh"};
    EXPECT_EQ(run_argv(s, {"ls", "-l"}, "/bin/sh"),
              (std::vector<std::string>{"/bin/sh", "-c",
                                        ". '/e/etc/conda/activate.d/a b.sh'\n"
                                        ". '/e/etc/conda/activate.d/it'\\''s.sh'\n"
                                        "exec \"$@\"",
                                        "cenv-run", "ls", "-l"}));
}

}  // namespace
}  // namespace cenv::shell

// conda-meta/state and etc/conda/env_vars.d, in conda's format.

#include "shell/env_vars.hpp"

#include <gtest/gtest.h>

#include "shell/error.hpp"
#include "test_support.hpp"
#include "util/file.hpp"

namespace cenv::shell {
namespace {

using testing::make_env;
using testing::ScratchDir;
using testing::write_file;

TEST(EnvVars, SetListUnsetAsCondaWritesThem) {
    ScratchDir dir;
    const auto env = make_env(dir / "env");
    write_file(env / "conda-meta/state", R"({"other": 1, "env_vars": {"OLD": "x"}})");
    set_state_variables(env, {{"B", "two words"}, {"A", "1"}});
    EXPECT_EQ(state_variables(env),
              (std::vector<EnvVar>{{"OLD", "x"}, {"B", "two words"}, {"A", "1"}}));
    EXPECT_EQ(unset_state_variables(env, {"OLD", "NEVER"}), std::vector<std::string>{"NEVER"});
    EXPECT_EQ(state_variables(env), (std::vector<EnvVar>{{"B", "two words"}, {"A", "1"}}));
    const std::string text = util::read_file(env / "conda-meta/state");
    EXPECT_NE(text.find("\"other\": 1"), std::string::npos) << text;  // other keys kept
    EXPECT_NE(text.find("\"OLD\": \"***unset***\""), std::string::npos) << text;
}

TEST(EnvVars, PackagesFirstTheUsersWin) {
    ScratchDir dir;
    const auto env = make_env(dir / "env");
    write_file(env / "etc/conda/env_vars.d/b.json", R"({"X": "b", "Y": "b"})");
    write_file(env / "etc/conda/env_vars.d/a.json", R"({"X": "a", "Z": "a"})");
    write_file(env / "conda-meta/state",
               R"({"env_vars": {"Y": "user", "Z": "***unset***", "bad-name": "v"}})");
    std::vector<std::string> skipped;
    EXPECT_EQ(activation_variables(env, &skipped),
              (std::vector<EnvVar>{{"X", "b"}, {"Y", "user"}}));
    ASSERT_EQ(skipped.size(), 1U);
    EXPECT_NE(skipped[0].find("bad-name"), std::string::npos);
}

TEST(EnvVars, BadInputIsNamed) {
    ScratchDir dir;
    const auto env = make_env(dir / "env");
    EXPECT_THROW(set_state_variables(env, {{"1X", "v"}}), ShellError);
    EXPECT_THROW(set_state_variables(dir / "not-an-env", {{"X", "v"}}), ShellError);
    write_file(env / "conda-meta/state", R"({"env_vars": {"X": 1}})");
    try {
        (void)activation_variables(env);
        FAIL();
    } catch (const ShellError& e) {
        EXPECT_NE(std::string(e.what()).find("state"), std::string::npos) << e.what();
    }
    write_file(env / "conda-meta/state", "{");
    EXPECT_THROW((void)state_variables(env), ShellError);
    EXPECT_TRUE(is_variable_name("_A1"));
    EXPECT_FALSE(is_variable_name("A-1"));
    EXPECT_FALSE(is_variable_name(""));
}

}  // namespace
}  // namespace cenv::shell

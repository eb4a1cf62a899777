#include "shell/saved_state.hpp"

#include <gtest/gtest.h>

namespace cenv::shell {
namespace {

TEST(SavedState, RoundTripsAnyValue) {
    const SavedState state{
        {"PATH", "/home/张三/bin:/usr/bin", "/env/bin:/home/张三/bin:/usr/bin"},
        {"CONDA_PREFIX", std::nullopt, std::nullopt},
        {"EMPTY", "", std::nullopt},
        {"PS1", "100% ; a>b = c\n\t\x7f'\"\\$(x)", std::nullopt},
        {"LD_LIBRARY_PATH", std::nullopt, ""},
    };
    const std::string text = encode_saved_state(state);
    EXPECT_EQ(text.find('\n'), std::string::npos);
    EXPECT_NE(text.find("/home/张三/bin"), std::string::npos);  // UTF-8 stays readable
    const auto back = decode_saved_state(text);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, state);
}

TEST(SavedState, TheWrittenForm) {
    EXPECT_EQ(encode_saved_state({{"A", "x;y", std::nullopt},
                                  {"B", std::nullopt, std::nullopt},
                                  {"PATH", "/a", "/e:/a"}}),
              "A=x%3By;B;PATH=/a>/e:/a");
    EXPECT_EQ(saved_variable_name(3), "_CENV_SAVED_3");
}

TEST(SavedState, ForeignTextIsNoRecord) {
    EXPECT_FALSE(decode_saved_state("not a record"));
    EXPECT_FALSE(decode_saved_state("A=%4"));
    EXPECT_FALSE(decode_saved_state("A=%zz"));
    EXPECT_FALSE(decode_saved_state("=x"));
    EXPECT_TRUE(decode_saved_state("")->empty());
}

}  // namespace
}  // namespace cenv::shell

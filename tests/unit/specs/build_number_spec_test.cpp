#include "specs/build_number_spec.hpp"

#include <gtest/gtest.h>

#include <string>

#include "specs/error.hpp"

namespace cenv::specs {
namespace {

TEST(BuildNumberSpec, DefaultAndStarMatchEverything) {
    EXPECT_TRUE(BuildNumberSpec().matches_all());
    EXPECT_EQ(BuildNumberSpec().str(), "*");
    const BuildNumberSpec star = BuildNumberSpec::parse(" * ");
    EXPECT_TRUE(star.matches_all());
    EXPECT_TRUE(star.contains(0));
    EXPECT_TRUE(star.contains(123456));
}

TEST(BuildNumberSpec, PlainNumberAndEqualsAreExact) {
    for (const char* text : {"7", "=7", "==7"}) {
        const BuildNumberSpec spec = BuildNumberSpec::parse(text);
        EXPECT_TRUE(spec.is_exact()) << text;
        EXPECT_TRUE(spec.contains(7)) << text;
        EXPECT_FALSE(spec.contains(6)) << text;
        EXPECT_FALSE(spec.contains(70)) << text;
        EXPECT_EQ(spec.str(), text);
        EXPECT_EQ(spec.number(), 7U);
    }
}

TEST(BuildNumberSpec, Comparisons) {
    // The cases of conda's test_bracket_matches (record build_number 7), and the rest.
    EXPECT_TRUE(BuildNumberSpec::parse("<8").contains(7));
    EXPECT_FALSE(BuildNumberSpec::parse(">7").contains(7));
    EXPECT_TRUE(BuildNumberSpec::parse(">=7").contains(7));
    EXPECT_TRUE(BuildNumberSpec::parse("<=7").contains(7));
    EXPECT_FALSE(BuildNumberSpec::parse("<7").contains(7));
    EXPECT_TRUE(BuildNumberSpec::parse(">6").contains(7));
    EXPECT_FALSE(BuildNumberSpec::parse("!=7").contains(7));
    EXPECT_TRUE(BuildNumberSpec::parse("!=7").contains(8));
    EXPECT_FALSE(BuildNumberSpec::parse(">=3").is_exact());
}

TEST(BuildNumberSpec, StrGivesTheSpecBack) {
    for (const char* text : {">3", ">=3", "<3", "<=3", "!=3", "0", "==12"}) {
        EXPECT_EQ(BuildNumberSpec::parse(text).str(), text);
        EXPECT_EQ(BuildNumberSpec::parse(BuildNumberSpec::parse(text).str()),
                  BuildNumberSpec::parse(text));
    }
}

TEST(BuildNumberSpec, RegexOverTheDigits) {
    const BuildNumberSpec spec = BuildNumberSpec::parse("^1[0-9]$");
    EXPECT_TRUE(spec.contains(10));
    EXPECT_TRUE(spec.contains(19));
    EXPECT_FALSE(spec.contains(1));
    EXPECT_FALSE(spec.contains(110));
    EXPECT_EQ(spec.str(), "^1[0-9]$");
}

TEST(BuildNumberSpec, InvalidSpecsAreParseErrorsNamingTheSpec) {
    for (const char* text : {"", ">", "~=3", "abc", "3a", ">=x", "=>3", "-1", "^1", "1$",
                             "99999999999999999999999", "^(1$"}) {
        try {
            (void)BuildNumberSpec::parse(text);
            ADD_FAILURE() << "expected a ParseError for '" << text << "'";
        } catch (const ParseError& e) {
            EXPECT_NE(std::string(e.what()).find('"' + std::string(text) + '"'), std::string::npos)
                << e.what();
            EXPECT_FALSE(e.hint().empty());
        }
    }
}

}  // namespace
}  // namespace cenv::specs

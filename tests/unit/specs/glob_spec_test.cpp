#include "specs/glob_spec.hpp"

#include <gtest/gtest.h>

#include "specs/error.hpp"

namespace cenv::specs {
namespace {

TEST(GlobSpec, DefaultMatchesEverything) {
    const GlobSpec all;
    EXPECT_EQ(all.str(), "*");
    EXPECT_TRUE(all.matches_all());
    EXPECT_FALSE(all.is_exact());
    EXPECT_TRUE(all.contains(""));
    EXPECT_TRUE(all.contains("anything at all"));
    EXPECT_EQ(GlobSpec::parse("*"), all);
}

TEST(GlobSpec, ExactMatchesTheWholeValueOnly) {
    const GlobSpec spec = GlobSpec::parse("py310_0");
    EXPECT_TRUE(spec.is_exact());
    EXPECT_FALSE(spec.matches_all());
    EXPECT_TRUE(spec.contains("py310_0"));
    EXPECT_FALSE(spec.contains("py310_01"));
    EXPECT_FALSE(spec.contains("xpy310_0"));
    EXPECT_FALSE(spec.contains("py310"));
    EXPECT_FALSE(spec.contains("PY310_0"));
    EXPECT_FALSE(spec.contains(""));
}

TEST(GlobSpec, StarMatchesAnyRunIncludingNone) {
    const GlobSpec prefix = GlobSpec::parse("py310_*");
    EXPECT_FALSE(prefix.is_exact());
    EXPECT_TRUE(prefix.contains("py310_0"));
    EXPECT_TRUE(prefix.contains("py310_"));
    EXPECT_TRUE(prefix.contains("py310_h1234_5"));
    EXPECT_FALSE(prefix.contains("py39_0"));
    EXPECT_FALSE(prefix.contains("xpy310_0"));

    const GlobSpec infix = GlobSpec::parse("*cuda*");
    EXPECT_TRUE(infix.contains("cuda"));
    EXPECT_TRUE(infix.contains("py3.10_cuda12.1_cudnn8.9.2_0"));
    EXPECT_FALSE(infix.contains("py3.10_cpu_0"));
    EXPECT_FALSE(infix.contains("CUDA"));

    const GlobSpec suffix = GlobSpec::parse("*_3");
    EXPECT_TRUE(suffix.contains("red_habc123_3"));
    EXPECT_FALSE(suffix.contains("red_habc123_33x"));
    EXPECT_FALSE(suffix.contains("red_habc123_2"));

    const GlobSpec inner = GlobSpec::parse("py3*_2");
    EXPECT_TRUE(inner.contains("py36_2"));
    EXPECT_TRUE(inner.contains("py3_2"));
    EXPECT_TRUE(inner.contains("py3_2_2"));
    EXPECT_FALSE(inner.contains("py36_20"));
    EXPECT_FALSE(inner.contains("py27_2"));
}

TEST(GlobSpec, SeveralStarsBacktrack) {
    const GlobSpec spec = GlobSpec::parse("*a*b*c");
    EXPECT_TRUE(spec.contains("abc"));
    EXPECT_TRUE(spec.contains("xxaxxbxxaxbxc"));
    EXPECT_TRUE(spec.contains("aabbcc"));
    EXPECT_FALSE(spec.contains("abcx"));
    EXPECT_FALSE(spec.contains("acb"));
    EXPECT_TRUE(GlobSpec::parse("**").contains(""));
    EXPECT_TRUE(GlobSpec::parse("a**b").contains("ab"));
}

TEST(GlobSpec, OtherCharactersAreLiteral) {
    // conda escapes everything but `*` before turning a glob into a regular expression.
    const GlobSpec spec = GlobSpec::parse("1.2+cuda*");
    EXPECT_TRUE(spec.contains("1.2+cuda118"));
    EXPECT_FALSE(spec.contains("1x2+cuda118"));
    EXPECT_FALSE(spec.contains("1.22cuda118"));
    EXPECT_FALSE(GlobSpec::parse("a?c*").contains("abc"));
    EXPECT_TRUE(GlobSpec::parse("[ab]*").contains("[ab]x"));
}

TEST(GlobSpec, RegexMatchesTheWholeValue) {
    const GlobSpec spec = GlobSpec::parse("^py3[0-9]+_.*$");
    EXPECT_TRUE(spec.is_regex());
    EXPECT_FALSE(spec.is_exact());
    EXPECT_FALSE(spec.matches_all());
    EXPECT_TRUE(spec.contains("py310_0"));
    EXPECT_TRUE(spec.contains("py38_h1_2"));
    EXPECT_FALSE(spec.contains("py27_0"));
    EXPECT_FALSE(spec.contains("xpy310_0"));
    EXPECT_EQ(spec.str(), "^py3[0-9]+_.*$");
}

TEST(GlobSpec, BadRegexIsAParseErrorNamingIt) {
    try {
        (void)GlobSpec::parse("^(aaaa$");
        FAIL() << "expected a ParseError";
    } catch (const ParseError& e) {
        EXPECT_NE(std::string(e.what()).find("^(aaaa$"), std::string::npos) << e.what();
        EXPECT_FALSE(e.hint().empty());
    }
}

TEST(GlobSpec, CaseInsensitiveIsKeptLowerAndFoldsTheValue) {
    const GlobSpec exact = GlobSpec::parse("LGPL", GlobSpec::Case::insensitive);
    EXPECT_EQ(exact.str(), "lgpl");
    EXPECT_TRUE(exact.contains("LGPL"));
    EXPECT_TRUE(exact.contains("lgpl"));
    EXPECT_TRUE(exact.contains("LgPl"));
    EXPECT_FALSE(exact.contains("LGPL2"));

    const GlobSpec glob = GlobSpec::parse("*GP*", GlobSpec::Case::insensitive);
    EXPECT_TRUE(glob.contains("LGPLv3+"));
    EXPECT_TRUE(glob.contains("agpl"));
    EXPECT_FALSE(glob.contains("MIT"));

    const GlobSpec regex = GlobSpec::parse("^BSD-[0-9]-.*$", GlobSpec::Case::insensitive);
    EXPECT_TRUE(regex.contains("bsd-3-clause"));
    EXPECT_TRUE(regex.contains("BSD-3-Clause"));

    EXPECT_FALSE(GlobSpec::parse("LGPL") == exact);
}

TEST(GlobSpec, EqualityAndHashFollowTheText) {
    EXPECT_EQ(GlobSpec::parse("py*"), GlobSpec::parse("py*"));
    EXPECT_FALSE(GlobSpec::parse("py*") == GlobSpec::parse("py3*"));
    EXPECT_EQ(std::hash<GlobSpec>{}(GlobSpec::parse("py*")),
              std::hash<GlobSpec>{}(GlobSpec::parse("py*")));
}

}  // namespace
}  // namespace cenv::specs

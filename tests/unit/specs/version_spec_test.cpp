#include "specs/version_spec.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <new>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>
#include <vector>

#include "specs/error.hpp"

// Counts heap allocations in this test binary, to check that contains() makes none.
// (GCC cannot see that these replacements pair malloc with free.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
namespace {
std::atomic<std::size_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size)) {
        return p;
    }
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t /*size*/) noexcept {
    std::free(p);
}
#pragma GCC diagnostic pop

// Expectations come from conda: the vectors of conda's tests/models/test_version.py
// (fixtures/conda-cases/version_order.json) and the behaviour its version.py documents.

namespace cenv::specs {

// How gtest prints a Version in failure messages (found by argument-dependent lookup).
[[maybe_unused]] static void PrintTo(const Version& version, std::ostream* os) {
    *os << "Version('" << version.source() << "')";
}

namespace {

nlohmann::json load_cases() {
    std::ifstream in(std::string(CENV_FIXTURES_DIR) + "/conda-cases/version_order.json");
    EXPECT_TRUE(in.good());
    return nlohmann::json::parse(in);
}

VersionSpec spec(std::string_view text) {
    return VersionSpec::parse(text);
}
Version v(std::string_view text) {
    return Version::parse(text);
}

std::string parse_error(std::string_view text) {
    try {
        (void)VersionSpec::parse(text);
    } catch (const ParseError& e) {
        return e.what();
    }
    return "(no error)";
}

// ---- conda's test_version.py vectors ----------------------------------------------------

TEST(VersionSpecCondaCases, Matches) {
    const auto cases = load_cases();
    ASSERT_EQ(cases["spec_matches"].size(), 90U);
    for (const auto& c : cases["spec_matches"]) {
        const std::string s = c["spec"];
        const std::string version = c["version"];
        EXPECT_EQ(spec(s).contains(v(version)), c["expected"].get<bool>())
            << "VersionSpec('" << s << "').match('" << version << "')";
    }
}

TEST(VersionSpecCondaCases, InvalidSpecsAreRejected) {
    const auto cases = load_cases();
    ASSERT_EQ(cases["invalid_specs"].size(), 22U);
    for (const auto& c : cases["invalid_specs"]) {
        EXPECT_THROW((void)spec(c["spec"].get<std::string>()), ParseError) << c["spec"];
    }
}

TEST(VersionSpecCondaCases, Equality) {
    const auto cases = load_cases();
    ASSERT_EQ(cases["spec_equal"].size(), 5U);
    for (const auto& c : cases["spec_equal"]) {
        const VersionSpec a = spec(c["a"].get<std::string>());
        const VersionSpec b = spec(c["b"].get<std::string>());
        const bool equal = c["equal"];
        EXPECT_EQ(a == b, equal) << c["a"] << " vs " << c["b"];
        if (equal) {
            EXPECT_EQ(std::hash<VersionSpec>{}(a), std::hash<VersionSpec>{}(b));
        }
    }
}

TEST(VersionSpecCondaCases, Canonical) {
    const auto cases = load_cases();
    ASSERT_EQ(cases["spec_canonical"].size(), 34U);
    for (const auto& c : cases["spec_canonical"]) {
        EXPECT_EQ(spec(c["spec"].get<std::string>()).str(), c["canonical"].get<std::string>());
    }
}

TEST(VersionSpecCondaCases, Exact) {
    const auto cases = load_cases();
    ASSERT_EQ(cases["spec_exact"].size(), 5U);
    for (const auto& c : cases["spec_exact"]) {
        EXPECT_EQ(spec(c["spec"].get<std::string>()).is_exact(), c["exact"].get<bool>())
            << c["spec"];
    }
}

// ---- conda's documented behaviour -------------------------------------------------------

TEST(VersionSpec, TreeifyDocstringExamples) {
    // treeify("1.2.3,4.5.6|<=7.8.9") == ('|', (',', '1.2.3', '4.5.6'), '<=7.8.9')
    const VersionSpec or_of_and = spec("1.2.3,4.5.6|<=7.8.9");
    EXPECT_TRUE(or_of_and.contains(v("7.0")));
    EXPECT_FALSE(or_of_and.contains(v("8.0")));
    // treeify("(1.2.3|4.5.6),<=7.8.9") == (',', ('|', '1.2.3', '4.5.6'), '<=7.8.9')
    const VersionSpec and_of_or = spec("(1.2.3|4.5.6),<=7.8.9");
    EXPECT_TRUE(and_of_or.contains(v("4.5.6")));
    EXPECT_FALSE(and_of_or.contains(v("7.0")));
    // str() joins the rendered terms without parentheses, as conda's VersionSpec does
    EXPECT_EQ(and_of_or.str(), "1.2.3|4.5.6,<=7.8.9");
    // treeify("1.5|(1.6|1.7),1.8,1.9|2.0|2.1")
    //     == ('|', '1.5', (',', ('|', '1.6', '1.7'), '1.8', '1.9'), '2.0', '2.1')
    const VersionSpec mixed = spec("1.5|(1.6|1.7),1.8,1.9|2.0|2.1");
    for (const char* in : {"1.5", "2.0", "2.1"}) {
        EXPECT_TRUE(mixed.contains(v(in))) << in;
    }
    for (const char* out : {"1.6", "1.7", "1.8", "1.9"}) {
        EXPECT_FALSE(mixed.contains(v(out))) << out;
    }
    EXPECT_TRUE(spec("1.5|1.6,1.8").contains(v("1.5")));  // ',' binds tighter than '|'
    // both spellings of the same tree in the docstring
    EXPECT_EQ(spec("((1.5|((1.6|1.7), 1.8), 1.9 |2.0))|2.1"),
              spec("1.5|(1.6|1.7),1.8,1.9|2.0|2.1"));
}

TEST(VersionSpec, HeaderExamples) {
    EXPECT_TRUE(spec("*").matches_all());
    EXPECT_TRUE(VersionSpec().matches_all());
    EXPECT_EQ(VersionSpec().str(), "*");
    EXPECT_EQ(VersionSpec(), spec("*"));
    EXPECT_FALSE(spec("1.*").matches_all());

    EXPECT_TRUE(spec("1.2.*").contains(v("1.2.7")));
    EXPECT_FALSE(spec("1.2.*").contains(v("1.20")));
    EXPECT_EQ(spec("1.2*"), spec("1.2.*"));
    EXPECT_EQ(spec("1.2*").str(), "1.2.*");

    EXPECT_TRUE(spec("1.2").contains(v("1.2.0")));
    EXPECT_FALSE(spec("1.2").contains(v("1.2.1")));
    EXPECT_TRUE(spec("1.2").is_exact());
    EXPECT_TRUE(spec("==1.7.1").is_exact());
    EXPECT_FALSE(spec(">=1.7.1").is_exact());

    EXPECT_TRUE(spec("=1.2").contains(v("1.2")));
    EXPECT_TRUE(spec("=1.2").contains(v("1.2.5")));
    EXPECT_FALSE(spec("=1.2").contains(v("1.3")));
    EXPECT_FALSE(spec("=1.2").is_exact());

    EXPECT_TRUE(spec("~=1.2.3").contains(v("1.2.9")));
    EXPECT_FALSE(spec("~=1.2.3").contains(v("1.3.0")));
    EXPECT_FALSE(spec("~=1.2.3").contains(v("1.2.2")));

    EXPECT_TRUE(spec("^1\\.2.*$").contains(v("1.2.3")));

    const VersionSpec grouped = spec("( (1.5|1.6), 1.8)");
    EXPECT_EQ(grouped.str(), "1.5|1.6,1.8");
    EXPECT_FALSE(grouped.contains(v("1.5")));  // still (1.5|1.6) and 1.8
}

TEST(VersionSpec, WhitespaceAroundTermsOnly) {
    EXPECT_EQ(spec(" >=1.5 , <2 ").str(), ">=1.5,<2");
    EXPECT_EQ(spec("  1.7.1  ").str(), "1.7.1");
    // conda's version_relation_re "rejects expressions like '<= 1.2' (space after operator),
    // '<>1.2' (unknown operator), and '<=!1.2' (nonsensical operator)"
    EXPECT_THROW((void)spec("<= 1.2"), ParseError);
    EXPECT_THROW((void)spec("<>1.2"), ParseError);
    EXPECT_THROW((void)spec("<=!1.2"), ParseError);
}

TEST(VersionSpec, StarSuffixWithOperators) {
    // =1.2.* and >=1.2.* drop the .*; !=1.2.* is "does not start with"; other operators
    // ignore it (conda logs a deprecation warning); ~= rejects it.
    EXPECT_TRUE(spec("=1.2.*").contains(v("1.2.9")));
    EXPECT_TRUE(spec(">=1.2.*").contains(v("1.2")));
    EXPECT_FALSE(spec(">=1.2.*").contains(v("1.1.9")));
    EXPECT_FALSE(spec("!=1.2.*").contains(v("1.2.9")));
    EXPECT_TRUE(spec("!=1.2.*").contains(v("1.3")));
    EXPECT_TRUE(spec("<1.2.*").contains(v("1.1")));
    EXPECT_FALSE(spec("<1.2.*").contains(v("1.2.0")));
    EXPECT_EQ(spec("<1.2.*").str(), "<1.2.*");  // conda keeps the text as written
    EXPECT_TRUE(spec("==1.2.*").is_exact());
    EXPECT_TRUE(spec("==1.2.*").contains(v("1.2")));
    EXPECT_FALSE(spec("==1.2.*").contains(v("1.2.1")));
    EXPECT_THROW((void)spec("~=1.2.*"), ParseError);
}

TEST(VersionSpec, RegexAndGlobSeeTheVersionAsWritten) {
    // conda matches regexes and inner-* globs against the version string it is given, not
    // the lower-cased form its order uses.
    EXPECT_TRUE(spec("^1\\.0RC1$").contains(v("1.0RC1")));
    EXPECT_FALSE(spec("^1\\.0RC1$").contains(v("1.0rc1")));
    EXPECT_TRUE(spec("1.*.RC1").contains(v("1.2.RC1")));
    EXPECT_FALSE(spec("1.*.RC1").contains(v("1.2.rc1")));
    EXPECT_TRUE(spec("1.*.1").contains(v("1.2.3.1")));
    EXPECT_FALSE(spec("1.*.1").contains(v("1.2.3.12")));
    EXPECT_EQ(spec("1.*.1").str(), "1.*.1");
    EXPECT_FALSE(spec("1.*.1").is_exact());
    // a glob with regex syntax goes through conda's regex translation: [23] is a class
    EXPECT_TRUE(spec("1.[23].*.1").contains(v("1.3.0.1")));
    EXPECT_FALSE(spec("1.[23].*.1").contains(v("1.4.0.1")));
}

TEST(VersionSpec, AtSignIsAnExactText) {
    // conda: a term with '@' and no operator is compared as text; no version has an '@'.
    const VersionSpec at = spec("1.0@abc");
    EXPECT_TRUE(at.is_exact());
    EXPECT_EQ(at.str(), "1.0@abc");
    EXPECT_FALSE(at.contains(v("1.0")));
}

TEST(VersionSpec, CondaParserQuirks) {
    // treeify keeps only the first of two adjacent terms (it returns output[0])
    EXPECT_EQ(spec("(1.5)(1.6)").str(), "1.5");
    EXPECT_EQ(spec("(1.5)").str(), "1.5");
    // an operator may sit just inside a parenthesis after a term
    EXPECT_EQ(spec("1.5(|1.6)").str(), "1.5|1.6");
}

TEST(VersionSpec, DeliberateDifferencesFromConda) {
    // conda raises IndexError on an empty spec and fails at match time for ~=1
    EXPECT_THROW((void)spec(""), ParseError);
    EXPECT_THROW((void)spec("   "), ParseError);
    EXPECT_THROW((void)spec("~=1"), ParseError);
}

TEST(VersionSpec, ErrorMessagesNameTheSpecAndThePart) {
    EXPECT_EQ(parse_error(">=1..2,<3"),
              "invalid version spec '>=1..2,<3': invalid version '1..2': empty component at "
              "position 2");
    EXPECT_EQ(parse_error("<=>2"), "invalid version spec '<=>2': invalid operator in '<=>2'");
    EXPECT_EQ(parse_error("1.5||1.6"),
              "invalid version spec '1.5||1.6': '|' lacks a term on one side");
    EXPECT_EQ(parse_error("(1.5"), "invalid version spec '(1.5': '(' without a matching ')'");
    EXPECT_EQ(parse_error("1.5)"), "invalid version spec '1.5)': ')' without a matching '('");
    EXPECT_EQ(parse_error("^1.5"),
              "invalid version spec '^1.5': a regex must start with '^' and end with '$' in "
              "'^1.5'");
    EXPECT_EQ(parse_error("~=3.3.2.*"),
              "invalid version spec '~=3.3.2.*': '~=' cannot be combined with '.*' in "
              "'~=3.3.2.*'");
    EXPECT_EQ(parse_error("~=1"),
              "invalid version spec '~=1': '~=' needs a version with a '.' to cut at in '~=1'");
    try {
        (void)VersionSpec::parse("==");
        FAIL();
    } catch (const ParseError& e) {
        EXPECT_FALSE(e.hint().empty());
    }
}

TEST(VersionSpec, CopiesShareTheTreeAndHashByText) {
    const VersionSpec a = spec(">=1.0,<2|3.*");
    const VersionSpec b = a;
    EXPECT_EQ(a, b);
    EXPECT_TRUE(b.contains(v("3.1")));
    std::unordered_set<VersionSpec> set{a, b, spec(">=1.0,<2|3.*"), spec("3.*")};
    EXPECT_EQ(set.size(), 2U);
}

TEST(VersionSpec, ContainsDoesNotAllocate) {
    const std::vector<VersionSpec> specs = {
        spec(">=1.2,<2.0a0|1.5.*"),
        spec("!=3.3.*"),
        spec("~=1.2.3"),
        spec("1.*.1"),
        spec("=1.2"),
        spec("*"),
        spec("1.0+abc*"),
        spec("1.0@x"),
    };
    const std::vector<Version> versions = {v("1.2.3"), v("1.0+abc.1"),
                                           v("1.2.3.4.5.6.7.8.9.10.11.12.13.post1"), v("3.3.1"),
                                           v("1.0RC1")};
    std::size_t hits = 0;
    const std::size_t before = g_allocations.load();
    for (const VersionSpec& s : specs) {
        for (const Version& x : versions) {
            hits += s.contains(x) ? 1 : 0;
        }
    }
    EXPECT_EQ(g_allocations.load() - before, 0U);
    EXPECT_GT(hits, 0U);
}

}  // namespace
}  // namespace cenv::specs

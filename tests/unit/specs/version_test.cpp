#include "specs/version.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "specs/error.hpp"

// Expectations come from conda: the fixtures under CENV_FIXTURES_DIR (conda's own parse and
// order of 28530 real versions, and the vectors of conda's tests/models/test_version.py),
// and the rules and examples written in conda's VersionOrder docstring.

namespace cenv::specs {

// How gtest prints a Version in failure messages (found by argument-dependent lookup).
[[maybe_unused]] static void PrintTo(const Version& version, std::ostream* os) {
    *os << "Version('" << version.source() << "')";
}

namespace {

const std::string kFixtures = CENV_FIXTURES_DIR;

std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream in(path);
    EXPECT_TRUE(in.good()) << "cannot read " << path;
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

nlohmann::json load_cases() {
    std::ifstream in(kFixtures + "/conda-cases/version_order.json");
    EXPECT_TRUE(in.good());
    return nlohmann::json::parse(in);
}

Version v(std::string_view text) {
    return Version::parse(text);
}

std::string parse_error(std::string_view text) {
    try {
        (void)Version::parse(text);
    } catch (const ParseError& e) {
        return e.what();
    }
    return "(no error)";
}

// ---- the fixtures -----------------------------------------------------------------------

TEST(VersionFixtures, EveryListedVersionParses) {
    for (const char* file : {"/versions/versions.txt", "/versions/rattler-root-versions.txt"}) {
        const auto lines = read_lines(kFixtures + file);
        EXPECT_EQ(lines.size(), 28530U) << file;
        std::size_t failures = 0;
        for (const std::string& line : lines) {
            try {
                (void)Version::parse(line);
            } catch (const ParseError& e) {
                if (++failures <= 10) {
                    ADD_FAILURE() << file << ": " << e.what();
                }
            }
        }
        EXPECT_EQ(failures, 0U) << file;
    }
}

TEST(VersionFixtures, ParseMatchesCondasParsedVersions) {
    const auto lines = read_lines(kFixtures + "/versions/parsed_versions.txt");
    std::size_t cases = 0;
    std::size_t mismatches = 0;
    for (const std::string& line : lines) {
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') {
            continue;
        }
        const auto eq = line.find('=');
        ASSERT_NE(eq, std::string::npos) << line;
        const std::string version = line.substr(0, eq);
        const std::string expected = line.substr(eq + 1);
        ++cases;
        std::string got;
        try {
            got = Version::parse(version).conda_repr();
        } catch (const ParseError& e) {
            got = e.what();
        }
        if (got != expected && ++mismatches <= 10) {
            ADD_FAILURE() << version << ": expected " << expected << ", got " << got;
        }
    }
    EXPECT_EQ(cases, 28530U);
    EXPECT_EQ(mismatches, 0U);
}

TEST(VersionFixtures, SortingReproducesCondasOrderClasses) {
    const auto raw = read_lines(kFixtures + "/versions/rattler-root-versions.txt");
    std::vector<Version> versions;
    versions.reserve(raw.size());
    for (const std::string& line : raw) {
        versions.push_back(Version::parse(line));
    }
    std::sort(versions.begin(), versions.end(), [](const Version& a, const Version& b) {
        const auto c = a <=> b;
        return c != 0 ? c < 0 : a.source() < b.source();  // members of a class in byte order
    });
    std::vector<std::string> classes;
    for (std::size_t i = 0; i < versions.size(); ++i) {
        if (i == 0 || versions[i - 1] < versions[i]) {
            classes.emplace_back(versions[i].source());
        } else {
            classes.back() += ' ' + versions[i].source();
        }
    }

    std::vector<std::string> expected;
    for (const std::string& line : read_lines(kFixtures + "/versions/conda-order-classes.txt")) {
        if (!line.empty() && line[0] != '#') {
            expected.push_back(line);
        }
    }
    ASSERT_EQ(expected.size(), 25303U);
    EXPECT_EQ(classes.size(), expected.size());
    std::size_t differences = 0;
    for (std::size_t i = 0; i < std::min(classes.size(), expected.size()); ++i) {
        if (classes[i] != expected[i] && ++differences <= 10) {
            ADD_FAILURE() << "class " << i << ": expected '" << expected[i] << "', got '"
                          << classes[i] << "'";
        }
    }
    EXPECT_EQ(differences, 0U);
}

TEST(VersionFixtures, OrderClassesAreEqualAndHashEqualWithinAndIncreasingAcross) {
    std::vector<std::vector<Version>> classes;
    for (const std::string& line : read_lines(kFixtures + "/versions/conda-order-classes.txt")) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        auto& members = classes.emplace_back();
        std::istringstream words(line);
        for (std::string word; words >> word;) {
            members.push_back(Version::parse(word));
        }
    }
    std::size_t failures = 0;
    for (std::size_t i = 0; i < classes.size(); ++i) {
        const auto& members = classes[i];
        for (const Version& m : members) {
            if ((m != members.front() || m.hash() != members.front().hash()) && ++failures <= 10) {
                ADD_FAILURE() << m.str() << " vs " << members.front().str() << " (class " << i
                              << ")";
            }
        }
        if (i + 1 < classes.size()) {
            const Version& next = classes[i + 1].front();
            for (const Version& m : members) {
                if (!(m < next) && ++failures <= 10) {
                    ADD_FAILURE() << m.str() << " should be < " << next.str();
                }
            }
        }
    }
    EXPECT_EQ(failures, 0U);
}

// ---- conda's test_version.py vectors ----------------------------------------------------

std::string render_components(const nlohmann::json& components) {
    std::string out = "[";
    for (std::size_t i = 0; i < components.size(); ++i) {
        out += i == 0 ? "[" : ", [";
        const auto& component = components[i];
        for (std::size_t j = 0; j < component.size(); ++j) {
            if (j != 0) {
                out += ", ";
            }
            const auto& atom = component[j];
            if (atom.is_number_integer()) {
                out += std::to_string(atom.get<std::uint64_t>());
            } else if (atom.get<std::string>() == "+inf") {
                out += "inf";
            } else {
                out += "'" + atom.get<std::string>() + "'";
            }
        }
        out += ']';
    }
    return out + "]";
}

TEST(VersionCondaCases, SortedListsAreInOrder) {
    const auto cases = load_cases();
    ASSERT_FALSE(cases["sorted_lists"].empty());
    for (const auto& list : cases["sorted_lists"]) {
        ASSERT_EQ(list["relation"], "<=");
        std::vector<Version> versions;
        for (const auto& s : list["versions"]) {
            versions.push_back(Version::parse(s.get<std::string>()));
        }
        for (std::size_t i = 0; i < versions.size(); ++i) {
            for (std::size_t j = i + 1; j < versions.size(); ++j) {
                EXPECT_LE(versions[i], versions[j])
                    << versions[i].str() << " <= " << versions[j].str() << " ("
                    << list["source"].get<std::string>() << ")";
            }
        }
    }
}

TEST(VersionCondaCases, ParseCases) {
    const auto cases = load_cases();
    ASSERT_FALSE(cases["parse_cases"].empty());
    for (const auto& c : cases["parse_cases"]) {
        const Version version = Version::parse(c["version"].get<std::string>());
        EXPECT_EQ(version.str(), c["normalized"].get<std::string>());
        EXPECT_EQ(version.conda_repr(), render_components(c["components"])) << c["version"];
    }
}

TEST(VersionCondaCases, Comparisons) {
    const auto cases = load_cases();
    ASSERT_FALSE(cases["comparisons"].empty());
    for (const auto& c : cases["comparisons"]) {
        const Version a = Version::parse(c["a"].get<std::string>());
        const Version b = Version::parse(c["b"].get<std::string>());
        const std::string op = c["op"];
        SCOPED_TRACE(c.dump());
        if (op == "==") {
            EXPECT_EQ(a, b);
            EXPECT_EQ(a.hash(), b.hash());
        } else if (op == "!=") {
            EXPECT_NE(a, b);
        } else if (op == "startswith") {
            EXPECT_TRUE(a.starts_with(b));
        } else if (op == "not startswith") {
            EXPECT_FALSE(a.starts_with(b));
        } else {
            ADD_FAILURE() << "unknown op " << op;
        }
    }
}

TEST(VersionCondaCases, InvalidVersionsAreRejected) {
    const auto cases = load_cases();
    ASSERT_FALSE(cases["invalid_versions"].empty());
    for (const auto& c : cases["invalid_versions"]) {
        EXPECT_THROW((void)Version::parse(c["version"].get<std::string>()), ParseError)
            << c["version"];
    }
}

// ---- conda's documented rules and examples ----------------------------------------------

TEST(Version, DocstringOrder) {
    // The order listed in conda's VersionOrder docstring ("<" steps, "==" pairs).
    const std::vector<std::pair<std::string, std::string>> steps = {
        {"0.4.1.rc", "<"},   {"0.4.1.RC", "=="}, {"0.4.1", "<"},      {"0.5a1", "<"},
        {"0.5b3", "<"},      {"0.5C1", "<"},     {"0.5", "<"},        {"0.9.6", "<"},
        {"0.960923", "<"},   {"1.0", "<"},       {"1.1dev1", "<"},    {"1.1_", "<"},
        {"1.1a1", "<"},      {"1.1.0dev1", "<"}, {"1.1.dev1", "=="},  {"1.1.a1", "<"},
        {"1.1.0rc1", "<"},   {"1.1.0", "<"},     {"1.1", "=="},       {"1.1.0post1", "<"},
        {"1.1.post1", "=="}, {"1.1post1", "<"},  {"1996.07.12", "<"}, {"1!0.4.1", "<"},
        {"1!3.1.1.6", "<"},  {"2!0.4.1", "<"}};
    for (std::size_t i = 1; i < steps.size(); ++i) {
        const Version a = v(steps[i - 1].first);
        const Version b = v(steps[i].first);
        if (steps[i].second == "==") {
            EXPECT_EQ(a, b) << a.str() << " == " << b.str();
            EXPECT_EQ(a.hash(), b.hash()) << a.str();
        } else {
            EXPECT_LT(a, b) << a.str() << " < " << b.str();
        }
    }
}

TEST(Version, DocstringSplits) {
    // "1.2g.beta15.rc  =>  [[0], [1], [2, 'g'], [0, 'beta', 15], [0, 'rc']]"
    EXPECT_EQ(v("1.2g.beta15.rc").conda_repr(), "[[0], [1], [2, 'g'], [0, 'beta', 15], [0, 'rc']]");
    // openssl: "1.0.1_ < 1.0.1a => True", while plain 1.0.1 > 1.0.1a
    EXPECT_LT(v("1.0.1_"), v("1.0.1a"));
    EXPECT_GT(v("1.0.1"), v("1.0.1a"));
}

TEST(Version, HeaderExamples) {
    // version.hpp: "1.1dev1 < 1.1a1 < 1.1 < 1.1.post1" and "1.0 == 1.0.0"
    EXPECT_LT(v("1.1dev1"), v("1.1a1"));
    EXPECT_LT(v("1.1a1"), v("1.1"));
    EXPECT_LT(v("1.1"), v("1.1.post1"));
    EXPECT_EQ(v("1.0"), v("1.0.0"));
    EXPECT_EQ(std::hash<Version>{}(v("1.0")), std::hash<Version>{}(v("1.0.0")));
    // "*" < "dev" < "_" < other strings < numbers < "post", within one component
    EXPECT_LT(v("1.0*"), v("1.0dev"));
    EXPECT_LT(v("1.0dev"), v("1.0_"));
    EXPECT_LT(v("1.0_"), v("1.0a"));
    EXPECT_LT(v("1.0a"), v("1.0z"));
    EXPECT_LT(v("1.0z"), v("1.0.0"));
    EXPECT_LT(v("1.0.0"), v("1.0post"));
    // starts_with: 1.2, 1.2.0, 1.2.3 start with 1.2; 1.20 does not
    EXPECT_TRUE(v("1.2").starts_with(v("1.2")));
    EXPECT_TRUE(v("1.2.0").starts_with(v("1.2")));
    EXPECT_TRUE(v("1.2.3").starts_with(v("1.2")));
    EXPECT_FALSE(v("1.20").starts_with(v("1.2")));
}

TEST(Version, PaddingWithEpochAndLocalHashesConsistently) {
    // Missing components and atoms count as 0 in every part (conda's zip_longest fill).
    const std::vector<std::vector<std::string>> equal = {
        {"1!1", "1!1.0", "1!1.0.0", "01!1.00"},
        {"1.0+abc", "1.0.0+abc", "1+abc.0", "1+ABC"},
        {"1.0+0", "1.0", "1+0.0"},
        {"2.0a0", "2.0a"},
        {"1.1.dev1", "1.1.0dev1"},
    };
    for (const auto& group : equal) {
        std::unordered_set<Version> set;
        for (const auto& s : group) {
            EXPECT_EQ(v(s), v(group.front())) << s;
            EXPECT_EQ(v(s).hash(), v(group.front()).hash()) << s;
            set.insert(v(s));
        }
        EXPECT_EQ(set.size(), 1U) << group.front();
    }
    EXPECT_NE(v("1!1.0"), v("1.0"));
    EXPECT_NE(v("1.0+1"), v("1.0"));
    EXPECT_NE(v("1.0.0.1"), v("1.0"));
    EXPECT_LT(v("1.0"), v("1.0+1"));  // the local part decides only when the rest is equal
    EXPECT_LT(v("1.0+99"), v("1.0.1"));
}

TEST(Version, NormalisationAndSource) {
    EXPECT_EQ(v("  1.0-RC1 ").str(), "1.0_rc1");
    EXPECT_EQ(v("  1.0-RC1 ").source(), "1.0-RC1");
    EXPECT_EQ(v("1.0").source(), "1.0");
    EXPECT_EQ(v("1.0-rc1"), v("1.0_rc1"));
    EXPECT_EQ(v("1.0.1-").conda_repr(), "[[0], [1], [0], [1, '_']]");  // versions/README.md
    EXPECT_EQ(Version().str(), "0");
    EXPECT_EQ(Version(), v("0.0"));
}

TEST(Version, Accessors) {
    const Version x = v("3!1.1A1.post2+local_7");
    EXPECT_EQ(x.epoch(), 3U);
    const auto n = [](std::uint64_t value) { return Version::Atom(value); };
    const auto s = [](const char* text) { return Version::Atom(std::string(text)); };
    const std::vector<Version::Component> release = {
        {n(1)}, {n(1), s("a"), n(1)}, {n(0), s("post"), n(2)}};
    EXPECT_EQ(x.release(), release);
    const std::vector<Version::Component> local = {{n(0), s("local")}, {n(7)}};
    EXPECT_EQ(x.local(), local);
    EXPECT_TRUE(v("1.0").local().empty());
    EXPECT_EQ(v("1.0").epoch(), 0U);
}

TEST(Version, ConcurrentFirstUseOfTheComponentView) {
    // release()/local() are built on first use; concurrent readers must see one result.
    for (int round = 0; round < 50; ++round) {
        const Version x = v("1.2.3a4.post5+local.6");
        std::vector<const std::vector<Version::Component>*> seen(4);
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < seen.size(); ++t) {
            threads.emplace_back([&, t] { seen[t] = &x.release(); });
        }
        for (auto& t : threads) {
            t.join();
        }
        for (const auto* p : seen) {
            EXPECT_EQ(p, seen.front());
        }
        EXPECT_EQ(seen.front()->size(), 4U);
    }
}

TEST(Version, NumbersBeyondSixtyFourBits) {
    // Python ints have no limit: conda compares these digit by digit.
    const Version big = v("1.123456789012345678901234567890");
    EXPECT_EQ(big.conda_repr(), "[[0], [1], [123456789012345678901234567890]]");
    EXPECT_LT(v("1.123456789012345678901234567889"), big);
    EXPECT_LT(big, v("1.123456789012345678901234567891"));
    EXPECT_LT(v("1.999999999999999999"), v("1.1000000000000000000"));
    EXPECT_EQ(v("1.00012345678901234567890"), v("1.12345678901234567890"));  // leading 0s
    EXPECT_EQ(v("1.00012345678901234567890").hash(), v("1.12345678901234567890").hash());
    EXPECT_LT(v("1.1a1000000000000000000000"), v("1.1apost"));  // post is above every int
    EXPECT_EQ(v("1.00000000000000000000000"), v("1"));
    EXPECT_EQ(v("1.00000000000000000000000").hash(), v("1").hash());
}

TEST(Version, CopiesAndMovesKeepTheValue) {
    const std::string long_text = "1.2.3.4.5.6.7.8.9.10.11.12a1.dev3+local.build.9";
    const Version a = v(long_text);
    Version b = a;
    EXPECT_EQ(b, a);
    EXPECT_EQ(b.str(), long_text);
    (void)b.release();  // the lazily built view must not leak or be shared
    Version c = std::move(b);
    EXPECT_EQ(c, a);
    EXPECT_EQ(c.release(), a.release());
    EXPECT_EQ(b, Version());  // NOLINT(bugprone-use-after-move): moved-from is "0"
    b = c;
    EXPECT_EQ(b, a);
    c = v("2.0");
    EXPECT_EQ(c.str(), "2.0");
    EXPECT_LT(a, c);
}

TEST(Version, CompatibleWith) {
    // ~=1.10 (conda: >= 1.10 and startswith 1)
    EXPECT_TRUE(v("1.11.0").compatible_with(v("1.10")));
    EXPECT_FALSE(v("1.11.0").compatible_with(v("1.10.0")));
    EXPECT_TRUE(v("3.3.3").compatible_with(v("3.3.2")));
    EXPECT_FALSE(v("3.3.1").compatible_with(v("3.3.2")));
    EXPECT_THROW((void)v("1.0").compatible_with(v("1")), ParseError);
}

TEST(Version, ErrorMessagesNameTheInputAndThePart) {
    EXPECT_EQ(parse_error("1..2"), "invalid version '1..2': empty component at position 2");
    EXPECT_EQ(parse_error("3.5&1"), "invalid version '3.5&1': invalid character '&' at position 3");
    EXPECT_EQ(parse_error("  "), "invalid version '  ': empty version");
    EXPECT_EQ(parse_error("a!1.0"), "invalid version 'a!1.0': epoch 'a' is not an integer");
    EXPECT_EQ(parse_error("1!2!3"),
              "invalid version '1!2!3': second epoch separator '!' at position 3");
    EXPECT_EQ(parse_error("1+2+3"),
              "invalid version '1+2+3': second local version separator '+' at position 3");
    EXPECT_EQ(parse_error("+1.2"), "invalid version '+1.2': no version before the local part '+'");
    EXPECT_EQ(parse_error("1.0-a_b"),
              "invalid version '1.0-a_b': '-' at position 3 together with '_' (conda reads '-' "
              "as '_' only when there is no '_')");
    EXPECT_EQ(parse_error("1.2+"), "invalid version '1.2+': empty component at position 4");
    try {
        (void)Version::parse("5.5..mw");
        FAIL();
    } catch (const ParseError& e) {
        EXPECT_FALSE(e.hint().empty());
    }
}

}  // namespace
}  // namespace cenv::specs

// Prefix replacement in text and binary files, with conda's rules (conda's own test
// expectations for binary padding and long shebangs).

#include "install/prefix_replace.hpp"

#include <gtest/gtest.h>

namespace cenv::install {
namespace {

using namespace std::string_literals;

constexpr std::string_view kPlaceholder = "/opt/anaconda1anaconda2anaconda3";

TEST(TextPrefix, EveryOccurrenceIsReplaced) {
    EXPECT_EQ(replace_text_prefix("prefix=/opt/anaconda1anaconda2anaconda3\n"
                                  "libdir=/opt/anaconda1anaconda2anaconda3/lib\n",
                                  kPlaceholder, "/home/u/env"),
              "prefix=/home/u/env\nlibdir=/home/u/env/lib\n");
    EXPECT_EQ(replace_text_prefix("nothing here\n", kPlaceholder, "/e"), "nothing here\n");
}

TEST(TextPrefix, ShortShebangKeepsItsInterpreter) {
    EXPECT_EQ(replace_text_prefix("#!/opt/anaconda1anaconda2anaconda3/bin/python3.11 -E\nx\n",
                                  kPlaceholder, "/env"),
              "#!/env/bin/python3.11 -E\nx\n");
}

TEST(TextPrefix, LongShebangBecomesEnv) {
    const std::string prefix = "/" + std::string(130, 'p');
    EXPECT_EQ(replace_text_prefix("#!/opt/anaconda1anaconda2anaconda3/bin/python3.11 -E\n"
                                  "print('/opt/anaconda1anaconda2anaconda3')\n",
                                  kPlaceholder, prefix),
              "#!/usr/bin/env python3.11 -E\nprint('" + prefix + "')\n");
    // Exactly 127 bytes stays; 128 does not.
    const std::string at_limit = "/" + std::string(127 - 2 - 1 - 11, 'q');  // "#!" + "/bin/python"
    EXPECT_EQ(replace_text_prefix("#!/opt/anaconda1anaconda2anaconda3/bin/python\n", kPlaceholder,
                                  at_limit.substr(0, at_limit.size() - 4)),
              "#!" + at_limit.substr(0, at_limit.size() - 4) + "/bin/python\n");
    const std::string line127 = "#!" + at_limit + "/bin/python";
    ASSERT_EQ(line127.size(), 127U);
    EXPECT_EQ(shorten_shebang(line127 + "\n"), line127 + "\n");
    EXPECT_EQ(shorten_shebang("#!/" + line127.substr(2) + "\n"), "#!/usr/bin/env python\n");
}

TEST(TextPrefix, SpacesInThePrefixUseEnv) {
    EXPECT_EQ(replace_text_prefix("#!/opt/anaconda1anaconda2anaconda3/bin/perl -w\nmy $p = "
                                  "'/opt/anaconda1anaconda2anaconda3';\n",
                                  kPlaceholder, "/home/my env"),
              "#!/usr/bin/env perl -w\nmy $p = '/home/my env';\n");
}

TEST(BinaryPrefix, PaddedWithNulsToTheSameLength) {
    // conda's test: b"xyz" -> b"ab" in "a\0xyz\0b\0xyz/bin\0c" (two strings, one each).
    std::string data = "a\0xyz\0b\0xyz/bin\0c"s;
    EXPECT_EQ(replace_binary_prefix(data, "xyz", "ab"), 2);
    EXPECT_EQ(data, "a\0ab\0\0b\0ab/bin\0\0c"s);
}

TEST(BinaryPrefix, SeveralOccurrencesInOneString) {
    std::string data = "PATH=xyz/bin:xyz/lib\0tail"s;
    EXPECT_EQ(replace_binary_prefix(data, "xyz", "a"), 1);
    EXPECT_EQ(data, "PATH=a/bin:a/lib\0\0\0\0\0tail"s);
    EXPECT_EQ(data.size(), "PATH=xyz/bin:xyz/lib\0tail"s.size());
}

TEST(BinaryPrefix, LongerPrefixIsRefusedAndNothingChanges) {
    std::string data = "x\0/short/place\0"s;
    const std::string before = data;
    EXPECT_EQ(replace_binary_prefix(data, "/short/place", "/a/much/longer/prefix"), -1);
    EXPECT_EQ(data, before);
    // Without the placeholder, any prefix is fine.
    EXPECT_EQ(replace_binary_prefix(data, "/absent", "/a/much/longer/prefix"), 0);
}

TEST(BinaryPrefix, AStringWithoutTerminatorIsLeftAlone) {
    std::string data = "\0xyz"s;
    EXPECT_EQ(replace_binary_prefix(data, "xyz", "a"), 0);
    EXPECT_EQ(data, "\0xyz"s);
}

}  // namespace
}  // namespace cenv::install

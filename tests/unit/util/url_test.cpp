#include "util/url.hpp"

#include <gtest/gtest.h>

namespace cenv::util {
namespace {

TEST(PercentDecode, DecodesEscapesAndKeepsStrayPercents) {
    EXPECT_EQ(percent_decode("/home/%E5%BC%A0%E4%B8%89/a%20b"),
              "/home/\xE5\xBC\xA0\xE4\xB8\x89/a b");
    EXPECT_EQ(percent_decode("100%"), "100%");
    EXPECT_EQ(percent_decode("%4"), "%4");
    EXPECT_EQ(percent_decode("%zz%41"), "%zzA");
}

TEST(PercentEncodePath, EncodesWhatAUrlCannotHold) {
    EXPECT_EQ(percent_encode_path("/srv/chan-1_x.y~"), "/srv/chan-1_x.y~");
    EXPECT_EQ(percent_encode_path("/a b/%#?"), "/a%20b/%25%23%3F");
    const std::string path = "/tmp/\xE4\xB8\xAD/x";
    EXPECT_EQ(percent_decode(percent_encode_path(path)), path);
}

}  // namespace
}  // namespace cenv::util

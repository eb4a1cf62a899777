#include "specs/json_fault.hpp"

#include <gtest/gtest.h>

namespace cenv::specs {
namespace {

TEST(JsonFault, ValidTextHasNoFault) {
    for (const char* json : {"{}", " {\"a\": [1, -2.5e3, true, null, \"x\\\"y\"]}\n", "[]", "3"}) {
        const JsonFault fault = locate_json_fault(json);
        EXPECT_TRUE(fault.what.empty()) << json << ": " << fault.what;
        EXPECT_EQ(fault.offset, std::string_view::npos) << json;
    }
}

TEST(JsonFault, FindsTheFirstFault) {
    EXPECT_EQ(locate_json_fault("{\"a\": [1}").offset, 8U);
    EXPECT_EQ(locate_json_fault("{\"a\": [1}").what, "an unexpected '}'");
    EXPECT_EQ(locate_json_fault("{\"a\": \"b").what,
              "a string that is never closed (a truncated file?)");
    EXPECT_EQ(locate_json_fault("{\"a\": \"b\tc\"}").offset, 8U);
    EXPECT_EQ(locate_json_fault("{} {}").offset, 3U);
    EXPECT_EQ(locate_json_fault("{\"a\": 1").offset, 7U);
    EXPECT_EQ(locate_json_fault("{\"a\": @}").what, "an unexpected byte 0x40");
    EXPECT_EQ(locate_json_fault("  ").what, "the file holds no JSON value");
}

TEST(JsonFault, NamesTheRecordAroundTheFault) {
    const std::string json =
        "{\"info\": {}, \"packages\": {\"a-1-0.tar.bz2\": {\"name\": \"a\"}, "
        "\"b-1-0.tar.bz2\": {\"depends\": [\"x\" \"y\"]}}}";
    const JsonFault at_stop = locate_json_fault(json, json.find("\"y\""));
    EXPECT_TRUE(at_stop.what.empty());
    EXPECT_EQ(at_stop.record, "b-1-0.tar.bz2");
    EXPECT_EQ(locate_json_fault(json, json.find("{}")).record, "");
    const JsonFault truncated = locate_json_fault(json.substr(0, json.find("\"x\"")));
    EXPECT_EQ(truncated.record, "b-1-0.tar.bz2");
    EXPECT_EQ(truncated.what, "the file ends inside an object or a list (a truncated file?)");
    // Between two records (after the comma) no record is named.
    EXPECT_EQ(locate_json_fault(json.substr(0, json.find("\"b-1"))).record, "");
}

TEST(JsonFault, Utf8AndPositions) {
    EXPECT_EQ(first_invalid_utf8("plain ascii"), std::string_view::npos);
    EXPECT_EQ(first_invalid_utf8("caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80"),
              std::string_view::npos);
    EXPECT_EQ(first_invalid_utf8("ab\xff"), 2U);
    EXPECT_EQ(first_invalid_utf8("ab\xc3"), 2U);         // cut short
    EXPECT_EQ(first_invalid_utf8("\xc0\xaf"), 0U);       // overlong
    EXPECT_EQ(first_invalid_utf8("x\xed\xa0\x80"), 1U);  // a surrogate
    EXPECT_EQ(describe_position("ab\ncd", 4), "at line 2, column 2 (byte 4)");
    EXPECT_EQ(describe_position("ab\ncd", 0), "at line 1, column 1 (byte 0)");
    EXPECT_EQ(describe_position("ab", 2), "at the end of the file");
}

}  // namespace
}  // namespace cenv::specs

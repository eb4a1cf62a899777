#include "cli/table.hpp"

#include <gtest/gtest.h>

namespace cenv::cli {
namespace {

TEST(DisplayWidth, CountsWideCharactersTwice) {
    EXPECT_EQ(display_width("abc"), 3U);
    EXPECT_EQ(display_width("\xE5\xBC\xA0\xE4\xB8\x89"), 4U);  // 张三
    EXPECT_EQ(display_width("\xC3\xA9"), 1U);                  // é
    EXPECT_EQ(display_width(""), 0U);
}

TEST(RenderTable, AlignsColumnsByDisplayWidth) {
    const std::string table = render_table(
        {"Name", "Version"}, {{"\xE5\xBC\xA0\xE4\xB8\x89", "1.0"}, {"numpy", "1.26.4"}});
    const std::string rule = [] {
        std::string r = " ";
        for (int i = 0; i < 13; ++i) {
            r += "\u2500";
        }
        return r;
    }();
    EXPECT_EQ(table,
              " Name  Version\n" + rule + "\n \xE5\xBC\xA0\xE4\xB8\x89  1.0\n numpy 1.26.4\n");
}

TEST(FormatBytes, DecimalUnits) {
    EXPECT_EQ(format_bytes(0), "0 B");
    EXPECT_EQ(format_bytes(999), "999 B");
    EXPECT_EQ(format_bytes(1000), "1.0 KB");
    EXPECT_EQ(format_bytes(1'430'000'000), "1.4 GB");
}

}  // namespace
}  // namespace cenv::cli

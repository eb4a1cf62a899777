#include "util/file.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cenv::util {
namespace {

TEST(ReadFile, ReturnsWholeContent) {
    const auto path = std::filesystem::path(::testing::TempDir()) / "cenv_read_file_test.txt";
    {
        std::ofstream out(path, std::ios::binary);
        out << std::string(100000, 'x') << "end";
    }
    const std::string content = read_file(path);
    EXPECT_EQ(content.size(), 100003U);
    EXPECT_EQ(content.substr(content.size() - 3), "end");
    std::filesystem::remove(path);
}

TEST(ReadFile, MissingFileNamesThePath) {
    try {
        (void)read_file("/nonexistent/cenv/file.json");
        FAIL() << "expected IoError";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/cenv/file.json"), std::string::npos);
        EXPECT_FALSE(e.hint().empty());
    }
}

TEST(ReadFile, DirectoryIsAnError) {
    EXPECT_THROW((void)read_file("/tmp"), IoError);
}

}  // namespace
}  // namespace cenv::util

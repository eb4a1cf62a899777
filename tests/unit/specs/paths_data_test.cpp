// paths.json and legacy has_prefix parsing, on the real zlib package's info files.

#include "specs/paths_data.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "specs/error.hpp"

namespace cenv::specs {
namespace {

// info/paths.json and info/has_prefix of zlib-1.2.11-h7b6447c_3 (conda-format-repo).
constexpr const char* kZlibPaths = R"({
  "paths": [
    {"_path": "lib/libz.so", "path_type": "softlink",
     "sha256": "79aa69435cd17d98c25fbe1ac03aa6681b6edee04a5fb04c141ab1effcaa3c3f",
     "size_in_bytes": 133384},
    {"_path": "lib/pkgconfig/zlib.pc", "file_mode": "text", "path_type": "hardlink",
     "prefix_placeholder": "/opt/anaconda1anaconda2anaconda3",
     "sha256": "5613df6f1a56c1c3e0c2aa3da9284b51de9682882a6a9ba7af68a07745cb3aac",
     "size_in_bytes": 281}
  ],
  "paths_version": 1
})";

TEST(PathsJson, ReadsTypesModesAndSizes) {
    const PathsData data = parse_paths_json(kZlibPaths, "info/paths.json");
    ASSERT_EQ(data.paths.size(), 2U);
    EXPECT_EQ(data.paths[0].type, PathType::softlink);
    EXPECT_EQ(data.paths[0].file_mode, FileMode::none);
    EXPECT_EQ(data.paths[0].size_in_bytes, 133384U);
    EXPECT_EQ(data.paths[1].file_mode, FileMode::text);
    EXPECT_EQ(data.paths[1].prefix_placeholder, kDefaultPrefixPlaceholder);
    // Written back with the same keys and values.
    EXPECT_EQ(paths_data_to_json(data), nlohmann::json::parse(kZlibPaths));
}

TEST(PathsJson, ErrorsNameTheFileAndTheEntry) {
    try {
        (void)parse_paths_json(R"({"paths": [{"_path": "bin/x", "file_mode": "octal"}]})",
                               "pkgs/x-1-0/info/paths.json");
        FAIL() << "expected ParseError";
    } catch (const ParseError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("pkgs/x-1-0/info/paths.json"), std::string::npos);
        EXPECT_NE(what.find("bin/x"), std::string::npos);
        EXPECT_NE(what.find("octal"), std::string::npos);
    }
    EXPECT_THROW((void)parse_paths_json("{", "p.json"), ParseError);
    EXPECT_THROW((void)parse_paths_json(R"({"paths": [{}]})", "p.json"), ParseError);
}

TEST(LegacyPaths, HasPrefixLinesInBothShapes) {
    const PathsData data =
        paths_from_legacy("bin/tool\nlib/libx.so\nshare/x.pc\nshare/with space.txt\n",
                          "share/x.pc\n/opt/build_placehold binary lib/libx.so\n"
                          "\"/opt/anaconda1anaconda2anaconda3\" text \"share/with space.txt\"\n",
                          "bin/tool\n", "info/has_prefix");
    ASSERT_EQ(data.paths.size(), 4U);
    EXPECT_TRUE(data.paths[0].no_link);
    EXPECT_EQ(data.paths[1].file_mode, FileMode::binary);
    EXPECT_EQ(data.paths[1].prefix_placeholder, "/opt/build_placehold");
    EXPECT_EQ(data.paths[2].file_mode, FileMode::text);
    EXPECT_EQ(data.paths[2].prefix_placeholder, kDefaultPrefixPlaceholder);
    EXPECT_EQ(data.paths[3].file_mode, FileMode::text);  // quoted in has_prefix
    EXPECT_THROW((void)paths_from_legacy("a\n", "x y\n", "", "info/has_prefix"), ParseError);
}

}  // namespace
}  // namespace cenv::specs

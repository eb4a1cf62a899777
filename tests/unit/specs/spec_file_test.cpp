// Spec files (`--file`): spec lists and @EXPLICIT files, on the real ones from conda, mamba
// and rattler (../shared/fixtures/environments).

#include "specs/spec_file.hpp"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "specs/error.hpp"
#include "util/file.hpp"

namespace cenv::specs {
namespace {

const std::filesystem::path kEnvs = std::filesystem::path(CENV_FIXTURES_DIR) / "environments";

SpecFile read(const std::string& rel) {
    return parse_spec_file(util::read_file(kEnvs / rel), rel);
}

/// The message of the ParseError that parsing `text` throws.
std::string error_of(std::string_view text, std::string* hint = nullptr) {
    try {
        (void)parse_spec_file(text, "env.txt");
    } catch (const ParseError& e) {
        if (hint != nullptr) {
            *hint = e.hint();
        }
        return e.what();
    }
    return "no error";
}

TEST(SpecFile, ExplicitWithMd5Fragments) {
    const SpecFile file = read("micromamba-tests/explicit_env_linux.txt");
    EXPECT_TRUE(file.is_explicit);
    EXPECT_EQ(file.platform, "linux-64");
    ASSERT_EQ(file.packages.size(), 15U);
    const ExplicitPackage& first = file.packages.front();
    EXPECT_EQ(first.url,
              "https://repo.anaconda.com/pkgs/main/linux-64/_libgcc_mutex-0.1-main.conda");
    EXPECT_EQ(first.md5, "c3473ff8bdb3d124ed5ff11ec380d6f9");
    EXPECT_EQ(first.sha256, "");
    EXPECT_EQ(first.line, 6U);
    EXPECT_EQ(file.packages[5].line, 12U);  // after the comment line

    const PackageRecord python = file.packages.back().record();
    EXPECT_EQ(python.name, "python");
    EXPECT_EQ(python.version, "3.9.5");
    EXPECT_EQ(python.build, "hdb3f193_3");
    EXPECT_EQ(python.subdir, "linux-64");
    EXPECT_EQ(python.channel, "defaults");
    EXPECT_EQ(python.fn, "python-3.9.5-hdb3f193_3.conda");
    EXPECT_EQ(python.md5, "9165a5c5112ebaa60d9a589f5c7c83cb");
}

TEST(SpecFile, ExplicitWithoutHashesAndWithBlankLines) {
    const SpecFile osx = read("micromamba-tests/explicit_env_osx.txt");
    EXPECT_EQ(osx.platform, "osx-64");
    ASSERT_EQ(osx.packages.size(), 16U);
    EXPECT_EQ(osx.packages[0].md5, "");
    const SpecFile ros = read("rattler-explicit-envs/ros-noetic_linux-64.txt");
    EXPECT_EQ(ros.packages.size(), 568U);
    const SpecFile tars = read("rattler-explicit-envs/xtensor_linux-64.txt");
    const PackageRecord xtensor = tars.packages.back().record();
    EXPECT_EQ(xtensor.name, "xtensor");
    EXPECT_EQ(xtensor.channel, "conda-forge");
    EXPECT_EQ(xtensor.fn, "xtensor-0.21.8-hc9558a2_0.tar.bz2");
    EXPECT_EQ(read("rattler-python/explicit-env-linux-64.txt").packages.size(), 22U);
}

TEST(SpecFile, CommentBeforeExplicit) {
    const SpecFile file = read("conda-env-support/explicit.txt");
    EXPECT_TRUE(file.is_explicit);
    ASSERT_EQ(file.packages.size(), 2U);
    EXPECT_EQ(file.packages[1].record().name, "ca-certificates");
}

TEST(SpecFile, SpecLists) {
    const SpecFile one = read("micromamba-tests/spec_file_1.txt");
    EXPECT_FALSE(one.is_explicit);
    EXPECT_EQ(one.specs, (std::vector<std::string>{"xtensor >=0.20", "xsimd"}));
    EXPECT_EQ(read("conda-env-support/requirements.txt").specs,
              std::vector<std::string>{"conda-package-handling==2.2.0"});
    const SpecFile arrow = read("mamba-env-file/apache_arrow_conda_env_sphinx.txt");
    EXPECT_EQ(arrow.specs.size(), 17U);
    EXPECT_EQ(arrow.specs[7], "pydata-sphinx-theme=0.16");
}

TEST(SpecFile, Sha256Fragments) {
    const std::string sha = std::string(64, 'a');
    const SpecFile file = parse_spec_file(
        "@EXPLICIT\n"
        "https://h/c/noarch/a-1-0.conda#sha256:" +
            sha + "\nhttps://h/c/noarch/b-1-0.conda#" + std::string(64, 'B') +
            "\n/srv/chan/linux-64/c-2.0-h_1.tar.bz2\n",
        "env.txt");
    ASSERT_EQ(file.packages.size(), 3U);
    EXPECT_EQ(file.packages[0].sha256, sha);
    EXPECT_EQ(file.packages[1].sha256, std::string(64, 'b'));
    EXPECT_EQ(file.packages[2].url, "file:///srv/chan/linux-64/c-2.0-h_1.tar.bz2");
    EXPECT_EQ(file.packages[2].record().channel, "file:///srv/chan");
}

TEST(SpecFile, ErrorsNameFileLineAndColumn) {
    std::string hint;
    EXPECT_EQ(error_of("@EXPLICIT\n  numpy>=1.20\n", &hint),
              "env.txt:2:3: 'numpy>=1.20' is not a package URL");
    EXPECT_NE(hint.find("one package URL per line"), std::string::npos);
    EXPECT_EQ(error_of("@EXPLICIT\nhttps://h/c/noarch/a-1-0.conda#abc\n"),
              "env.txt:2:31: '#abc' is neither an md5 (32 hex digits) nor a sha256 (64 hex "
              "digits, optionally after 'sha256:')");
    EXPECT_EQ(error_of("numpy\n@EXPLICIT\n"), "env.txt:2:1: @EXPLICIT follows the spec 'numpy'");
    EXPECT_EQ(error_of("@EXPLICIT\nhttps://h/c/noarch/a-1.conda\n"),
              "env.txt:2:1: package file \"https://h/c/noarch/a-1.conda\" is not named "
              "name-version-build");
    EXPECT_EQ(error_of("@EXPLICIT\ns3://bucket/noarch/a-1-0.conda\n"),
              "env.txt:2:1: 's3://bucket/noarch/a-1-0.conda': only http://, https:// and "
              "file:// URLs can be installed");
    const std::string bad_spec = error_of("# list\nnumpy >=1.2\nscipy >>1\n");
    EXPECT_EQ(bad_spec.rfind("env.txt:3:1: ", 0), 0U) << bad_spec;
    EXPECT_NE(bad_spec.find(">>1"), std::string::npos) << bad_spec;
}

TEST(SpecFile, ExplicitTextRoundTrip) {
    std::vector<PackageRecord> records(2);
    records[0].name = "python";
    records[0].depends = {"zlib >=1.2"};
    records[0].url = "https://conda.anaconda.org/conda-forge/linux-64/python-3.11.7-h_0.conda";
    records[0].md5 = std::string(32, 'a');
    records[0].sha256 = std::string(64, 'b');
    records[1].name = "zlib";
    records[1].url = "file:///srv/chan/linux-64/zlib-1.3-h_1.tar.bz2";
    records[1].md5 = std::string(32, 'c');

    const std::string md5 = explicit_file_text(records, "linux-64", ExplicitHash::md5);
    EXPECT_EQ(md5.substr(md5.find("# platform")),
              "# platform: linux-64\n@EXPLICIT\n"
              "file:///srv/chan/linux-64/zlib-1.3-h_1.tar.bz2#" +
                  std::string(32, 'c') + "\n" + records[0].url + "#" + std::string(32, 'a') + "\n");
    const SpecFile back = parse_spec_file(md5, "x.txt");
    ASSERT_EQ(back.packages.size(), 2U);
    EXPECT_EQ(back.platform, "linux-64");
    EXPECT_EQ(back.packages[1].url, records[0].url);
    EXPECT_EQ(back.packages[1].md5, records[0].md5);

    const SpecFile sha =
        parse_spec_file(explicit_file_text(records, "linux-64", ExplicitHash::sha256), "x.txt");
    EXPECT_EQ(sha.packages[1].sha256, std::string(64, 'b'));
    EXPECT_EQ(sha.packages[0].sha256, "");  // zlib's record has none: no fragment
    EXPECT_EQ(sha.packages[0].md5, "");
    EXPECT_EQ(parse_spec_file(explicit_file_text(records, "linux-64", ExplicitHash::none), "x")
                  .packages[0]
                  .md5,
              "");
}

}  // namespace
}  // namespace cenv::specs

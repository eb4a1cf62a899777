#include "specs/channel_spec.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "specs/error.hpp"

namespace cenv::specs {
namespace {

TEST(ChannelSpec, DefaultIsEveryChannel) {
    const ChannelSpec any;
    EXPECT_TRUE(any.matches_all());
    EXPECT_FALSE(any.is_exact());
    EXPECT_EQ(any.str(), "*");
    EXPECT_TRUE(any.contains("conda-forge"));
    EXPECT_TRUE(any.contains(""));
}

TEST(ChannelSpec, Names) {
    const ChannelSpec forge = ChannelSpec::parse("conda-forge");
    EXPECT_EQ(forge.kind(), ChannelSpec::Kind::name);
    EXPECT_TRUE(forge.is_exact());
    EXPECT_EQ(forge.location(), "conda-forge");
    EXPECT_EQ(forge.subdir(), "");
    EXPECT_EQ(forge.str(), "conda-forge");

    const ChannelSpec label = ChannelSpec::parse("conda-forge/label/dev");
    EXPECT_EQ(label.location(), "conda-forge/label/dev");
    EXPECT_EQ(label.subdir(), "");
}

TEST(ChannelSpec, AKnownSubdirAtTheEndIsTheSubdir) {
    const ChannelSpec spec = ChannelSpec::parse("conda-forge/linux-64");
    EXPECT_EQ(spec.location(), "conda-forge");
    EXPECT_EQ(spec.subdir(), "linux-64");
    EXPECT_EQ(spec.str(), "conda-forge/linux-64");
    EXPECT_EQ(spec.without_subdir().str(), "conda-forge");

    EXPECT_EQ(ChannelSpec::parse("conda-forge/label/dev/noarch").location(),
              "conda-forge/label/dev");
    EXPECT_EQ(ChannelSpec::parse("conda-forge/label/dev/noarch").subdir(), "noarch");
    // Not a known subdir: part of the name.
    EXPECT_EQ(ChannelSpec::parse("mychan/linux").location(), "mychan/linux");
    EXPECT_EQ(ChannelSpec::parse("mychan/linux").subdir(), "");
    // A subdir alone is a channel name.
    EXPECT_EQ(ChannelSpec::parse("linux-64").location(), "linux-64");
}

TEST(ChannelSpec, BaseUrl) {
    EXPECT_EQ(channel_base_url("https://conda.anaconda.org/conda-forge/linux-64"),
              "https://conda.anaconda.org/conda-forge");
    EXPECT_EQ(channel_base_url("https://repo.anaconda.com/pkgs/main/noarch/"),
              "https://repo.anaconda.com/pkgs/main");
    EXPECT_EQ(channel_base_url("file:///srv/chan/linux-64"), "file:///srv/chan");
    EXPECT_EQ(channel_base_url("conda-forge"), "https://conda.anaconda.org/conda-forge");
    EXPECT_EQ(channel_base_url("conda-forge/label/dev"),
              "https://conda.anaconda.org/conda-forge/label/dev");
    EXPECT_EQ(channel_base_url("defaults"), "https://repo.anaconda.com/pkgs/main");
}

TEST(ChannelSpec, DefaultChannelsAreDefaults) {
    // conda's default configuration: default_channels = pkgs/main, pkgs/r.
    EXPECT_EQ(ChannelSpec::parse("pkgs/main").str(), "defaults");
    EXPECT_EQ(ChannelSpec::parse("pkgs/r").str(), "defaults");
    EXPECT_EQ(ChannelSpec::parse("defaults").str(), "defaults");
    EXPECT_EQ(ChannelSpec::parse("pkgs/main/linux-64").str(), "defaults/linux-64");
    EXPECT_EQ(ChannelSpec::parse("defaults/win-32").str(), "defaults/win-32");
    // pkgs/free is no longer a default channel.
    EXPECT_EQ(ChannelSpec::parse("pkgs/free").str(), "pkgs/free");
}

TEST(ChannelSpec, UrlsAreKept) {
    const ChannelSpec url = ChannelSpec::parse("https://repo.anaconda.com/pkgs/free/osx-64/");
    EXPECT_EQ(url.kind(), ChannelSpec::Kind::url);
    EXPECT_EQ(url.location(), "https://repo.anaconda.com/pkgs/free");
    EXPECT_EQ(url.subdir(), "osx-64");
    EXPECT_EQ(ChannelSpec::parse("https://repo.anaconda.com/pkgs/main").str(),
              "https://repo.anaconda.com/pkgs/main");
    EXPECT_EQ(ChannelSpec::parse("http://localhost:8000/chan/").str(),
              "http://localhost:8000/chan");
    EXPECT_EQ(ChannelSpec::parse("file:///srv/channel/noarch").str(), "file:///srv/channel/noarch");
    EXPECT_EQ(ChannelSpec::parse("file:///srv/channel/noarch").location(), "file:///srv/channel");
}

TEST(ChannelSpec, LocalPathsBecomeFileUrls) {
    EXPECT_EQ(ChannelSpec::parse("/srv/my channel").str(), "file:///srv/my channel");
    EXPECT_EQ(ChannelSpec::parse("/srv/chan/linux-64").location(), "file:///srv/chan");
    const std::string cwd = std::filesystem::current_path().lexically_normal().generic_string();
    EXPECT_EQ(ChannelSpec::parse("./local-chan").str(), "file://" + cwd + "/local-chan");
    const char* home = std::getenv("HOME");
    if (home != nullptr && std::string(home).starts_with('/')) {
        const std::string expected =
            std::filesystem::path(home).lexically_normal().generic_string() + "/chan";
        EXPECT_EQ(ChannelSpec::parse("~/chan").str(), "file://" + expected);
    }
}

TEST(ChannelSpec, Patterns) {
    const ChannelSpec star_subdir = ChannelSpec::parse("*/linux-32");
    EXPECT_TRUE(star_subdir.matches_all());
    EXPECT_EQ(star_subdir.subdir(), "linux-32");

    const ChannelSpec glob = ChannelSpec::parse("conda-*");
    EXPECT_EQ(glob.kind(), ChannelSpec::Kind::pattern);
    EXPECT_FALSE(glob.is_exact());
    EXPECT_FALSE(glob.matches_all());
    EXPECT_TRUE(glob.contains("conda-forge"));
    EXPECT_TRUE(glob.contains("https://conda.anaconda.org/conda-canary/linux-64"));
    EXPECT_FALSE(glob.contains("bioconda"));

    const ChannelSpec regex = ChannelSpec::parse("^(conda-forge|bioconda)$");
    EXPECT_TRUE(regex.contains("bioconda"));
    EXPECT_FALSE(regex.contains("pytorch"));
}

TEST(ChannelSpec, ContainsAsCondasChannelMatch) {
    // conda's tests/models/test_match_spec.py::test_channel_matching
    EXPECT_FALSE(ChannelSpec::parse("https://repo.anaconda.com/pkgs/main").contains("defaults"));
    EXPECT_TRUE(ChannelSpec::parse("defaults").contains("https://repo.anaconda.com/pkgs/main"));
    EXPECT_TRUE(
        ChannelSpec::parse("https://conda.anaconda.org/conda-forge").contains("conda-forge"));
    EXPECT_TRUE(
        ChannelSpec::parse("conda-forge").contains("https://conda.anaconda.org/conda-forge"));
    EXPECT_FALSE(ChannelSpec::parse("https://repo.anaconda.com/pkgs/main").contains("conda-forge"));

    // `defaults` takes in its members, in any written form.
    const ChannelSpec defaults = ChannelSpec::parse("defaults");
    EXPECT_TRUE(defaults.contains("defaults"));
    EXPECT_TRUE(defaults.contains("pkgs/main"));
    EXPECT_TRUE(defaults.contains("pkgs/r"));
    EXPECT_TRUE(defaults.contains("https://repo.anaconda.com/pkgs/r/noarch"));
    EXPECT_FALSE(defaults.contains("pkgs/free"));
    EXPECT_FALSE(defaults.contains("conda-forge"));

    // A name matches the channel's name under any host, with or without subdir.
    const ChannelSpec forge = ChannelSpec::parse("conda-forge");
    EXPECT_TRUE(forge.contains("conda-forge"));
    EXPECT_TRUE(forge.contains("https://conda.anaconda.org/conda-forge/linux-64/"));
    EXPECT_TRUE(forge.contains("https://conda.anaconda.org/t/abc-123/conda-forge"));
    EXPECT_FALSE(forge.contains("bioconda"));
    EXPECT_FALSE(forge.contains("conda-forge/label/dev"));
    EXPECT_FALSE(forge.contains(""));

    // Any other URL matches the same host and path only.
    const ChannelSpec local = ChannelSpec::parse("https://example.com/pkgs/main");
    EXPECT_TRUE(local.contains("https://example.com/pkgs/main/linux-64"));
    EXPECT_TRUE(local.contains("http://example.com/pkgs/main"));
    EXPECT_FALSE(local.contains("https://repo.anaconda.com/pkgs/main"));
    EXPECT_FALSE(local.contains("pkgs/main"));
    EXPECT_FALSE(local.contains("defaults"));
}

TEST(ChannelSpec, CanonicalName) {
    EXPECT_EQ(canonical_channel_name("https://conda.anaconda.org/conda-forge"), "conda-forge");
    EXPECT_EQ(canonical_channel_name("https://conda.anaconda.org/conda-forge/linux-64/"),
              "conda-forge");
    EXPECT_EQ(canonical_channel_name("https://conda.anaconda.org/conda-forge/label/dev"),
              "conda-forge/label/dev");
    EXPECT_EQ(canonical_channel_name("https://repo.anaconda.com/pkgs/main/linux-64"), "defaults");
    EXPECT_EQ(canonical_channel_name("https://repo.anaconda.com/pkgs/r"), "defaults");
    EXPECT_EQ(canonical_channel_name("https://repo.anaconda.com/pkgs/free"),
              "https://repo.anaconda.com/pkgs/free");
    EXPECT_EQ(canonical_channel_name("pkgs/main"), "defaults");
    EXPECT_EQ(canonical_channel_name("conda-forge/osx-arm64"), "conda-forge");
    EXPECT_EQ(canonical_channel_name("file:///srv/chan/noarch"), "file:///srv/chan");
}

TEST(ChannelSpec, UrlHelpers) {
    EXPECT_TRUE(has_url_scheme("https://x"));
    EXPECT_TRUE(has_url_scheme("file:///x"));
    EXPECT_TRUE(has_url_scheme("s3://bucket/chan"));
    EXPECT_FALSE(has_url_scheme("conda-forge"));
    EXPECT_FALSE(has_url_scheme("/srv/chan"));
    EXPECT_FALSE(has_url_scheme("://x"));
    EXPECT_TRUE(is_package_file("numpy-1.2-0.conda"));
    EXPECT_TRUE(is_package_file("/x/numpy-1.2-0.tar.bz2"));
    EXPECT_FALSE(is_package_file("numpy-1.2-0.tar"));
    EXPECT_EQ(path_to_file_url("/some/file/on/disk/package-1.2.3-2.tar.bz2"),
              "file:///some/file/on/disk/package-1.2.3-2.tar.bz2");
}

TEST(ChannelSpec, PackageUrls) {
    // conda's test_parse_spec_str_tarball_url
    const PackageUrl main = parse_package_url(
        "https://repo.anaconda.com/pkgs/main/linux-64/_license-1.1-py27_1.tar.bz2");
    EXPECT_EQ(main.channel, "defaults");
    EXPECT_EQ(main.subdir, "linux-64");
    EXPECT_EQ(main.filename, "_license-1.1-py27_1.tar.bz2");
    EXPECT_EQ(main.name, "_license");
    EXPECT_EQ(main.version, "1.1");
    EXPECT_EQ(main.build, "py27_1");

    const PackageUrl canary = parse_package_url(
        "https://conda.anaconda.org/conda-canary/linux-64/"
        "conda-4.3.21.post699+1dab973-py36h4a561cd_0.conda");
    EXPECT_EQ(canary.channel, "conda-canary");
    EXPECT_EQ(canary.version, "4.3.21.post699+1dab973");
    EXPECT_EQ(canary.build, "py36h4a561cd_0");

    // No subdir before the file: not a channel.
    const PackageUrl loose = parse_package_url(
        "https://conda.anaconda.org/conda-canary/"
        "conda-4.3.21.post699+1dab973-py36h4a561cd_0.tar.bz2");
    EXPECT_EQ(loose.channel, "");
    EXPECT_EQ(loose.subdir, "");
    EXPECT_EQ(loose.filename, "conda-4.3.21.post699+1dab973-py36h4a561cd_0.tar.bz2");

    // Percent-encoding is undone in the file name (conda's test_url_percent_encoding).
    const PackageUrl encoded = parse_package_url(
        "https://anaconda.org/conda-forge/linux-64/x264-1%21164.3095-h166bdaf_2.tar.bz2");
    EXPECT_EQ(encoded.version, "1!164.3095");
    EXPECT_EQ(encoded.url,
              "https://anaconda.org/conda-forge/linux-64/x264-1%21164.3095-h166bdaf_2.tar.bz2");

    const PackageUrl path = parse_package_url("/srv/chan/noarch/six-1.16.0-pyhd3eb1b0_1.conda");
    EXPECT_EQ(path.url, "file:///srv/chan/noarch/six-1.16.0-pyhd3eb1b0_1.conda");
    EXPECT_EQ(path.channel, "file:///srv/chan");
    EXPECT_EQ(path.subdir, "noarch");
}

TEST(ChannelSpec, ErrorsNameTheInput) {
    for (const char* text :
         {"", "conda forge", "conda-forge[x]", "a:b", "https://x/chan/linux-64/pkg-1-0.conda"}) {
        try {
            (void)ChannelSpec::parse(text);
            ADD_FAILURE() << "expected a ParseError for '" << text << "'";
        } catch (const ParseError& e) {
            EXPECT_NE(std::string(e.what()).find('"' + std::string(text) + '"'), std::string::npos)
                << e.what();
            EXPECT_FALSE(e.hint().empty());
        }
    }
    try {
        (void)ChannelSpec::parse("conda forge");
    } catch (const ParseError& e) {
        EXPECT_NE(std::string(e.what()).find("position 6"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)parse_package_url("https://x/linux-64/numpy.conda"), ParseError);
    EXPECT_THROW((void)parse_package_url("https://x/linux-64/numpy-1.0.conda"), ParseError);
    EXPECT_THROW((void)parse_package_url("https://x/linux-64/numpy-1.0-0.zip"), ParseError);
}

}  // namespace
}  // namespace cenv::specs

// Found by tests/fuzz/match_spec_fuzz: the extension ends the text but not the file name
// (here the URL's host swallows it), which once read past the name.
TEST(ParsePackageUrl, ExtensionOutsideTheFileNameIsAnError) {
    EXPECT_THROW(
        (void)cenv::specs::parse_package_url(
            "file://'var'f\xff\xff\xff\xff\xff\xff\xff\x02p-py35_2defaul.4ar.y35_2defaul.tar.bz2"),
        cenv::specs::ParseError);
    EXPECT_THROW((void)cenv::specs::parse_package_url("https://example.com/x.tar.bz2?a=b.conda"),
                 cenv::specs::ParseError);
}

// Found by tests/fuzz/match_spec_fuzz: a bare scheme once threw out of a noexcept split.
TEST(ChannelSpecParse, BareSchemeDoesNotCrash) {
    for (const char* text : {"file://", "https://", "file:///"}) {
        try {
            (void)cenv::specs::ChannelSpec::parse(text);
        } catch (const cenv::specs::ParseError&) {
        }
    }
}

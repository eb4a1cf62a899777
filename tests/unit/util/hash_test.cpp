#include "util/hash.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "util/file.hpp"

namespace cenv::util {
namespace {

namespace fs = std::filesystem;

std::string digest(HashAlgorithm algorithm, std::string_view text) {
    Hasher hasher(algorithm);
    hasher.update(text);
    return hasher.hex_digest();
}

TEST(Hash, KnownVectors) {
    EXPECT_EQ(digest(HashAlgorithm::md5, ""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(digest(HashAlgorithm::md5, "abc"), "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_EQ(digest(HashAlgorithm::sha256, "abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Hash, IncrementalEqualsWhole) {
    Hasher hasher(HashAlgorithm::sha256);
    hasher.update("a");
    hasher.update("bc");
    EXPECT_EQ(hasher.hex_digest(), digest(HashAlgorithm::sha256, "abc"));
    EXPECT_THROW(hasher.update("more"), Error);  // ended
}

TEST(Hash, FileDigestsOfARealPackage) {
    // Checksums from PROVENANCE.md (they match rattler's snapshot).
    const auto d = file_digests(fs::path(CENV_FIXTURES_DIR) /
                                "packages/rattler-package-streaming/"
                                "ca-certificates-2024.7.4-hbcca054_0.conda");
    EXPECT_EQ(d.size, 155705u);
    EXPECT_EQ(d.md5, "a1d1adb5a5dc516dfb3dccc7b9b574a9");
    EXPECT_EQ(d.sha256, "6a5d6d8a1a7552dbf8c617312ef951a77d2dac09f2aeaba661deebce603a7a97");
}

TEST(Hash, MissingFileNamesThePath) {
    try {
        (void)file_digests("/nonexistent/cenv-hash-test");
        FAIL();
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/cenv-hash-test"), std::string::npos);
    }
}

}  // namespace
}  // namespace cenv::util

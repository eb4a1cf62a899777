#include "install/environments_file.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace cenv::install {
namespace {

class EnvironmentsFile : public ::testing::Test {
  protected:
    void SetUp() override {
        const char* home = std::getenv("HOME");
        saved_ = home != nullptr ? home : "";
        ::setenv("HOME", scratch_.path().c_str(), 1);
    }
    void TearDown() override { ::setenv("HOME", saved_.c_str(), 1); }
    test::ScratchDir scratch_;
    std::string saved_;
};

TEST_F(EnvironmentsFile, RegisteredOnceAndRemovedAgain) {
    EXPECT_EQ(environments_file(), scratch_.path() / ".conda/environments.txt");
    EXPECT_TRUE(register_environment("/envs/a"));
    EXPECT_TRUE(register_environment("/envs/b/"));
    EXPECT_TRUE(register_environment("/envs/a"));
    EXPECT_EQ(test::slurp(environments_file()), "/envs/a\n/envs/b/\n");
    EXPECT_TRUE(unregister_environment("/envs/a"));
    EXPECT_FALSE(unregister_environment("/envs/a"));
    EXPECT_EQ(test::slurp(environments_file()), "/envs/b/\n");
}

TEST_F(EnvironmentsFile, CondasOwnLinesAreKept) {
    std::filesystem::create_directories(scratch_.path() / ".conda");
    test::spit(environments_file(), "/opt/conda\r\n/opt/conda/envs/x\n");
    EXPECT_TRUE(register_environment("/opt/conda/envs/x"));
    EXPECT_TRUE(register_environment("/home/u/.cenv/envs/t"));
    EXPECT_EQ(test::slurp(environments_file()),
              "/opt/conda\r\n/opt/conda/envs/x\n/home/u/.cenv/envs/t\n");
}

}  // namespace
}  // namespace cenv::install

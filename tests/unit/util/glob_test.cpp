#include "util/glob.hpp"

#include <gtest/gtest.h>

namespace cenv::util {
namespace {

TEST(GlobMatch, StarMatchesAnyRun) {
    EXPECT_TRUE(glob_match("*cuda*", "py3.10_cuda12.1_cudnn8.9.2_0"));
    EXPECT_TRUE(glob_match("py310_*", "py310_0"));
    EXPECT_TRUE(glob_match("*", ""));
    EXPECT_TRUE(glob_match("a*b*c", "aXXbYYc"));
    EXPECT_FALSE(glob_match("*cuda*", "py3.10_cpu_0"));
    EXPECT_FALSE(glob_match("py310_*", "py39_0"));
    EXPECT_FALSE(glob_match("abc", "abcd"));
    EXPECT_FALSE(glob_match("a*b*c", "aXXbYY"));
}

TEST(GlobMatch, BacktracksPastAFalseStart) {
    EXPECT_TRUE(glob_match("*ab", "aab"));
    EXPECT_TRUE(glob_match("*a*ab", "xaxaab"));
}

TEST(GlobMatch, FoldsTextCaseOnlyWhenAsked) {
    EXPECT_FALSE(glob_match("*mkl*", "BLAS_MKL"));
    EXPECT_TRUE(glob_match("*mkl*", "BLAS_MKL", true));
}

}  // namespace
}  // namespace cenv::util

#include "util/redact.hpp"

#include <gtest/gtest.h>

namespace cenv::util {
namespace {

TEST(RedactUrl, TokenSegmentIsHidden) {
    EXPECT_EQ(redact_url("https://conda.anaconda.org/t/tk-123abc/my-channel/linux-64"),
              "https://conda.anaconda.org/t/<TOKEN>/my-channel/linux-64");
}

TEST(RedactUrl, PasswordIsHiddenUserKept) {
    EXPECT_EQ(redact_url("https://alice:s3cret@repo.example.com/conda"),
              "https://alice:<PASSWORD>@repo.example.com/conda");
    EXPECT_EQ(redact_url("https://alice@repo.example.com/conda"),
              "https://alice@repo.example.com/conda");
}

TEST(RedactUrl, EveryUrlInAMessage) {
    EXPECT_EQ(redact_url("'https://h/t/abc/c' and 'http://u:p@h/x'"),
              "'https://h/t/<TOKEN>/c' and 'http://u:<PASSWORD>@h/x'");
}

TEST(RedactUrl, PlainUrlsUnchanged) {
    for (const char* url : {"https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud/conda-forge",
                            "file:///srv/chan", "conda-forge", "/t/"}) {
        EXPECT_EQ(redact_url(url), url);
    }
}

}  // namespace
}  // namespace cenv::util

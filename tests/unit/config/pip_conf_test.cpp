#include "config/pip_conf.hpp"

#include <gtest/gtest.h>

#include "config/rc_file.hpp"
#include "temp_home.hpp"
#include "util/file.hpp"

namespace cenv::config {
namespace {

Settings with(const char* rc) {
    Settings settings;
    settings.apply(parse_rc(rc, "rc"));
    return settings;
}

TEST(PipConf, NothingWithoutAnIndex) {
    EXPECT_EQ(pip_conf_text(Settings()), "");
}

TEST(PipConf, IndexAndTrustedHosts) {
    const auto s = with(
        "pip_index_url: https://pypi.tuna.tsinghua.edu.cn/simple\n"
        "pip_trusted_host: [pypi.tuna.tsinghua.edu.cn, mirrors.aliyun.com]\n");
    const std::string text = pip_conf_text(s);
    EXPECT_NE(text.find("[global]\nindex-url = https://pypi.tuna.tsinghua.edu.cn/simple\n"
                        "trusted-host = pypi.tuna.tsinghua.edu.cn\n    mirrors.aliyun.com\n"),
              std::string::npos)
        << text;
}

TEST(PipConf, WrittenIntoThePrefixButNeverOverAUsersFile) {
    testing::TempHome home;
    const auto s = with("pip_index_url: https://mirrors.aliyun.com/pypi/simple/\n");
    const auto prefix = home.dir() / "env";
    EXPECT_TRUE(write_pip_conf(prefix, s));
    EXPECT_NE(util::read_file(prefix / "pip.conf").find("index-url = https://mirrors.aliyun.com"),
              std::string::npos);
    home.write("env/pip.conf", "[global]\nindex-url = https://mine/simple\n");
    EXPECT_FALSE(write_pip_conf(prefix, s));
    EXPECT_EQ(util::read_file(prefix / "pip.conf"), "[global]\nindex-url = https://mine/simple\n");
}

}  // namespace
}  // namespace cenv::config

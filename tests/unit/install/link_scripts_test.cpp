#include "install/link_scripts.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace cenv::install {
namespace {

namespace fs = std::filesystem;

specs::PackageRecord pkg() {
    specs::PackageRecord r;
    r.name = "demo";
    r.version = "1.2";
    r.build = "h_0";
    r.build_number = 7;
    return r;
}

TEST(LinkScripts, PostLinkRunsActivatedWithCondasVariables) {
    test::ScratchDir scratch;
    const fs::path prefix = scratch.path() / "env";
    fs::create_directories(prefix / "bin");
    fs::create_directories(prefix / "etc/conda/activate.d");
    test::spit(prefix / "etc/conda/activate.d/demo.sh", "export DEMO_ACTIVATED=yes\n");
    test::spit(link_script_path(prefix, pkg(), LinkScript::post_link),
               "echo \"$PKG_NAME $PKG_VERSION $PKG_BUILDNUM $DEMO_ACTIVATED $(pwd)\" >> "
               "\"$PREFIX/.messages.txt\"\n"
               "echo \"root=$ROOT_PREFIX prefix=$CONDA_PREFIX\"\n"
               "return 0\n");
    const auto run = run_link_script(prefix, pkg(), LinkScript::post_link, "/root-prefix");
    ASSERT_TRUE(run);
    EXPECT_EQ(run->exit_code, 0) << run->err;
    EXPECT_EQ(run->messages, "demo 1.2 7 yes " + (prefix / "bin").string() + "\n");
    EXPECT_EQ(run->out, "root=/root-prefix prefix=" + prefix.string() + "\n");
    EXPECT_FALSE(fs::exists(prefix / ".messages.txt"));
}

TEST(LinkScripts, FailuresAndMissingScripts) {
    test::ScratchDir scratch;
    const fs::path prefix = scratch.path() / "env";
    fs::create_directories(prefix / "bin");
    EXPECT_FALSE(run_link_script(prefix, pkg(), LinkScript::pre_unlink, "/r"));
    test::spit(link_script_path(prefix, pkg(), LinkScript::pre_unlink), "echo going >&2\nexit 3\n");
    const auto run = run_link_script(prefix, pkg(), LinkScript::pre_unlink, "/r");
    ASSERT_TRUE(run);
    EXPECT_EQ(run->exit_code, 3);
    EXPECT_NE(run->err.find("going"), std::string::npos);
    EXPECT_EQ(link_script_path(prefix, pkg(), LinkScript::pre_unlink),
              prefix / "bin/.demo-pre-unlink.sh");
}

}  // namespace
}  // namespace cenv::install

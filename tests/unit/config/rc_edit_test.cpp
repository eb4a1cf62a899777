#include "config/rc_edit.hpp"

#include <gtest/gtest.h>

#include "config/error.hpp"
#include "config/rc_file.hpp"
#include "temp_home.hpp"
#include "util/file.hpp"

namespace cenv::config {
namespace {

const std::string kFile =
    "# my settings\n"
    "channels:\n"
    "  # first choice\n"
    "  - conda-forge\n"
    "  - bioconda\n"
    "\n"
    "# kept for another tool\n"
    "auto_activate_base: false\n"
    "offline: false  # offline at home only\n";

TEST(RcEdit, AppendKeepsOtherLinesAndComments) {
    const std::string out = apply_edit(kFile, "rc", {EditOp::append, "channels", "pytorch"});
    EXPECT_EQ(out,
              "# my settings\n"
              "# first choice\n"
              "channels:\n"
              "  - conda-forge\n"
              "  - bioconda\n"
              "  - pytorch\n"
              "\n"
              "# kept for another tool\n"
              "auto_activate_base: false\n"
              "offline: false  # offline at home only\n");
}

TEST(RcEdit, PrependMovesAnExistingItemToTheFront) {
    const auto layer =
        parse_rc(apply_edit(kFile, "rc", {EditOp::prepend, "channels", "bioconda"}), "rc");
    EXPECT_EQ(layer.settings[0].second.value.list,
              (std::vector<std::string>{"bioconda", "conda-forge"}));
}

TEST(RcEdit, SetScalarReplacesOnlyItsLine) {
    const std::string out = apply_edit(kFile, "rc", {EditOp::set, "offline", "yes"});
    EXPECT_NE(out.find("offline: true\n"), std::string::npos) << out;
    EXPECT_NE(out.find("auto_activate_base: false\n"), std::string::npos);
    EXPECT_EQ(out.find("offline: false"), std::string::npos);
}

TEST(RcEdit, SetNewKeyIsAddedAtTheEnd) {
    const std::string out =
        apply_edit("channels: [a]", "rc", {EditOp::set, "download_threads", "8"});
    EXPECT_EQ(out, "channels: [a]\ndownload_threads: 8\n");
}

TEST(RcEdit, RemoveItemAndRemoveKey) {
    std::string out = apply_edit(kFile, "rc", {EditOp::remove, "channels", "conda-forge"});
    EXPECT_EQ(parse_rc(out, "rc").settings[0].second.value.list,
              std::vector<std::string>{"bioconda"});
    out = apply_edit(out, "rc", {EditOp::remove_key, "channels", ""});
    EXPECT_EQ(out.find("channels"), std::string::npos);
    EXPECT_NE(out.find("# kept for another tool\nauto_activate_base: false\n"), std::string::npos);
    EXPECT_THROW((void)apply_edit(kFile, "rc", {EditOp::remove, "channels", "nope"}), ConfigError);
    EXPECT_THROW((void)apply_edit(kFile, "rc", {EditOp::remove_key, "ssl_verify", ""}),
                 ConfigError);
}

TEST(RcEdit, MapEntries) {
    std::string out =
        apply_edit("", "rc",
                   {EditOp::append, "mirrors.https://conda.anaconda.org/conda-forge",
                    "https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud/conda-forge"});
    out = apply_edit(out, "rc", {EditOp::set, "custom_channels.pytorch", "https://m/cloud"});
    const auto layer = parse_rc(out, "rc");
    ASSERT_EQ(layer.settings.size(), 2U);
    EXPECT_EQ(layer.settings[0].second.value.map[0].first,
              "https://conda.anaconda.org/conda-forge");
    EXPECT_EQ(layer.settings[1].second.value.map[0].second,
              std::vector<std::string>{"https://m/cloud"});
}

TEST(RcEdit, WrongTypesAndUnknownKeysAreRefused) {
    EXPECT_THROW((void)apply_edit("", "rc", {EditOp::set, "offline", "perhaps"}), ConfigError);
    EXPECT_THROW((void)apply_edit("", "rc", {EditOp::set, "no_such_key", "1"}), ConfigError);
    EXPECT_THROW((void)apply_edit("", "rc", {EditOp::append, "offline", "1"}), ConfigError);
}

TEST(RcEdit, MalformedFileIsReportedAndLeftUntouched) {
    testing::TempHome home;
    const std::string bad = "channels: [conda-forge\noffline: true\n";
    const auto path = home.write(".cenvrc", bad);
    try {
        edit_rc_file(path, {EditOp::set, "offline", "false"});
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find(path.string() + ":"), std::string::npos);
    }
    EXPECT_EQ(util::read_file(path), bad);
}

TEST(RcEdit, FlowStyleTopLevelIsRefusedNotBroken) {
    EXPECT_THROW((void)apply_edit("{channels: [a]}", "rc", {EditOp::set, "offline", "true"}),
                 ConfigError);
}

TEST(RcEdit, AtomicWriteCreatesAndReplaces) {
    testing::TempHome home;
    const auto path = home.dir() / "sub" / ".cenvrc";
    edit_rc_file(path, {EditOp::set, "offline", "true"});
    EXPECT_EQ(util::read_file(path), "offline: true\n");
    edit_rc_file(path, {EditOp::set, "offline", "false"});
    EXPECT_EQ(util::read_file(path), "offline: false\n");
    // No temporary file is left behind.
    int files = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator(path.parent_path())) {
        ++files;
    }
    EXPECT_EQ(files, 1);
}

}  // namespace
}  // namespace cenv::config

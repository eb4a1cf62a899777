#include "config/settings.hpp"

#include <gtest/gtest.h>

#include "config/error.hpp"
#include "temp_home.hpp"

namespace cenv::config {
namespace {

using testing::TempHome;

TEST(Settings, DefaultsAreConda) {
    const Settings s;
    EXPECT_EQ(s.string("channel_alias"), "https://conda.anaconda.org");
    EXPECT_EQ(s.list("default_channels"),
              (std::vector<std::string>{"https://repo.anaconda.com/pkgs/main",
                                        "https://repo.anaconda.com/pkgs/r",
                                        "https://repo.anaconda.com/pkgs/msys2"}));
    EXPECT_FALSE(s.boolean("offline"));
    EXPECT_EQ(s.get("offline").origin.str(), "default");
    EXPECT_DOUBLE_EQ(s.remote().connect_timeout_secs, 9.15);
}

TEST(Settings, PrecedenceFilesThenEnvironmentThenFlags) {
    TempHome home;
    home.write(".cenv/.condarc", "download_threads: 2\nremote_max_retries: 7\n");
    home.write(".condarc", "channels: [defaults]\ndownload_threads: 3\noffline: false\n");
    const auto condarc = home.write("other/condarc", "channel_priority: flexible\n");
    home.write(".cenvrc", "# mine\nchannels:\n  - conda-forge\noffline: yes\n");
    ::setenv("CONDARC", condarc.c_str(), 1);
    ::setenv("CONDA_CHANNEL_PRIORITY", "disabled", 1);
    ::setenv("CENV_DOWNLOAD_THREADS", "9", 1);

    LoadOptions options;
    options.overrides.push_back({"channel_priority", "strict", "--channel-priority"});
    const Settings s = Settings::load(options);

    EXPECT_EQ(s.integer("remote_max_retries"), 7);  // only <root>/.condarc sets it
    EXPECT_EQ(s.get("remote_max_retries").origin.str(),
              (home.dir() / ".cenv/.condarc").string() + ":2:1");
    EXPECT_EQ(s.list("channels"), std::vector<std::string>{"conda-forge"});  // ~/.cenvrc
    EXPECT_EQ(s.get("channels").origin.str(), (home.dir() / ".cenvrc").string() + ":2:1");
    EXPECT_TRUE(s.boolean("offline"));
    EXPECT_EQ(s.integer("download_threads"), 9);
    EXPECT_EQ(s.get("download_threads").origin.str(), "env CENV_DOWNLOAD_THREADS");
    EXPECT_EQ(s.string("channel_priority"), "strict");
    EXPECT_EQ(s.get("channel_priority").origin.str(), "--channel-priority");
    EXPECT_EQ(s.files_read().size(), 4U);
}

TEST(Settings, CenvVariableWinsOverConda) {
    TempHome home;
    ::setenv("CONDA_OFFLINE", "false", 1);
    ::setenv("CENV_OFFLINE", "1", 1);
    EXPECT_TRUE(Settings::load().boolean("offline"));
}

TEST(Settings, ListVariableSplitsAtCommas) {
    TempHome home;
    ::setenv("CONDA_CHANNELS", "conda-forge, bioconda", 1);
    EXPECT_EQ(Settings::load().list("channels"),
              (std::vector<std::string>{"conda-forge", "bioconda"}));
}

TEST(Settings, MapsMergeEntryByEntry) {
    TempHome home;
    home.write(".condarc",
               "custom_channels:\n  conda-forge: https://a/cloud\n  pytorch: https://a/cloud\n");
    home.write(".cenvrc", "custom_channels:\n  pytorch: https://b/cloud\n");
    const Settings settings = Settings::load();
    const auto cs = settings.channel_settings();
    ASSERT_EQ(cs.custom_channels.size(), 2U);
    EXPECT_EQ(cs.custom_channels[0].second, "https://a/cloud");
    EXPECT_EQ(cs.custom_channels[1].second, "https://b/cloud");
    const auto& origins = settings.get("custom_channels").entry_origins;
    EXPECT_EQ(origins[1].str(), (home.dir() / ".cenvrc").string() + ":2:3");
}

TEST(Settings, MalformedYamlNamesFileLineAndColumn) {
    TempHome home;
    const auto path = home.write(".cenvrc", "channels:\n  - conda-forge\n bad: [unclosed\n");
    try {
        (void)Settings::load();
        FAIL();
    } catch (const ConfigError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find(path.string() + ":3:"), std::string::npos) << message;
        EXPECT_NE(message.find("malformed YAML"), std::string::npos) << message;
    }
}

TEST(Settings, WrongTypeNamesTheValue) {
    TempHome home;
    const auto path = home.write(".condarc", "offline: maybe\n");
    try {
        (void)Settings::load();
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()),
                  path.string() + ":1:10: 'offline' must be true or false, not 'maybe'");
    }
}

TEST(Settings, BadVariableNamesIt) {
    TempHome home;
    ::setenv("CENV_DOWNLOAD_THREADS", "many", 1);
    try {
        (void)Settings::load();
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("env CENV_DOWNLOAD_THREADS"), std::string::npos);
    }
}

TEST(Settings, UnknownKeysAndEmptyValuesAreIgnored) {
    TempHome home;
    home.write(".condarc", "show_channel_urls: true\nchannels:\nauto_activate_base: false\n");
    const Settings s = Settings::load();
    EXPECT_FALSE(s.is_set("channels"));
}

TEST(Settings, ChannelPriorityBooleansAsConda) {
    TempHome home;
    home.write(".condarc", "channel_priority: true\n");
    EXPECT_EQ(Settings::load().string("channel_priority"), "flexible");
}

TEST(Settings, RemoteSettingsFromFile) {
    TempHome home;
    home.write(".cenvrc",
               "ssl_verify: /etc/ssl/corp.pem\nproxy_servers:\n  https: http://proxy:3128\n"
               "remote_read_timeout_secs: 12.5\nmirror_only: true\n");
    const RemoteSettings r = Settings::load().remote();
    EXPECT_TRUE(r.ssl_verify.enabled);
    EXPECT_EQ(r.ssl_verify.ca_bundle, "/etc/ssl/corp.pem");
    EXPECT_EQ(r.proxy_servers.at("https"), "http://proxy:3128");
    EXPECT_DOUBLE_EQ(r.read_timeout_secs, 12.5);
    EXPECT_TRUE(r.mirror_only);
}

TEST(Settings, RootPrefixFromVariable) {
    TempHome home;
    ::setenv("CENV_ROOT_PREFIX", (home.dir() / "root").c_str(), 1);
    EXPECT_EQ(root_prefix(), home.dir() / "root");
    EXPECT_EQ(rc_files(root_prefix()).front(), home.dir() / "root/.condarc");
    ::unsetenv("CENV_ROOT_PREFIX");
}

}  // namespace
}  // namespace cenv::config

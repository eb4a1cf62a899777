#include "config/env_location.hpp"

#include <gtest/gtest.h>

#include "temp_home.hpp"

namespace cenv::config {
namespace {

using testing::TempHome;
namespace fs = std::filesystem;

TEST(EnvLocation, RootEnvsWithoutEnvsDirs) {
    TempHome home;
    const fs::path root = home.dir() / "root";
    const Settings settings;
    EXPECT_EQ(named_environment_prefix("comfy", settings, root), root / "envs" / "comfy");
    EXPECT_EQ(environment_selector(root / "envs" / "comfy", settings, root), "-n comfy");
    EXPECT_EQ(environment_selector(home.dir() / "elsewhere" / "comfy", settings, root),
              "-p " + (home.dir() / "elsewhere" / "comfy").string());
}

TEST(EnvLocation, FirstEnvsDirThatHoldsIt) {
    TempHome home;
    const fs::path a = home.dir() / "a";
    const fs::path b = home.dir() / "b";
    fs::create_directories(b / "comfy");
    home.write(".cenvrc", "envs_dirs: [" + a.string() + ", " + b.string() + "]\n");
    const Settings settings = Settings::load();
    EXPECT_EQ(named_environment_prefix("comfy", settings, home.dir()), b / "comfy");
    EXPECT_EQ(named_environment_prefix("new", settings, home.dir()), a / "new");
    EXPECT_EQ(environment_selector(b / "comfy", settings, home.dir()), "-n comfy");
    EXPECT_EQ(environment_selector(a / "comfy", settings, home.dir()),
              "-p " + (a / "comfy").string());
}

}  // namespace
}  // namespace cenv::config

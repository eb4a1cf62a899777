// environment.yml and spec files as `create -f` reads them, on the real files from conda,
// mamba, micromamba and rattler (../shared/fixtures/environments).

#include "config/environment_file.hpp"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "config/error.hpp"
#include "specs/error.hpp"

namespace cenv::config {
namespace {

const std::filesystem::path kEnvs = std::filesystem::path(CENV_FIXTURES_DIR) / "environments";

using Strings = std::vector<std::string>;

EnvironmentFile read(const std::string& rel, const std::string& platform = "linux-64") {
    return read_environment_file(kEnvs / rel, platform);
}

EnvironmentFile parse(std::string_view text, const VariableLookup& lookup = {}) {
    return parse_environment_yaml(text, "env.yml", "linux-64", lookup);
}

/// The message (and hint) of the ConfigError that parsing `text` throws.
std::string error_of(std::string_view text, std::string* hint = nullptr) {
    try {
        (void)parse(text);
    } catch (const ConfigError& e) {
        if (hint != nullptr) {
            *hint = e.hint();
        }
        return e.what();
    }
    return "no error";
}

TEST(EnvironmentFile, AllKeys) {
    const EnvironmentFile env = read("conda-env-support/valid_keys.yml");
    EXPECT_EQ(env.name, "nlp");
    EXPECT_EQ(env.prefix, "/something/miniconda/envs/test");
    EXPECT_EQ(env.channels, Strings{"anaconda"});
    EXPECT_EQ(env.dependencies, Strings{"nltk"});
    EXPECT_EQ(env.variables,
              (std::vector<std::pair<std::string, std::string>>{{"VARIABLE", "value"}}));
    EXPECT_TRUE(env.pip.empty());
    EXPECT_TRUE(env.warnings.empty());
    EXPECT_FALSE(env.is_explicit);
    EXPECT_EQ(env.directory, kEnvs / "conda-env-support");
}

TEST(EnvironmentFile, PipSection) {
    const EnvironmentFile env = read("rattler-environments/asymmetric_vqgan.environment.yaml");
    EXPECT_EQ(env.name, "");  // commented out in the file
    EXPECT_EQ(env.channels, (Strings{"pytorch", "defaults"}));
    EXPECT_EQ(env.dependencies, (Strings{"python=3.8.5", "pip=20.3", "cudatoolkit=11.0",
                                         "pytorch=1.7.0", "torchvision=0.8.1", "numpy=1.19.2"}));
    ASSERT_EQ(env.pip.size(), 19U);
    EXPECT_EQ(env.pip.front(), "albumentations==0.4.3");
    EXPECT_EQ(env.pip[16],
              "-e git+https://github.com/CompVis/taming-transformers.git@master#egg="
              "taming-transformers");
    EXPECT_EQ(env.pip.back(), "-e .");
    EXPECT_TRUE(env.warnings.empty());

    EXPECT_EQ(read("conda-env-support/pip_argh.yml").pip, Strings{"argh==0.26.2"});
    EXPECT_EQ(read("micromamba-tests/env-requires-pip-install-with-spaces.yaml").name,
              "test env with spaces");
}

TEST(EnvironmentFile, PipSectionWithoutPipIsAWarning) {
    const EnvironmentFile env = read("conda-env-support/add-pip.yml");
    EXPECT_EQ(env.dependencies, Strings{"car"});
    EXPECT_EQ(env.pip, (Strings{"foo", "baz"}));
    ASSERT_EQ(env.warnings.size(), 1U);
    EXPECT_NE(env.warnings[0].find("add 'pip' to the dependencies"), std::string::npos);
}

TEST(EnvironmentFile, FlowListsSpacesAndChannelSpecs) {
    EXPECT_EQ(read("mamba-env-file/env_1.yaml").channels, (Strings{"conda-forge", "bioconda"}));
    EXPECT_EQ(read("micromamba-tests/env-extra-white-space.yaml").dependencies,
              (Strings{"python > 3.11", "numpy < 2.0", "scipy   >=    1.5.0,  < 2.0.0",
                       "scikit-learn >1.0.0"}));
    EXPECT_EQ(read("rattler-environments/channel_inversion.environment.yaml").dependencies,
              (Strings{"cudf", "conda-forge::cuda-python"}));
    EXPECT_EQ(read("conda-env-support/example/environment_host_port.yml").dependencies,
              Strings{"https://104.17.92.24:443::flask=1.0.2"});
}

TEST(EnvironmentFile, EmptyAndNullDependencies) {
    EXPECT_TRUE(read("conda-env-support/empty_deps.yml").dependencies.empty());
    const EnvironmentFile empty_env = read("conda-env-support/empty_env.yml");
    EXPECT_EQ(empty_env.channels, (Strings{"conda-forge", "defaults"}));
    EXPECT_TRUE(empty_env.dependencies.empty());
    const EnvironmentFile vars = read("conda-env-support/just_vars.yml");
    EXPECT_EQ(vars.variables.size(), 2U);
    EXPECT_EQ(vars.variables[1].second, "value2");
    EXPECT_EQ(read("rattler-environments/variables.environment.yaml").variables[0].second,
              "My Value");
}

TEST(EnvironmentFile, SelectorsFollowThePlatform) {
    EXPECT_EQ(read("mamba-env-file/env_2.yaml", "linux-64").dependencies,
              (Strings{"test1-unix", "test1-linux", "test2-linux", "test4"}));
    EXPECT_EQ(read("mamba-env-file/env_2.yaml", "osx-arm64").dependencies,
              (Strings{"test1-unix", "test1-osx", "test4"}));
    EXPECT_EQ(read("mamba-env-file/env_2.yaml", "win-64").dependencies,
              (Strings{"test1-win", "test4"}));
    EXPECT_EQ(error_of("dependencies:\n  - sel(bsd): x\n"),
              "env.yml:2:5: unknown selector 'sel(bsd)'");
}

TEST(EnvironmentFile, UnknownKeysWarnMisspeltOnesFail) {
    const EnvironmentFile lock = read("rattler-environments/conda_lock_dev.environment.yaml");
    ASSERT_EQ(lock.warnings.size(), 1U);
    EXPECT_EQ(lock.warnings[0],
              (kEnvs / "rattler-environments/conda_lock_dev.environment.yaml").string() +
                  ":2:1: unknown key 'category' ignored");
    EXPECT_EQ(read("rattler-python/environment.yml").warnings.size(), 1U);  // platforms
    try {
        (void)read("conda-env-support/invalid_keys.yml");
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), (kEnvs / "conda-env-support/invalid_keys.yml").string() +
                                             ":1:1: unknown key 'names': did you mean 'name'?");
        EXPECT_NE(e.hint().find("name, channels, dependencies, prefix and variables"),
                  std::string::npos);
    }
}

TEST(EnvironmentFile, ChannelVariablesAreExpanded) {
    const std::map<std::string, std::string> vars{{"CONDA_TOKEN", "tk-1"}, {"OTHER_KEY", "o"}};
    const VariableLookup lookup = [&](const std::string& name) -> std::optional<std::string> {
        const auto it = vars.find(name);
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    const EnvironmentFile env = parse(
        "channels:\n  - https://localhost/t/${CONDA_TOKEN}/stable\n  - https://h/$OTHER_KEY/x\n"
        "  - $5 and $\ndependencies: [nltk]\n",
        lookup);
    EXPECT_EQ(env.channels,
              (Strings{"https://localhost/t/tk-1/stable", "https://h/o/x", "$5 and $"}));
    std::string hint;
    try {
        (void)parse("channels:\n  - https://h/t/${NOPE}/stable\n", lookup);
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "env.yml:2:5: channel 'https://h/t/${NOPE}/stable' uses ${NOPE}, which is not "
                  "set");
        EXPECT_EQ(e.hint(), "set it first (export NOPE=...) or write the channel out");
    }
}

TEST(EnvironmentFile, MalformedInputNamesLineAndColumn) {
    std::string hint;
    const std::string yaml = error_of("name: x\ndependencies:\n  - python\n - bad\n", &hint);
    EXPECT_EQ(yaml.rfind("env.yml:4:2: malformed YAML: ", 0), 0U) << yaml;
    EXPECT_NE(hint.find("an environment.yml looks like"), std::string::npos);
    EXPECT_EQ(error_of(""), "env.yml: the environment file is empty");
    EXPECT_EQ(error_of("- a\n- b\n"),
              "env.yml:1:1: an environment file must be a mapping of keys (name, channels, "
              "dependencies, ...) to values");
    EXPECT_EQ(error_of("name: [a, b]\n"), "env.yml:1:7: 'name' must be a single value");
    EXPECT_EQ(error_of("dependencies: python\n"), "env.yml:1:15: 'dependencies' must be a list");
    EXPECT_EQ(error_of("dependencies:\n  - conda:\n      - x\n"),
              "env.yml:2:5: 'conda:' in dependencies: only a 'pip:' list (or a sel(...): "
              "selector) may be nested there");
    EXPECT_EQ(error_of("dependencies:\n  - pip:\n      - {a: b}\n"),
              "env.yml:3:9: each entry of 'pip' must be a single value");
    EXPECT_EQ(error_of("variables: [A]\n"),
              "env.yml:1:12: 'variables' must be a mapping of names to values");
    const std::string spec = error_of("dependencies:\n  - python\n  - numpy >>1\n", &hint);
    EXPECT_EQ(spec.rfind("env.yml:3:5: ", 0), 0U) << spec;
    EXPECT_NE(spec.find(">>1"), std::string::npos) << spec;
}

TEST(EnvironmentFile, SpecFilesByExtension) {
    const EnvironmentFile explicit_env = read("micromamba-tests/explicit_env_linux.txt");
    EXPECT_TRUE(explicit_env.is_explicit);
    EXPECT_EQ(explicit_env.explicit_packages.size(), 15U);
    EXPECT_TRUE(explicit_env.dependencies.empty());
    const EnvironmentFile list = read("micromamba-tests/spec_file_2.txt");
    EXPECT_FALSE(list.is_explicit);
    EXPECT_EQ(list.dependencies, (Strings{"python=3.7.*", "wheel"}));
    EXPECT_THROW((void)read("does-not-exist.yml"), util::Error);
}

TEST(EnvironmentFile, EveryRealFileParses) {
    ::setenv("CONDA_TOKEN", "tk", 1);  // channels_with_envvars.yml
    ::setenv("OTHER_KEY", "k", 1);
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(kEnvs)) {
        const std::string ext = entry.path().extension().string();
        const std::string name = entry.path().filename().string();
        if ((ext != ".yml" && ext != ".yaml") || name == "invalid_keys.yml") {
            continue;
        }
        SCOPED_TRACE(entry.path().string());
        EXPECT_NO_THROW((void)read_environment_file(entry.path(), "linux-64"));
        ++files;
    }
    EXPECT_GE(files, 30U);
}

TEST(EnvironmentFile, WrittenFilesReadBackTheSame) {
    EnvironmentFile env;
    env.name = "test env with spaces";
    env.channels = {"file:///srv/chan", "conda-forge"};
    env.dependencies = {"python >=3.8,<4", "pip", "yes", "1.0", "conda-forge::cuda-python"};
    env.pip = {"-e .", "-r requirements.txt", "torch==2.1.0+cu121", "x #y", "a: b", "[x]"};
    env.variables = {{"HF_HOME", "/data/hf"}, {"N", "012"}, {"Q", "say \"hi\"\\"}};
    env.prefix = "/opt/envs/test env";
    const std::string text = specs::environment_yaml_text(env);
    const EnvironmentFile back = parse(text);
    EXPECT_EQ(back.name, env.name);
    EXPECT_EQ(back.channels, env.channels);
    EXPECT_EQ(back.dependencies, env.dependencies);
    EXPECT_EQ(back.pip, env.pip);
    EXPECT_EQ(back.variables, env.variables);
    EXPECT_EQ(back.prefix, env.prefix);
}

}  // namespace
}  // namespace cenv::config

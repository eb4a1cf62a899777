// Writing environment.yml (reading it back: tests/unit/config/environment_file_test.cpp).

#include "specs/environment_file.hpp"

#include <gtest/gtest.h>

namespace cenv::specs {
namespace {

TEST(EnvironmentYaml, ScalarsArePlainOnlyWhenYamlReadsThemBack) {
    EXPECT_EQ(yaml_scalar("python=3.11.7=h_cenv_0"), "python=3.11.7=h_cenv_0");
    EXPECT_EQ(yaml_scalar("python >=3.8,<4"), "python >=3.8,<4");
    EXPECT_EQ(yaml_scalar("conda-forge::numpy"), "conda-forge::numpy");
    EXPECT_EQ(yaml_scalar("file:///srv/chan"), "file:///srv/chan");
    EXPECT_EQ(yaml_scalar("torch==2.1.0+cu121"), "torch==2.1.0+cu121");
    EXPECT_EQ(yaml_scalar("-e ."), "\"-e .\"");
    EXPECT_EQ(yaml_scalar("-r requirements.txt"), "\"-r requirements.txt\"");
    EXPECT_EQ(yaml_scalar("yes"), "\"yes\"");
    EXPECT_EQ(yaml_scalar("Null"), "\"Null\"");
    EXPECT_EQ(yaml_scalar("1.0"), "\"1.0\"");
    EXPECT_EQ(yaml_scalar("12"), "\"12\"");
    EXPECT_EQ(yaml_scalar(""), "\"\"");
    EXPECT_EQ(yaml_scalar("a: b"), "\"a: b\"");
    EXPECT_EQ(yaml_scalar("x #comment"), "\"x #comment\"");
    EXPECT_EQ(yaml_scalar("[a]"), "\"[a]\"");
    EXPECT_EQ(yaml_scalar("say \"hi\"\\\n"), "\"say \\\"hi\\\"\\\\\\n\"");
    EXPECT_EQ(yaml_scalar("end:"), "\"end:\"");
}

TEST(EnvironmentYaml, CondasLayout) {
    EnvironmentFile env;
    env.name = "comfy";
    env.channels = {"pytorch", "conda-forge"};
    env.dependencies = {"python=3.10.13=hd12c33a_0_cpython", "pip=23.3=pyhd8ed1ab_0"};
    env.pip = {"diffusers==0.25.0", "-e ."};
    env.variables = {{"HF_HOME", "/data/hf"}, {"DEBUG", "1"}};
    env.prefix = "/home/me/.cenv/envs/comfy";
    EXPECT_EQ(environment_yaml_text(env),
              "name: comfy\n"
              "channels:\n"
              "  - pytorch\n"
              "  - conda-forge\n"
              "dependencies:\n"
              "  - python=3.10.13=hd12c33a_0_cpython\n"
              "  - pip=23.3=pyhd8ed1ab_0\n"
              "  - pip:\n"
              "      - diffusers==0.25.0\n"
              "      - \"-e .\"\n"
              "variables:\n"
              "  HF_HOME: /data/hf\n"
              "  DEBUG: \"1\"\n"
              "prefix: /home/me/.cenv/envs/comfy\n");
    EXPECT_EQ(environment_yaml_text(EnvironmentFile{}), "");
}

}  // namespace
}  // namespace cenv::specs

// The CUDA part of activation: LD_LIBRARY_PATH loses other CUDA installations, the driver
// check says what is wrong in one line, environments without CUDA are left alone.

#include "shell/cuda_runtime.hpp"

#include <gtest/gtest.h>

#include "shell/activation.hpp"
#include "test_support.hpp"

namespace cenv::shell {
namespace {

namespace fs = std::filesystem;
using testing::make_env;
using testing::ScratchDir;
using testing::write_file;

TEST(CudaLibraryPath, OtherCudaInstallationsAreTakenOut) {
    ScratchDir dir;
    const auto env = make_env(dir / "env", {"cuda-cudart-12.1.105-0"});
    const auto other = make_env(dir / "other", {"cudatoolkit-11.8.0-h0_0"});
    const auto plain = make_env(dir / "plain", {"zlib-1.3-h0_0"});
    const std::string list =
        "/usr/local/cuda-11.8/lib64:/opt/x:/usr/local/cuda/extras/CUPTI/lib64:" +
        (other / "lib").string() + ":" + (plain / "lib").string() +
        ":/opt/cuda12.1/lib:/opt/cudax/lib";
    EXPECT_EQ(cuda_library_path(list, env),
              "/opt/x:" + (plain / "lib").string() + ":/opt/cudax/lib");
    EXPECT_EQ(cuda_library_path("/usr/local/cuda-11.8/lib64", env), std::nullopt);
    EXPECT_EQ(cuda_library_path(std::nullopt, env), std::nullopt);
    EXPECT_EQ(cuda_library_path(std::string(), env), std::string());
}

TEST(CudaLibraryPath, TheDriverAndTheEnvironmentItselfStay) {
    ScratchDir dir;
    const auto env = make_env(dir / "env", {"cuda-cudart-12.1.105-0"});
    write_file(dir / "usr/local/cuda-12.2/compat/libcuda.so.1", "");  // forward compatibility
    write_file(dir / "nvidia/lib64/libcuda.so.1", "");
    const std::string compat = (dir / "usr/local/cuda-12.2/compat").string();
    const std::string driver = (dir / "nvidia/lib64").string();
    const std::string own = (env / "lib").string();
    const std::string list = compat + ":" + driver + ":" + own + "::/usr/local/cuda/lib64";
    EXPECT_EQ(cuda_library_path(list, env), compat + ":" + driver + ":" + own + ":");
}

TEST(CudaLibraryPath, ARuntimeFoundByItsLibraryIsTakenOutOtherCudaLibrariesPutOursFirst) {
    ScratchDir dir;
    const auto env = make_env(dir / "env", {"cuda-version-12.1-h0_3"});
    write_file(dir / "opt/rt/libcudart.so.11.0", "");
    write_file(dir / "opt/dnn/libcudnn.so.8", "");
    write_file(dir / "opt/other/libz.so.1", "");
    const std::string rt = (dir / "opt/rt").string();
    const std::string dnn = (dir / "opt/dnn").string();
    const std::string other = (dir / "opt/other").string();
    EXPECT_EQ(cuda_library_path(rt + ":" + other, env), other);
    EXPECT_EQ(cuda_library_path(other + ":" + dnn + "/", env),
              (env / "lib").string() + ":" + other + ":" + dnn + "/");
}

TEST(CudaActivation, CudaHomeAndACleanLibraryPathWhileActiveRestoredAfter) {
    ScratchDir dir;
    const auto env = make_env(dir / "torch", {"cuda-cudart-12.1.105-0", "pytorch-cuda-12.1-h0_5"});
    const Variables before = {{"PATH", "/usr/bin"},
                              {"LD_LIBRARY_PATH", "/usr/local/cuda-11.8/lib64:/opt/x"},
                              {"CUDA_HOME", "/usr/local/cuda-11.8"}};
    ActivationContext c;
    c.vars = before;
    const Variables active = apply_changes(before, activate(c, env, false));
    EXPECT_EQ(active.at("CUDA_HOME"), env.string());
    EXPECT_EQ(active.at("CUDA_PATH"), env.string());
    EXPECT_EQ(active.at("LD_LIBRARY_PATH"), "/opt/x");
    c.vars = active;
    EXPECT_EQ(apply_changes(active, deactivate(c)), before);
}

TEST(CudaActivation, TheCachedDriverIsAskedOnlyForCudaEnvironments) {
    ScratchDir dir;
    const auto cuda = make_env(dir / "torch", {"cuda-cudart-12.1.105-0"});
    const auto cpu = make_env(dir / "cpu", {"pytorch-2.1.0-py3.10_cpu_0"});
    int asked = 0;
    ActivationContext c;
    c.vars = {{"PATH", "/usr/bin"}};
    c.driver = [&asked]() -> std::optional<system::CudaDriver> {
        ++asked;
        return system::CudaDriver{"11.8", "520.61.05", {}, "test"};
    };
    const Script s = activate(c, cpu, false);
    EXPECT_EQ(asked, 0);
    EXPECT_TRUE(s.warnings.empty());
    for (const auto& change : s.changes) {
        EXPECT_NE(change.name, "CUDA_HOME");
        EXPECT_NE(change.name, "LD_LIBRARY_PATH");
    }
    const Script w = activate(c, cuda, false);
    EXPECT_EQ(asked, 1);
    ASSERT_EQ(w.warnings.size(), 1U);
    EXPECT_EQ(w.warnings[0],
              "NVIDIA driver 520.61.05 supports CUDA 11.8, but environment '" + cuda.string() +
                  "' uses CUDA 12.1 (cuda-cudart 12.1.105), which needs driver >= 530.30.02 "
                  "(>= 525.60.13 with minor-version compatibility): update the driver or "
                  "install a CUDA 11.8 build");
}

TEST(DriverMismatch, OnlyWhenTheDriverCannotRunTheRuntime) {
    const install::CudaRuntime cu121{12, 1, "cuda-version", "12.1"};
    const install::CudaRuntime cu118{11, 8, "cudatoolkit", "11.8.0"};
    const system::CudaDriver d122{"12.2", "535.104.05", {}, "t"};
    const system::CudaDriver d120{"12.0", "525.60.13", {}, "t"};
    const system::CudaDriver d118{"11.8", "", {}, "t"};
    EXPECT_FALSE(driver_mismatch(cu121, d122, "x"));
    EXPECT_FALSE(driver_mismatch(cu121, d120, "x"));  // minor-version compatibility runs it
    EXPECT_FALSE(driver_mismatch(cu118, d122, "x"));
    EXPECT_FALSE(driver_mismatch(cu118, d118, "x"));
    const auto w = driver_mismatch(cu121, d118, "x");
    ASSERT_TRUE(w);
    EXPECT_EQ(w->rfind("NVIDIA driver (version unknown) supports CUDA 11.8", 0), 0U) << *w;
    const install::CudaRuntime future{14, 0, "cuda-version", "14.0"};
    EXPECT_NE(driver_mismatch(future, d122, "x")->find("needs a driver that supports CUDA 14"),
              std::string::npos);
}

}  // namespace
}  // namespace cenv::shell

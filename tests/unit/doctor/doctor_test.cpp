#include "doctor/doctor.hpp"

#include <gtest/gtest.h>

#include "doctor/error.hpp"
#include "test_support.hpp"

namespace cenv::doctor {
namespace {

using testing::ScratchDir;
using testing::write;

void record(const std::filesystem::path& prefix, const std::string& name,
            const std::string& version, const std::string& build,
            const std::string& channel = "https://conda.anaconda.org/pytorch") {
    write(prefix / "conda-meta" / (name + "-" + version + "-" + build + ".json"),
          R"({"name": ")" + name + R"(", "version": ")" + version + R"(", "build": ")" + build +
              R"(", "build_number": 0, "channel": ")" + channel + R"("})");
}

TEST(EnvironmentFacts, ANonEnvironmentIsAnError) {
    ScratchDir dir;
    try {
        environment_facts({dir.path() / "missing", "-n missing"});
        FAIL() << "expected DoctorError";
    } catch (const DoctorError& e) {
        EXPECT_NE(std::string(e.what()).find("no environment at"), std::string::npos);
        EXPECT_NE(e.hint().find("`cenv create -n missing ...`"), std::string::npos);
    }
}

TEST(EnvironmentFacts, CondaRecordsAndLibraries) {
    ScratchDir dir;
    const auto prefix = dir.path() / "env";
    record(prefix, "python", "3.10.14", "h1234_0");
    record(prefix, "pytorch", "2.1.0", "py3.10_cuda12.1_cudnn8.9.2_0");
    write(prefix / "lib" / "libcudart.so.12", "");
    const auto env = environment_facts({prefix, "-p " + prefix.string()});
    EXPECT_EQ(env.package_count, 2U);
    ASSERT_EQ(env.torch.size(), 1U);
    EXPECT_EQ(env.torch[0].cuda, (solver::CudaRelease{12, 1}));
    EXPECT_EQ(env.cuda_libraries, (std::vector<std::string>{"libcudart.so.12"}));
}

TEST(EnvironmentFacts, PipTorchNvidiaWheelsAndTheLibrary) {
    ScratchDir dir;
    const auto prefix = dir.path() / "env";
    const std::string sp = "lib/python3.11/site-packages/";
    record(prefix, "python", "3.11.9", "h1234_0");
    // conda's numpy ships a dist-info that its record lists: not pip's.
    write(prefix / "conda-meta" / "numpy-1.26.4-py311_0.json",
          R"({"name": "numpy", "version": "1.26.4", "build": "py311_0", "files": [")" + sp +
              R"(numpy-1.26.4.dist-info/RECORD"]})");
    write(prefix / (sp + "numpy-1.26.4.dist-info/METADATA"), "Name: numpy\nVersion: 1.26.4\n");
    write(prefix / (sp + "numpy-1.26.4.dist-info/RECORD"), "");
    write(prefix / (sp + "torch-2.5.1.dist-info/METADATA"), "Name: torch\nVersion: 2.5.1\n");
    write(prefix / (sp + "torch-2.5.1.dist-info/INSTALLER"), "pip\n");
    write(prefix / (sp + "nvidia_cuda_runtime_cu12-12.4.127.dist-info/METADATA"),
          "Name: nvidia-cuda-runtime-cu12\nVersion: 12.4.127\n");
    write(prefix / (sp + "nvidia/cuda_runtime/lib/libcudart.so.12"), "");
    write(prefix / (sp + "torch/version.py"), "__version__ = '2.5.1'\ncuda = '12.4'\n");
    std::filesystem::create_directories(prefix / (sp + "torch/lib"));
    std::filesystem::copy_file(testing::torch_stub("cu121"),
                               prefix / (sp + "torch/lib/libtorch_python.so"));

    const auto env = environment_facts({prefix, "-n env"});
    ASSERT_EQ(env.torch.size(), 1U);
    EXPECT_EQ(env.torch[0].installer, TorchBuild::Installer::pip);
    EXPECT_EQ(env.torch[0].where, sp + "torch-2.5.1.dist-info");
    ASSERT_TRUE(env.torch_file);
    EXPECT_EQ(env.torch_file->cuda, "12.4");
    EXPECT_EQ(env.torch_file->path, sp + "torch/version.py");
    ASSERT_TRUE(env.runtime);
    EXPECT_EQ(env.runtime->source, "pip nvidia-cuda-runtime-cu12 12.4.127");
    EXPECT_EQ(env.cuda_libraries, (std::vector<std::string>{"libcudart.so.12"}));
    ASSERT_TRUE(env.torch_archs.archs) << env.torch_archs.failure;
    EXPECT_EQ(env.torch_archs.source, sp + "torch/lib/libtorch_python.so");
    EXPECT_TRUE(env.problems.empty());
}

TEST(EnvironmentFacts, DamagedRecordsAreProblemsNotFailures) {
    ScratchDir dir;
    const auto prefix = dir.path() / "env";
    record(prefix, "pytorch", "2.1.0", "py3.10_cpu_0");
    write(prefix / "conda-meta" / "broken-1.0-0.json", "{not json");
    const auto env = environment_facts({prefix, "-n env"});
    EXPECT_EQ(env.package_count, 2U);  // from the file names
    ASSERT_EQ(env.torch.size(), 1U);
    EXPECT_EQ(env.torch[0].kind, TorchKind::cpu);
    ASSERT_EQ(env.problems.size(), 1U);
    EXPECT_NE(env.problems[0].find("broken-1.0-0.json"), std::string::npos);
}

TEST(Diagnose, MachineOnlyWithAStubDriverAndNoNetwork) {
    Options options;
    options.detect.library_dirs = {std::filesystem::path(CENV_CUDA_STUBS_DIR) / "nvml_ok"};
    options.detect.nvidia_smi = "/nonexistent/nvidia-smi";
    options.detect.env = std::map<std::string, std::string>{};
    options.channels.mirrors = {
        {"https://conda.anaconda.org/conda-forge",
         {"https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud/conda-forge"}}};
    options.offline = true;
    const Report report = diagnose(options);
    ASSERT_TRUE(report.facts.cuda.driver);
    EXPECT_EQ(report.facts.cuda.driver->driver_version, "535.104.05");
    EXPECT_FALSE(report.facts.environment);
    EXPECT_EQ(report.facts.mirrors.skipped_because, "--offline");
    EXPECT_EQ(testing::one(report.findings, "mirrors").status, Status::skipped);

    // Without a fetch the mirrors are skipped with the reason given.
    options.offline = false;
    options.no_fetch_reason = "no downloader";
    EXPECT_EQ(diagnose(options).facts.mirrors.skipped_because, "no downloader");

    // With one, each target is asked once.
    int calls = 0;
    options.fetch = [&](const channels::ProbeTarget& target, double timeout) {
        ++calls;
        EXPECT_EQ(timeout, options.mirror_timeout_secs);
        channels::ProbeResult r;
        r.ok = target.url.ends_with("/noarch/repodata.json");
        return r;
    };
    const Report fetched = diagnose(options);
    EXPECT_EQ(calls, 1);
    ASSERT_EQ(fetched.facts.mirrors.results.size(), 1U);
    EXPECT_TRUE(fetched.facts.mirrors.results[0].ok);
    EXPECT_EQ(testing::one(fetched.findings, "mirrors").status, Status::ok);
}

TEST(Diagnose, OverrideVariablesAreRead) {
    Options options;
    options.detect.library_dirs = {std::filesystem::path("/nonexistent")};
    options.detect.nvidia_smi = "/nonexistent/nvidia-smi";
    options.detect.env = std::map<std::string, std::string>{{"CONDA_OVERRIDE_CUDA", "12.1"},
                                                            {"CENV_OVERRIDE_CUDA", ""}};
    const auto facts = gather_facts(options);
    ASSERT_TRUE(facts.cuda_override);
    EXPECT_EQ(facts.cuda_override->first, "CENV_OVERRIDE_CUDA");  // set, even empty, it wins
    EXPECT_EQ(facts.cuda_override->second, "");
    EXPECT_FALSE(facts.cuda.driver);
}

}  // namespace
}  // namespace cenv::doctor

#include "doctor/checks.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace cenv::doctor {
namespace {

using testing::driver;
using testing::environment;
using testing::of;
using testing::one;

solver::CudaRelease cuda(int major, int minor) {
    return {major, minor};
}

TorchBuild conda_torch(const std::string& version, const std::string& build) {
    specs::PackageRecord r;
    r.name = "pytorch";
    r.version = version;
    r.build = build;
    return torch_from_conda(r);
}

TEST(VariantForDriver, NewestThatFitsElseItsFamily) {
    const auto& table = solver::VariantTable::builtin();
    EXPECT_EQ(variant_for_driver(cuda(12, 2), table), "cu121");
    EXPECT_EQ(variant_for_driver(cuda(12, 8), table), "cu128");
    EXPECT_EQ(variant_for_driver(cuda(12, 0), table), "cu118");
    EXPECT_EQ(variant_for_driver(cuda(13, 0), table), "cu130");
    EXPECT_EQ(variant_for_driver(cuda(11, 4), table), "cu118");  // minor-version compatibility
    EXPECT_EQ(variant_for_driver(cuda(10, 2), table), std::nullopt);
}

TEST(Checks, NoGpuNoEnvironment) {
    Facts facts;
    const auto findings = run_checks(facts);
    const auto gpu = one(findings, "gpu");
    EXPECT_EQ(gpu.status, Status::info);
    EXPECT_EQ(gpu.text, "no NVIDIA driver found: only CPU builds run here");
    EXPECT_NE(gpu.fix.find("`torch=cpu`"), std::string::npos);
    EXPECT_NE(gpu.fix.find("`CONDA_OVERRIDE_CUDA=12.1 cenv create -n NAME torch=cu121`"),
              std::string::npos);
    EXPECT_TRUE(of(findings, "driver").empty());
    EXPECT_EQ(one(findings, "nvcc").status, Status::info);
    EXPECT_EQ(one(findings, "ld_library_path").text, "LD_LIBRARY_PATH is not set");
    EXPECT_EQ(one(findings, "mirrors").status, Status::info);
    EXPECT_TRUE(of(findings, "torch").empty());
    for (const auto& f : findings) {
        EXPECT_NE(f.status, Status::error) << f.text;
        EXPECT_NE(f.status, Status::warning) << f.text;
    }
}

TEST(Checks, AnInstalledDriverThatDoesNotAnswer) {
    Facts facts;
    facts.cuda.log = {"cache (/r/cache/cuda): none yet",
                      "NVML (/usr/lib/libnvidia-ml.so.1): nvmlInit_v2 returned 18 "
                      "(NVML_ERROR_LIB_RM_VERSION_MISMATCH)",
                      "libcuda (libcuda.so.1): cannot load it: libcuda.so.1: cannot open shared "
                      "object file",
                      "nvidia-smi: 'nvidia-smi' not found"};
    const auto findings = run_checks(facts);
    EXPECT_TRUE(of(findings, "gpu").empty());
    const auto driver = one(findings, "driver");
    EXPECT_EQ(driver.status, Status::warning);
    EXPECT_EQ(
        driver.text,
        "an NVIDIA driver is installed but does not answer (NVML (/usr/lib/libnvidia-ml.so.1): "
        "nvmlInit_v2 returned 18 (NVML_ERROR_LIB_RM_VERSION_MISMATCH)): only CPU builds run "
        "until it does");
    EXPECT_NE(driver.fix.find("reboot"), std::string::npos);

    facts.cuda.log = {
        "NVML (/x/libnvidia-ml.so.1): the probe timed out after 5000 ms in the "
        "library"};
    EXPECT_EQ(one(run_checks(facts), "driver").fix,
              "the driver hangs: check `nvidia-smi` and `dmesg`");

    // Nothing found anywhere is no driver at all.
    facts.cuda.log = {"NVML: no libnvidia-ml.so.1 in /nonexistent",
                      "libcuda: no libcuda.so.1 in /nonexistent",
                      "nvidia-smi: '/nonexistent/nvidia-smi' not found"};
    EXPECT_EQ(one(run_checks(facts), "gpu").status, Status::info);
}

TEST(Checks, GpusAndDriver) {
    Facts facts;
    facts.cuda.driver = driver("12.2", "535.104.05");
    facts.cuda.driver->gpus.push_back({"NVIDIA A100-SXM4-80GB", ""});
    facts.cuda.from_cache = true;
    const auto findings = run_checks(facts);
    const auto gpus = of(findings, "gpu");
    ASSERT_EQ(gpus.size(), 2U);
    EXPECT_EQ(gpus[0].text, "GPU 0: NVIDIA GeForce RTX 3090, compute capability 8.6");
    EXPECT_EQ(gpus[1].text, "GPU 1: NVIDIA A100-SXM4-80GB, compute capability unknown");
    EXPECT_EQ(one(findings, "driver").text,
              "NVIDIA driver 535.104.05 supports CUDA 12.2 (__cuda=12.2; NVML (stub), cached)");
}

TEST(Checks, OverridesOfCudaAreNamed) {
    Facts facts;
    facts.cuda.driver = driver("12.2", "535.104.05");
    facts.cuda_override = {"CONDA_OVERRIDE_CUDA", "11.8"};
    auto override = of(run_checks(facts), "driver").back();
    EXPECT_EQ(override.status, Status::warning);
    EXPECT_EQ(override.text,
              "CONDA_OVERRIDE_CUDA=11.8: solves assume CUDA 11.8, not the driver's 12.2");
    EXPECT_EQ(override.fix,
              "`unset CONDA_OVERRIDE_CUDA` unless you are building an environment for another "
              "machine");

    facts.cuda_override = {"CENV_OVERRIDE_CUDA", ""};
    override = of(run_checks(facts), "driver").back();
    EXPECT_EQ(override.status, Status::warning);
    EXPECT_NE(override.text.find("is empty: solves assume no GPU"), std::string::npos);

    facts.cuda_override = {"CONDA_OVERRIDE_CUDA", "12.2"};  // agrees: nothing to say
    EXPECT_EQ(of(run_checks(facts), "driver").size(), 1U);

    facts.cuda.driver.reset();
    facts.cuda_override = {"CONDA_OVERRIDE_CUDA", "12.1"};
    override = one(run_checks(facts), "driver");
    EXPECT_EQ(override.status, Status::info);
    EXPECT_EQ(
        override.text,
        "CONDA_OVERRIDE_CUDA=12.1: solves build for a machine whose driver supports CUDA 12.1");
}

TEST(Checks, RuntimeNewerThanTheDriverWithinItsMajor) {
    Facts facts;
    facts.cuda.driver = driver("12.1", "530.30.02");
    auto env = environment();
    env.runtime = RuntimeFacts{cuda(12, 4), "conda cuda-version 12.4"};
    env.torch.push_back(conda_torch("2.4.0", "py3.10_cuda12.4_cudnn9.1.0_0"));
    facts.environment = env;
    const auto runtime = one(run_checks(facts), "cuda_runtime");
    EXPECT_EQ(runtime.status, Status::warning);
    EXPECT_EQ(runtime.text,
              "the environment's CUDA runtime 12.4 (conda cuda-version 12.4) needs driver ≥ "
              "550.54.14; this driver (530.30.02) supports CUDA 12.1: it runs through "
              "minor-version compatibility, but code compiled for CUDA 12.4 (PTX) fails to load");
    EXPECT_EQ(runtime.fix, "upgrade the driver to ≥ 550.54.14 or `cenv install -n t torch=cu121`");
}

TEST(Checks, RuntimeOfANewerMajorThanTheDriverIsAnError) {
    Facts facts;
    facts.cuda.driver = driver("11.8", "520.61.05");
    auto env = environment();
    env.runtime = RuntimeFacts{cuda(12, 1), "conda cuda-version 12.1"};
    facts.environment = env;
    const auto runtime = one(run_checks(facts), "cuda_runtime");
    EXPECT_EQ(runtime.status, Status::error);
    EXPECT_EQ(runtime.text,
              "the environment's CUDA runtime 12.1 (conda cuda-version 12.1) needs driver ≥ "
              "530.30.02 (≥ 525.60.13 for any CUDA 12.x through minor-version compatibility); "
              "this driver (520.61.05) supports CUDA 11.8");
    // No torch: the runtime itself is what to change.
    EXPECT_EQ(runtime.fix,
              "upgrade the driver to ≥ 530.30.02 or `cenv install -n t cuda-version=11.8`");
}

TEST(Checks, RuntimeTheDriverRuns) {
    Facts facts;
    facts.cuda.driver = driver("12.2", "535.104.05");
    auto env = environment();
    env.runtime = RuntimeFacts{cuda(12, 1), "pip nvidia-cuda-runtime-cu12 12.1.105"};
    facts.environment = env;
    const auto runtime = one(run_checks(facts), "cuda_runtime");
    EXPECT_EQ(runtime.status, Status::ok);
    EXPECT_EQ(runtime.text,
              "CUDA runtime 12.1 (pip nvidia-cuda-runtime-cu12 12.1.105); the driver supports "
              "CUDA 12.2");

    facts.cuda.driver.reset();
    const auto no_driver = one(run_checks(facts), "cuda_runtime");
    EXPECT_EQ(no_driver.status, Status::info);
    EXPECT_EQ(no_driver.text,
              "CUDA runtime 12.1 (pip nvidia-cuda-runtime-cu12 12.1.105): the machine that runs it "
              "needs driver ≥ 530.30.02");
}

TEST(Checks, TorchsOwnCudaIsTheRuntimeWhenNoRecordSaysOtherwise) {
    Facts facts;
    facts.cuda.driver = driver("11.8", "520.61.05");
    auto env = environment();
    env.torch.push_back(torch_from_pip("2.1.0+cu121"));
    facts.environment = env;
    const auto runtime = one(run_checks(facts), "cuda_runtime");
    EXPECT_EQ(runtime.status, Status::error);
    EXPECT_NE(runtime.text.find("(built into pip torch 2.1.0+cu121)"), std::string::npos);
    EXPECT_EQ(runtime.fix,
              "upgrade the driver to ≥ 530.30.02 or `pip uninstall torch`, then "
              "`cenv install -n t torch=cu118`");
}

TEST(Checks, CpuTorchOnAGpuMachine) {
    Facts facts;
    facts.cuda.driver = driver("12.2", "535.104.05");
    auto env = environment();
    env.torch.push_back(conda_torch("2.1.0", "py3.10_cpu_0"));
    facts.environment = env;
    const auto findings = run_checks(facts);
    const auto torch = one(findings, "torch");
    EXPECT_EQ(torch.status, Status::error);
    EXPECT_EQ(torch.text,
              "PyTorch 2.1.0 (conda, py3.10_cpu_0) is a CPU build: torch.cuda.is_available() will "
              "be False on this machine's GPU");
    EXPECT_EQ(torch.fix, "`cenv install -n t torch=cu121`");
    EXPECT_EQ(one(findings, "cuda_runtime").status, Status::info);
    EXPECT_TRUE(of(findings, "torch_arch").empty());

    // A pip CPU wheel: pip's copy goes first, or conda's would sit next to it.
    env.torch = {torch_from_pip("2.1.0+cpu")};
    facts.environment = env;
    EXPECT_EQ(one(run_checks(facts), "torch").fix,
              "`pip uninstall torch`, then `cenv install -n t torch=cu121`");

    // Without a GPU a CPU build is right.
    facts.cuda.driver.reset();
    const auto cpu = one(run_checks(facts), "torch");
    EXPECT_EQ(cpu.status, Status::ok);
    EXPECT_EQ(cpu.text, "PyTorch 2.1.0+cpu (pip), a CPU build (no GPU here)");
}

TEST(Checks, CudaTorchWithoutADriver) {
    Facts facts;
    auto env = environment();
    env.torch.push_back(conda_torch("2.1.0", "py3.10_cuda12.1_cudnn8.9.2_0"));
    facts.environment = env;
    const auto torch = one(run_checks(facts), "torch");
    EXPECT_EQ(torch.status, Status::warning);
    EXPECT_EQ(
        torch.text,
        "PyTorch 2.1.0 (conda, py3.10_cuda12.1_cudnn8.9.2_0) is built for CUDA 12.1, but this "
        "machine has no NVIDIA driver: torch.cuda.is_available() will be False");
    EXPECT_NE(torch.fix.find("`cenv install -n t torch=cpu`"), std::string::npos);
}

TEST(Checks, VersionFileDecidesWhatIsImported) {
    Facts facts;
    facts.cuda.driver = driver("12.2", "535.104.05");
    auto env = environment();
    env.torch.push_back(torch_from_pip("2.5.1"));  // PyPI's default: the record does not say
    facts.environment = env;
    EXPECT_EQ(one(run_checks(facts), "torch").status, Status::info);

    TorchVersionFile file;
    file.version = "2.5.1";
    file.cuda = "12.4";
    file.path = "lib/python3.11/site-packages/torch/version.py";
    env.torch_file = file;
    facts.environment = env;
    const auto torch = one(run_checks(facts), "torch");
    EXPECT_EQ(torch.status, Status::ok);
    EXPECT_EQ(torch.text, "PyTorch 2.5.1 (pip), built for CUDA 12.4");
}

TEST(Checks, TorchFromCondaAndPip) {
    Facts facts;
    facts.cuda.driver = driver("12.2", "535.104.05");
    auto env = environment();
    env.torch.push_back(conda_torch("2.1.0", "py3.10_cuda12.1_cudnn8.9.2_0"));
    env.torch.push_back(torch_from_pip("2.3.0+cu121"));
    TorchVersionFile file;
    file.version = "2.3.0+cu121";
    file.cuda = "12.1";
    file.path = "lib/python3.10/site-packages/torch/version.py";
    env.torch_file = file;
    facts.environment = env;
    const auto findings = run_checks(facts);
    const auto dup = one(findings, "torch_duplicates");
    EXPECT_EQ(dup.status, Status::error);
    EXPECT_EQ(
        dup.text,
        "PyTorch is installed twice: conda pytorch 2.1.0 py3.10_cuda12.1_cudnn8.9.2_0 and pip "
        "torch 2.3.0+cu121; Python imports 2.3.0+cu121 "
        "(lib/python3.10/site-packages/torch/version.py)");
    EXPECT_EQ(dup.fix,
              "keep one: `pip uninstall torch`, then `cenv install -n t --force-reinstall "
              "pytorch` (its files were overwritten); or `cenv remove -n t pytorch`");
    EXPECT_EQ(one(findings, "torch").text, "PyTorch 2.3.0+cu121 (pip), built for CUDA 12.1");

    env.torch.pop_back();
    facts.environment = env;
    EXPECT_TRUE(of(run_checks(facts), "torch_duplicates").empty());
}

Facts arch_facts(const std::string& driver_cuda, const std::string& driver_version,
                 const std::string& gpu, const std::string& capability, const char* archs) {
    Facts facts;
    facts.cuda.driver = driver(driver_cuda, driver_version, gpu, capability);
    auto env = environment();
    env.torch.push_back(torch_from_pip("2.1.0+cu121"));
    if (archs != nullptr) {
        env.torch_archs.archs = ArchList::parse(archs);
        env.torch_archs.source = "lib/python3.10/site-packages/torch/lib/libtorch_python.so";
    } else {
        env.torch_archs.failure = "no libtorch_python.so";
    }
    facts.environment = env;
    return facts;
}

constexpr const char* kCu121 = "sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90";

TEST(Checks, GpuAmongTheBuildsArchitectures) {
    const auto ok =
        one(run_checks(arch_facts("12.2", "535.104.05", "NVIDIA GeForce RTX 4090", "8.9", kCu121)),
            "torch_arch");
    EXPECT_EQ(ok.status, Status::ok);
    EXPECT_EQ(ok.text,
              "PyTorch's GPU code covers GPU 0 (NVIDIA GeForce RTX 4090, sm_89): sm_50 sm_60 sm_70 "
              "sm_75 sm_80 sm_86 sm_90 (from lib/python3.10/site-packages/torch/lib/"
              "libtorch_python.so)");
}

TEST(Checks, Rtx50OnABuildWithoutSm120) {
    const auto facts = arch_facts("12.8", "570.86.10", "NVIDIA GeForce RTX 5090", "12.0", kCu121);
    const auto arch = one(run_checks(facts), "torch_arch");
    EXPECT_EQ(arch.status, Status::error);
    EXPECT_NE(arch.text.find("GPU 0 (NVIDIA GeForce RTX 5090, sm_120) is not among PyTorch's GPU "
                             "architectures (sm_50"),
              std::string::npos);
    EXPECT_NE(arch.text.find("\"sm_120 is not compatible with the current PyTorch installation\""),
              std::string::npos);
    // pip's torch goes first, or the conda build would sit under its files.
    EXPECT_EQ(arch.fix,
              "install a build with sm_120: `pip uninstall torch`, then `cenv install -n t "
              "torch=cu128`");

    // The driver is too old for that build: the fix says which driver it needs.
    const auto old =
        one(run_checks(arch_facts("12.1", "530.30.02", "NVIDIA GeForce RTX 5090", "12.0", kCu121)),
            "torch_arch");
    EXPECT_EQ(old.fix,
              "install a build with sm_120: `pip uninstall torch`, then `cenv install -n t "
              "torch=cu128` (needs driver ≥ 570.26)");
}

TEST(Checks, Sm86OnACu102Build) {
    const auto arch = one(run_checks(arch_facts("12.2", "535.104.05", "NVIDIA GeForce RTX 3090",
                                                "8.6", "sm_37 sm_50 sm_60 sm_70")),
                          "torch_arch");
    EXPECT_EQ(arch.status, Status::error);
    EXPECT_EQ(arch.fix,
              "install a build with sm_86: `pip uninstall torch`, then `cenv install -n t "
              "torch=cu121`");
}

TEST(Checks, PtxOnlyIsAWarning) {
    const auto arch = one(run_checks(arch_facts("12.8", "570.86.10", "NVIDIA GeForce RTX 5090",
                                                "12.0", "sm_80 sm_86 sm_90 compute_90")),
                          "torch_arch");
    EXPECT_EQ(arch.status, Status::warning);
    EXPECT_NE(arch.text.find("runs only through PTX compiled at first use"), std::string::npos);
}

TEST(Checks, UnknownArchitecturesSaySo) {
    const auto arch =
        one(run_checks(arch_facts("12.2", "535.104.05", "NVIDIA GeForce RTX 3090", "8.6", nullptr)),
            "torch_arch");
    EXPECT_EQ(arch.status, Status::info);
    EXPECT_EQ(arch.text,
              "cannot tell which GPU architectures PyTorch 2.1.0+cu121 carries (no "
              "libtorch_python.so)");
}

TEST(Checks, NvccAgainstTorchAndDriver) {
    Facts facts;
    facts.cuda.driver = driver("12.1", "530.30.02");
    auto env = environment();
    env.torch.push_back(torch_from_pip("2.1.0+cu121"));
    facts.environment = env;
    NvccFacts nvcc;
    nvcc.path = "/usr/local/cuda-11.8/bin/nvcc";
    nvcc.release = cuda(11, 8);
    nvcc.version = "11.8.89";
    facts.nvcc = nvcc;
    const auto major = one(run_checks(facts), "nvcc");
    EXPECT_EQ(major.status, Status::warning);
    EXPECT_EQ(major.text,
              "nvcc 11.8.89 on PATH (/usr/local/cuda-11.8/bin/nvcc) is CUDA 11.8; the "
              "environment's PyTorch is built for CUDA 12.1: PyTorch refuses to build CUDA "
              "extensions with it (\"The detected CUDA version (11.8) mismatches the version that "
              "was used to compile PyTorch (12.1)\")");
    EXPECT_EQ(major.fix,
              "put a CUDA 12.1 nvcc first on PATH: `cenv install -n t cuda-nvcc=12.1`, then "
              "activate the environment");

    nvcc.release = cuda(12, 4);
    nvcc.version = "12.4.131";
    facts.nvcc = nvcc;
    const auto both = of(run_checks(facts), "nvcc");
    ASSERT_EQ(both.size(), 2U);
    EXPECT_NE(both[0].text.find("PyTorch builds extensions with it but warns"), std::string::npos);
    EXPECT_EQ(both[1].text,
              "nvcc 12.4.131 on PATH (/usr/local/cuda-11.8/bin/nvcc) is newer than the driver's "
              "CUDA 12.1: what it builds needs driver ≥ 550.54.14");

    nvcc.release = cuda(12, 1);
    nvcc.version = "12.1.105";
    facts.nvcc = nvcc;
    const auto fine = one(run_checks(facts), "nvcc");
    EXPECT_EQ(fine.status, Status::ok);
    EXPECT_EQ(fine.text,
              "nvcc 12.1.105 on PATH (/usr/local/cuda-11.8/bin/nvcc) matches: the environment's "
              "PyTorch is built for CUDA 12.1");

    nvcc.release.reset();
    nvcc.failure = "nvcc -V timed out after 3000 ms";
    facts.nvcc = nvcc;
    EXPECT_EQ(one(run_checks(facts), "nvcc").text,
              "nvcc on PATH (/usr/local/cuda-11.8/bin/nvcc) could not be read: nvcc -V timed out "
              "after 3000 ms");
}

TEST(Checks, LibraryPathShadowing) {
    Facts facts;
    auto env = environment();
    env.cuda_libraries = {"libcublas.so.12", "libcudart.so.12"};
    facts.environment = env;
    facts.ld_library_path = "/usr/local/cuda/lib64:/opt/other";
    facts.library_dirs = {LibraryDir{
        "/usr/local/cuda/lib64", false, {"libcudart.so.12", "libcudart.so.12.0.107"}, cuda(12, 0)}};
    const auto shadow = one(run_checks(facts), "ld_library_path");
    EXPECT_EQ(shadow.status, Status::warning);
    EXPECT_EQ(shadow.section, Section::environment);
    EXPECT_EQ(shadow.text,
              "LD_LIBRARY_PATH puts /usr/local/cuda/lib64 (CUDA 12.0) ahead of the environment's "
              "libcudart.so.12: programs and libraries without an RPATH load those instead");
    EXPECT_EQ(shadow.fix, "`export LD_LIBRARY_PATH=/opt/other`");

    facts.ld_library_path = "/usr/local/cuda/lib64";
    EXPECT_EQ(one(run_checks(facts), "ld_library_path").fix, "`unset LD_LIBRARY_PATH`");

    // Without an environment, it is only worth knowing.
    facts.environment.reset();
    const auto machine = one(run_checks(facts), "ld_library_path");
    EXPECT_EQ(machine.status, Status::info);
    EXPECT_EQ(machine.section, Section::machine);
}

TEST(Checks, Mirrors) {
    Facts facts;
    facts.mirrors.targets = {{"mirrors.tuna.tsinghua.edu.cn", "https://x/noarch/repodata.json"}};
    facts.mirrors.skipped_because = "--offline";
    auto mirror = one(run_checks(facts), "mirrors");
    EXPECT_EQ(mirror.status, Status::skipped);
    EXPECT_EQ(mirror.text, "mirrors not checked (--offline): mirrors.tuna.tsinghua.edu.cn");

    facts.mirrors.checked = true;
    channels::ProbeResult good;
    good.name = "mirrors.tuna.tsinghua.edu.cn";
    good.ok = true;
    good.first_byte_secs = 0.042;
    channels::ProbeResult bad;
    bad.name = "mirrors.ustc.edu.cn";
    bad.error = "timed out after 2 s";
    facts.mirrors.results = {good, bad};
    const auto mirrors = of(run_checks(facts), "mirrors");
    ASSERT_EQ(mirrors.size(), 2U);
    EXPECT_EQ(mirrors[0].text, "mirrors.tuna.tsinghua.edu.cn answered in 42 ms");
    EXPECT_EQ(mirrors[1].status, Status::warning);
    EXPECT_EQ(mirrors[1].text,
              "mirrors.ustc.edu.cn did not answer: timed out after 2 s; downloads go to the next "
              "mirror or the channel's own server");
}

TEST(Checks, EmptyEnvironment) {
    Facts facts;
    facts.environment = environment(0);
    const auto env = one(run_checks(facts), "environment");
    EXPECT_EQ(env.status, Status::warning);
    EXPECT_EQ(env.text, "environment /envs/t (-n t): 0 packages");
    EXPECT_EQ(one(run_checks(facts), "torch").text, "no PyTorch in the environment");
}

}  // namespace
}  // namespace cenv::doctor

#include "doctor/torch_build.hpp"

#include <gtest/gtest.h>

namespace cenv::doctor {
namespace {

specs::PackageRecord record(const std::string& version, const std::string& build,
                            const std::string& channel = "") {
    specs::PackageRecord r;
    r.name = "pytorch";
    r.version = version;
    r.build = build;
    r.channel = channel;
    return r;
}

TEST(TorchFromConda, PytorchChannelBuilds) {
    const auto cuda = torch_from_conda(record("2.1.0", "py3.10_cuda12.1_cudnn8.9.2_0"));
    EXPECT_EQ(cuda.kind, TorchKind::cuda);
    EXPECT_EQ(cuda.cuda, (solver::CudaRelease{12, 1}));
    EXPECT_EQ(cuda.family, BuildFamily::pytorch_org);
    EXPECT_EQ(cuda.where, "conda-meta/pytorch-2.1.0-py3.10_cuda12.1_cudnn8.9.2_0.json");
    EXPECT_EQ(cuda.describe(), "conda pytorch 2.1.0 py3.10_cuda12.1_cudnn8.9.2_0");

    const auto cpu = torch_from_conda(record("2.1.0", "py3.10_cpu_0"));
    EXPECT_EQ(cpu.kind, TorchKind::cpu);
    EXPECT_FALSE(cpu.cuda);
}

TEST(TorchFromConda, CondaForgeBuilds) {
    const auto old = torch_from_conda(record("2.1.2", "cuda120_py310h327d3bc_301"));
    EXPECT_EQ(old.kind, TorchKind::cuda);
    EXPECT_EQ(old.cuda, (solver::CudaRelease{12, 0}));
    EXPECT_EQ(old.family, BuildFamily::conda_forge);
    const auto mkl = torch_from_conda(record("2.5.1", "cuda126_mkl_py312_h1234567_304"));
    EXPECT_EQ(mkl.cuda, (solver::CudaRelease{12, 6}));
    const auto cpu = torch_from_conda(record("2.5.1", "cpu_generic_py312_h1234567_0"));
    EXPECT_EQ(cpu.kind, TorchKind::cpu);
    EXPECT_EQ(cpu.family, BuildFamily::conda_forge);
    // The channel decides over the build's shape.
    const auto named = torch_from_conda(
        record("2.1.0", "py3.10_cuda12.1_cudnn8.9.2_0", "https://conda.anaconda.org/conda-forge"));
    EXPECT_EQ(named.family, BuildFamily::conda_forge);
}

TEST(TorchFromPip, LocalVersionSaysTheBuild) {
    const auto cu = torch_from_pip("2.1.0+cu121");
    EXPECT_EQ(cu.kind, TorchKind::cuda);
    EXPECT_EQ(cu.cuda, (solver::CudaRelease{12, 1}));
    EXPECT_EQ(cu.describe(), "pip torch 2.1.0+cu121");
    EXPECT_EQ(torch_from_pip("2.1.0+cu118").cuda, (solver::CudaRelease{11, 8}));
    EXPECT_EQ(torch_from_pip("2.1.0+cpu").kind, TorchKind::cpu);
    EXPECT_EQ(torch_from_pip("2.1.0+cpu.cxx11.abi").kind, TorchKind::cpu);
    EXPECT_EQ(torch_from_pip("2.6.0+rocm6.1").kind, TorchKind::rocm);
    EXPECT_EQ(torch_from_pip("2.5.1").kind, TorchKind::unknown);
}

TEST(TorchVersionFile, ReadsWhatImportTorchWouldSay) {
    const auto cuda = parse_torch_version_file(
        "from typing import Optional\n\n__all__ = ['__version__', 'debug', 'cuda', 'git_version', "
        "'hip']\n__version__ = '2.1.0+cu121'\ndebug = False\ncuda: Optional[str] = '12.1'\n"
        "git_version = '7bcf7da3a268b435777fe87c7794c382f444e86d'\nhip: Optional[str] = None\n");
    ASSERT_TRUE(cuda);
    EXPECT_EQ(cuda->version, "2.1.0+cu121");
    EXPECT_EQ(cuda->cuda, "12.1");
    EXPECT_FALSE(cuda->hip);
    EXPECT_EQ(cuda->kind(), TorchKind::cuda);

    const auto old = parse_torch_version_file("__version__ = \"1.9.0\"\ncuda = None\nhip = None\n");
    ASSERT_TRUE(old);
    EXPECT_EQ(old->kind(), TorchKind::cpu);

    const auto rocm = parse_torch_version_file(
        "__version__ = '2.6.0+rocm6.1'\ncuda: Optional[str] = None\nhip: Optional[str] = '6.1'\n");
    ASSERT_TRUE(rocm);
    EXPECT_EQ(rocm->kind(), TorchKind::rocm);

    // `cuda_version` is another name; no __version__ is no file.
    const auto other = parse_torch_version_file("__version__ = '2.0'\ncuda_version = '11.8'\n");
    ASSERT_TRUE(other);
    EXPECT_FALSE(other->cuda);
    EXPECT_FALSE(parse_torch_version_file("cuda = '12.1'\n"));
}

}  // namespace
}  // namespace cenv::doctor

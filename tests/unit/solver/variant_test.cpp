// `torch=cu121` expansion, the driver checks and their wording (solver/variant.hpp), on
// records shaped like the pytorch channel's, the nvidia channel's and conda-forge's.

#include "solver/variant.hpp"

#include <gtest/gtest.h>

#include "solver/error.hpp"
#include "solver/solve.hpp"

namespace cenv::solver {
namespace {

specs::PackageRecord rec(std::string name, std::string version, std::string build,
                         std::vector<std::string> depends = {},
                         std::vector<std::string> constrains = {}) {
    specs::PackageRecord r;
    r.name = std::move(name);
    r.version = std::move(version);
    r.build = std::move(build);
    r.depends = std::move(depends);
    r.constrains = std::move(constrains);
    r.subdir = "linux-64";
    return r;
}

// The pytorch channel's 2.1.0 builds and its pytorch-cuda pins.
std::vector<specs::PackageRecord> pytorch_channel() {
    return {rec("pytorch", "2.1.0", "py3.10_cuda12.1_cudnn8.9.2_0",
                {"pytorch-cuda >=12.1,<12.2", "pytorch-mutex 1.0 cuda"}),
            rec("pytorch", "2.1.0", "py3.10_cuda11.8_cudnn8.7.0_0",
                {"pytorch-cuda >=11.8,<11.9", "pytorch-mutex 1.0 cuda"}),
            rec("pytorch", "2.1.0", "py3.10_cpu_0", {"pytorch-mutex 1.0 cpu"}),
            rec("pytorch-cuda", "12.1", "ha16c6d3_5", {"cuda-cudart >=12.1,<12.2"}),
            rec("pytorch-cuda", "11.8", "h7e8668a_5", {"cuda-cudart >=11.8,<12.0"})};
}

std::vector<specs::PackageRecord> nvidia_channel() {
    return {rec("cuda-cudart", "12.1.105", "0", {"cuda-version >=12.1,<12.2.0a0"}),
            rec("cuda-cudart", "11.8.89", "0", {"cuda-version >=11.8,<12.0a0"}),
            rec("cuda-version", "12.1", "h1d6eff3_3", {}, {"__cuda >=12"}),
            rec("cuda-version", "11.8", "h70ddcb2_3", {}, {"__cuda >=11"})};
}

std::vector<specs::PackageRecord> conda_forge() {
    return {
        rec("pytorch", "2.3.1", "cuda120_py310h2c91c31_300", {"__cuda", "cuda-version >=12.0,<13"}),
        rec("pytorch", "2.3.1", "cpu_generic_py310h1dbc3a2_300"),
        rec("cuda-version", "12.1", "h1d6eff3_3", {}, {"__cuda >=12"}),
        rec("cuda-version", "12.4", "h3060b56_3", {}, {"__cuda >=12"})};
}

ChannelOffer offer_of(std::initializer_list<std::vector<specs::PackageRecord>> channels) {
    ChannelOffer offer;
    for (const auto& c : channels) {
        offer.add(c);
    }
    return offer;
}

std::vector<std::string> solved(const std::string& spec, const ChannelOffer& offer) {
    return expand_specs({spec}, offer).front().specs;
}

MachineCuda machine(std::optional<std::string> cuda) {
    return {std::move(cuda), "", "CONDA_OVERRIDE_CUDA"};
}

TEST(ExpandSpecs, PytorchChannelRoute) {
    const auto offer = offer_of({pytorch_channel(), nvidia_channel()});
    const auto e = expand_specs({"torch=cu121"}, offer).front();
    EXPECT_EQ(e.package, "pytorch");
    EXPECT_EQ(e.route, "pytorch channel");
    EXPECT_EQ(e.specs,
              (std::vector<std::string>{"pytorch[build=*_cuda12.1*]", "pytorch-cuda=12.1"}));
    EXPECT_EQ(
        e.str(),
        "torch=cu121 -> pytorch[build=*_cuda12.1*] pytorch-cuda=12.1 (pytorch channel route)");
    EXPECT_EQ(solved("torch=2.1=cu118", offer),
              (std::vector<std::string>{"pytorch=2.1[build=*_cuda11.8*]", "pytorch-cuda=11.8"}));
    EXPECT_EQ(solved("pytorch>=2.1=cu121", offer),
              (std::vector<std::string>{"pytorch>=2.1[build=*_cuda12.1*]", "pytorch-cuda=12.1"}));
    EXPECT_EQ(solved("torch=cpu", offer), (std::vector<std::string>{"pytorch[build=*_cpu_*]"}));
    EXPECT_EQ(solved("torch=cuda", offer), (std::vector<std::string>{"pytorch[build=*_cuda*]"}));
    EXPECT_EQ(
        solved("pytorch::torch=cu121", offer),
        (std::vector<std::string>{"pytorch::pytorch[build=*_cuda12.1*]", "pytorch-cuda=12.1"}));
}

TEST(ExpandSpecs, AliasesAndOtherSpecsStayReadable) {
    const auto offer = offer_of({pytorch_channel(), nvidia_channel()});
    const auto out = expand_specs({"torch", "torch==2.1.0", "python=3.10", "torchvision"}, offer);
    ASSERT_EQ(out.size(), 4U);
    EXPECT_EQ(out[0].specs, std::vector<std::string>{"pytorch"});
    EXPECT_TRUE(out[0].changed());
    EXPECT_EQ(out[0].str(), "torch -> pytorch");
    EXPECT_EQ(out[1].specs, std::vector<std::string>{"pytorch==2.1.0"});
    EXPECT_FALSE(out[1].selector.has_value());
    EXPECT_EQ(out[2].specs, std::vector<std::string>{"python=3.10"});
    EXPECT_FALSE(out[2].changed());
    EXPECT_FALSE(out[3].changed());
    // A build string that is no selector is the user's own.
    EXPECT_EQ(solved("torch=2.1.0=py3.10_cpu_0", offer),
              std::vector<std::string>{"pytorch=2.1.0=py3.10_cpu_0"});
}

TEST(ExpandSpecs, RemoveTakesAliasesOnly) {
    const auto out = expand_aliases({"torch", "pytorch::torch", "numpy", "torch=cu121"});
    EXPECT_EQ(out[0].specs, std::vector<std::string>{"pytorch"});
    EXPECT_EQ(out[1].specs, std::vector<std::string>{"pytorch::pytorch"});
    EXPECT_FALSE(out[2].changed());
    EXPECT_EQ(out[3].specs, std::vector<std::string>{"pytorch=cu121"});
}

TEST(ExpandSpecs, CondaForgeRoute) {
    const auto offer = offer_of({conda_forge()});
    const auto e = expand_specs({"torch=cu121"}, offer).front();
    EXPECT_EQ(e.route, "conda-forge");
    EXPECT_EQ(e.specs, (std::vector<std::string>{"pytorch[build=cuda*]", "cuda-version=12.1"}));
    EXPECT_EQ(solved("torch=cpu", offer), std::vector<std::string>{"pytorch[build=cpu*]"});
    EXPECT_EQ(solved("torch=cuda", offer), std::vector<std::string>{"pytorch[build=cuda*]"});
}

TEST(ExpandSpecs, MirrorWithoutNvidiaPointsAtCondaForge) {
    const auto offer = offer_of({pytorch_channel()});
    try {
        expand_specs({"torch=cu121"}, offer);
        FAIL() << "no error";
    } catch (const VariantError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "'torch=cu121': the CUDA 12.1 builds of pytorch in the channels in use need "
                  "packages that the channels do not have (cuda-cudart=12.1)");
        EXPECT_NE(e.hint().find("-c conda-forge"), std::string::npos) << e.hint();
        EXPECT_NE(e.hint().find("cuda-version=12.1"), std::string::npos) << e.hint();
        ASSERT_EQ(e.details().size(), 2U);
        EXPECT_NE(e.details()[0].find("nvidia channel"), std::string::npos);
    }
    // With conda-forge's packages beside it, that route is taken, unless strict channel
    // priority hides them behind the pytorch channel's pytorch.
    auto pytorch_first = pytorch_channel();
    for (auto& r : pytorch_first) {
        r.channel = "pytorch";
    }
    auto forge = conda_forge();
    for (auto& r : forge) {
        r.channel = "conda-forge";
    }
    ChannelOffer both;
    both.add(pytorch_first);
    both.add(forge);
    EXPECT_THROW(expand_specs({"torch=cu121"}, both), VariantError);
    both.set_strict(false);
    EXPECT_EQ(expand_specs({"torch=cu121"}, both).front().route, "conda-forge");
    ChannelOffer forge_first;
    forge_first.add(forge);
    forge_first.add(pytorch_first);
    EXPECT_EQ(expand_specs({"torch=cu121"}, forge_first).front().route, "conda-forge");
}

TEST(ExpandSpecs, MissingVariantNamesTheOnesThere) {
    const auto offer = offer_of({pytorch_channel(), nvidia_channel()});
    try {
        expand_specs({"torch=cu124"}, offer);
        FAIL() << "no error";
    } catch (const VariantError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "'torch=cu124': no CUDA 12.4 build of pytorch in the channels in use");
        EXPECT_NE(e.hint().find("the channels have torch=cu121, torch=cu118, torch=cpu;"),
                  std::string::npos)
            << e.hint();
    }
    EXPECT_THROW(expand_specs({"numpy=cu121"}, offer), VariantError);
    try {
        expand_specs({"torch=2.3=cu121"}, offer);
        FAIL() << "no error";
    } catch (const VariantError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "'torch=2.3=cu121': no CUDA 12.1 build of pytorch=2.3 in the channels in use");
    }
}

TEST(CheckDriver, NewerMajorNeedsNewerDriver) {
    const auto offer = offer_of({pytorch_channel(), nvidia_channel()});
    const auto e = expand_specs({"torch=cu121"}, offer);
    try {
        check_driver(e, machine("11.8"), offer);
        FAIL() << "no error";
    } catch (const VariantError& err) {
        EXPECT_EQ(std::string(err.what()),
                  "'torch=cu121' needs a newer NVIDIA driver: this machine supports CUDA 11.8 "
                  "and the CUDA 12.1 build needs CUDA 12");
        ASSERT_EQ(err.details().size(), 4U);
        EXPECT_EQ(err.details()[0], "detected: CONDA_OVERRIDE_CUDA=11.8 -> CUDA 11.8");
        EXPECT_EQ(err.details()[1],
                  "needed: CUDA 12.1 needs a driver that supports CUDA 12: driver >= 530.30.02 "
                  "(Linux) / 531.14 (Windows), or at least 525.60.13 (Linux) / 527.41 "
                  "(Windows) through minor-version compatibility");
        EXPECT_EQ(err.details()[2], "would work now: torch=cu118, torch=cpu");
        EXPECT_NE(err.details()[3].find("CONDA_OVERRIDE_CUDA=12.1"), std::string::npos);
        EXPECT_NE(err.hint().find("torch=cu118"), std::string::npos);
    }
    EXPECT_TRUE(check_driver(e, machine("12.4"), offer).empty());
    EXPECT_TRUE(check_driver(e, machine("13.0"), offer).empty());
}

TEST(CheckDriver, MinorVersionCompatibilityIsSaid) {
    const auto offer = offer_of({pytorch_channel(), nvidia_channel()});
    const auto warnings =
        check_driver(expand_specs({"torch=cu121"}, offer), {"12.0", "525.60.13", "NVML"}, offer);
    ASSERT_EQ(warnings.size(), 1U);
    EXPECT_NE(warnings[0].find("driver 525.60.13 -> CUDA 12.0"), std::string::npos) << warnings[0];
    EXPECT_NE(warnings[0].find("minor-version compatibility"), std::string::npos);
}

TEST(CheckDriver, NoGpu) {
    const auto offer = offer_of({pytorch_channel(), nvidia_channel()});
    for (const char* spec : {"torch=cu118", "torch=cuda"}) {
        try {
            check_driver(expand_specs({spec}, offer), machine(std::nullopt), offer);
            FAIL() << spec;
        } catch (const VariantError& err) {
            EXPECT_NE(std::string(err.what())
                          .find("needs an NVIDIA GPU driver, and "
                                "CONDA_OVERRIDE_CUDA is empty (no GPU)"),
                      std::string::npos)
                << err.what();
            EXPECT_EQ(err.details()[2], "would work now: torch=cpu");
        }
    }
    EXPECT_TRUE(
        check_driver(expand_specs({"torch=cpu"}, offer), machine(std::nullopt), offer).empty());
    EXPECT_EQ(MachineCuda{}.describe(), "no NVIDIA driver was detected (no __cuda)");
}

TEST(SolvedCuda, ReadsRuntimeOrBuild) {
    EXPECT_EQ(solved_cuda({rec("pytorch", "2.1.0", "py3.10_cuda12.1_cudnn8.9.2_0")}, "pytorch"),
              (CudaRelease{12, 1}));
    EXPECT_EQ(solved_cuda({rec("pytorch", "2.3.1", "cuda120_py310h2c91c31_300")}, "pytorch"),
              (CudaRelease{12, 0}));
    EXPECT_EQ(solved_cuda({rec("pytorch", "2.3.1", "cuda120_py310h2c91c31_300"),
                           rec("cuda-version", "12.4", "0")},
                          "pytorch"),
              (CudaRelease{12, 4}));
    EXPECT_FALSE(solved_cuda({rec("pytorch", "2.1.0", "py3.10_cpu_0")}, "pytorch"));
    EXPECT_FALSE(solved_cuda({}, "pytorch"));
}

TEST(BuildCudaRelease, PytorchChannelCondaForgeAndPipSpellings) {
    EXPECT_EQ(build_cuda_release("py3.10_cuda12.1_cudnn8.9.2_0"), (CudaRelease{12, 1}));
    EXPECT_EQ(build_cuda_release("py3.9_cuda11.8_cudnn8.7.0_0"), (CudaRelease{11, 8}));
    EXPECT_EQ(build_cuda_release("cuda120_py310h2c91c31_300"), (CudaRelease{12, 0}));
    EXPECT_EQ(build_cuda_release("cuda126_mkl_py312_h1234567_304"), (CudaRelease{12, 6}));
    EXPECT_EQ(build_cuda_release("cuda112py39h0123456_1"), (CudaRelease{11, 2}));
    EXPECT_EQ(build_cuda_release("cu121"), (CudaRelease{12, 1}));
    EXPECT_FALSE(build_cuda_release("py3.10_cpu_0"));
    EXPECT_FALSE(build_cuda_release("cpu_mkl_py312_h1234567_0"));
    EXPECT_FALSE(build_cuda_release("py310_cudnn8_0"));
    EXPECT_FALSE(build_cuda_release("cu12"));
}

TEST(DescribeChoice, SaysWhichAndHowToChooseAnother) {
    const auto offer = offer_of({pytorch_channel(), nvidia_channel()});
    const auto bare = expand_specs({"torch"}, offer).front();
    EXPECT_EQ(describe_choice(bare,
                              {rec("pytorch", "2.1.0", "py3.10_cuda12.1_cudnn8.9.2_0"),
                               rec("pytorch-cuda", "12.1", "ha16c6d3_5")},
                              machine("12.4"), offer),
              "torch: chose the CUDA 12.1 build 2.1.0 py3.10_cuda12.1_cudnn8.9.2_0 for "
              "CONDA_OVERRIDE_CUDA=12.4 -> CUDA 12.4; choose another with torch=cu118 or "
              "torch=cpu");
    EXPECT_EQ(describe_choice(bare, {rec("pytorch", "2.1.0", "py3.10_cpu_0")},
                              machine(std::nullopt), offer),
              "torch: chose the CPU build 2.1.0 py3.10_cpu_0: CONDA_OVERRIDE_CUDA is empty (no "
              "GPU); for a machine with a GPU, ask for torch=cu121 with CONDA_OVERRIDE_CUDA=12.1");
    EXPECT_EQ(
        describe_choice(expand_specs({"torch=cpu"}, offer).front(),
                        {rec("pytorch", "2.1.0", "py3.10_cpu_0")}, machine(std::nullopt), offer),
        "");
}

TEST(RuntimeCap, OnlyWhenCenvChoosesTheRelease) {
    const auto offer = offer_of({conda_forge()});
    EXPECT_EQ(runtime_cap(expand_specs({"torch"}, offer), machine("12.4"), offer),
              "cuda-version <12.5.0a0");
    EXPECT_EQ(runtime_cap(expand_specs({"torch=cuda"}, offer), machine("12.0"), offer),
              "cuda-version <12.1.0a0");
    EXPECT_FALSE(runtime_cap(expand_specs({"torch=cu121"}, offer), machine("12.0"), offer));
    EXPECT_FALSE(runtime_cap(expand_specs({"torch"}, offer), machine(std::nullopt), offer));
    EXPECT_FALSE(runtime_cap(expand_specs({"numpy"}, offer), machine("12.4"), offer));
    EXPECT_FALSE(runtime_cap(expand_specs({"torch"}, offer_of({pytorch_channel()})),
                             machine("12.4"), offer_of({pytorch_channel()})));
}

// The driver limit is part of the solve: with __cuda 11.8, cuda-version 12.1 (which
// constrains __cuda >=12) is never chosen, whatever asks for it (micromamba drops the
// virtual package instead).
TEST(DriverLimit, CudaVersionNeverExceedsTheDriver) {
    const auto solve_with = [](const char* cuda, std::vector<std::string> specs) {
        Database db;
        auto records = pytorch_channel();
        for (auto& r : nvidia_channel()) {
            records.push_back(std::move(r));
        }
        records.push_back(rec("pytorch-mutex", "1.0", "cuda"));
        records.push_back(rec("pytorch-mutex", "1.0", "cpu"));
        db.add_repo("test/linux-64", 0, std::move(records));
        db.add_virtual_packages({rec("__cuda", cuda, "0")});
        Request request;
        request.specs = std::move(specs);
        return solve(db, request).final_state;
    };
    EXPECT_THROW(solve_with("11.8", {"cuda-version=12.1"}), UnsolvableError);
    EXPECT_THROW(solve_with("11.8", {"pytorch[build=*cuda12.1*]"}), UnsolvableError);
    for (const auto& r : solve_with("11.8", {"pytorch"})) {
        if (r.name == "cuda-version") {
            EXPECT_EQ(r.version, "11.8");
        }
        if (r.name == "pytorch") {
            EXPECT_EQ(r.build, "py3.10_cuda11.8_cudnn8.7.0_0");
        }
    }
    bool saw = false;
    for (const auto& r : solve_with("12.0", {"pytorch"})) {
        if (r.name == "cuda-version") {
            EXPECT_EQ(r.version, "12.1");  // minor-version compatibility: 12.x on a 12.0 driver
            saw = true;
        }
    }
    EXPECT_TRUE(saw);
}

}  // namespace
}  // namespace cenv::solver

// Solves against conda's own test channels (../shared/fixtures/conda-cases/channels) and
// checks the packages conda's test-suite expects.

#include "solver/solve.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "solver/error.hpp"
#include "specs/error.hpp"
#include "specs/repodata.hpp"

namespace cenv::solver {
namespace {

const std::filesystem::path kCases = std::filesystem::path(CENV_FIXTURES_DIR) / "conda-cases";

void add_channel(Database& db, const std::string& name, int priority) {
    for (const char* subdir : {"linux-64", "noarch"}) {
        const auto file = kCases / "channels" / name / subdir / "repodata.json";
        if (!std::filesystem::exists(file)) {
            continue;
        }
        const std::string url = "file://" + (kCases / "channels" / name).string();
        auto repodata = specs::load_repodata(file, {url, url + "/" + subdir, file.string()});
        db.add_repo(name + "/" + subdir, priority, std::move(repodata.records));
    }
}

std::set<std::string> dists(const std::vector<specs::PackageRecord>& records) {
    std::set<std::string> out;
    for (const auto& r : records) {
        out.insert(r.dist_str());
    }
    return out;
}

specs::PackageRecord virtual_package(std::string name, std::string version) {
    specs::PackageRecord r;
    r.name = std::move(name);
    r.version = std::move(version);
    r.build = "0";
    return r;
}

// conda: tests/core/test_solve.py::test_solve_1, first step.
TEST(Solve, CreateNumpyPicksNewestPythonAndItsClosure) {
    Database db;
    add_channel(db, "channel-1", 0);
    Request request;
    request.specs = {"numpy"};
    const Solution solution = solve(db, request);
    const std::set<std::string> expected = {
        "numpy-1.7.1-py33_0", "openssl-1.0.1c-0", "python-3.3.2-0", "readline-6.2-0",
        "sqlite-3.7.13-0",    "system-5.8-1",     "tk-8.5.13-0",    "zlib-1.2.7-0"};
    EXPECT_EQ(dists(solution.link), expected);
    EXPECT_TRUE(solution.unlink.empty());
    EXPECT_EQ(dists(solution.final_state), expected);
}

// conda: test_solve.py::test_update_prune_1, first step: a version spec on a dependency.
TEST(Solve, CreateWithPinnedPython) {
    Database db;
    add_channel(db, "channel-1", 0);
    Request request;
    request.specs = {"numpy", "python=2.7.3"};
    const auto linked = dists(solve(db, request).link);
    EXPECT_TRUE(linked.count("numpy-1.7.1-py27_0")) << *linked.begin();
    EXPECT_TRUE(linked.count("python-2.7.3-7"));
    EXPECT_EQ(linked.size(), 8U);
}

TEST(Solve, LinkOrderPutsDependenciesFirst) {
    Database db;
    add_channel(db, "channel-1", 0);
    Request request;
    request.specs = {"numpy"};
    const auto link = solve(db, request).link;
    const auto pos = [&](const std::string& name) {
        return std::find_if(link.begin(), link.end(),
                            [&](const auto& r) { return r.name == name; }) -
               link.begin();
    };
    EXPECT_LT(pos("python"), pos("numpy"));
    EXPECT_LT(pos("zlib"), pos("python"));
}

TEST(Solve, UnknownPackageIsNotFound) {
    Database db;
    add_channel(db, "channel-1", 0);
    Request request;
    request.specs = {"numpy", "no-such-package"};
    try {
        (void)solve(db, request);
        FAIL() << "expected PackagesNotFoundError";
    } catch (const PackagesNotFoundError& e) {
        EXPECT_EQ(e.specs(), std::vector<std::string>{"no-such-package"});
        EXPECT_NE(std::string(e.what()).find("no-such-package"), std::string::npos);
    }
}

TEST(Solve, ConflictingSpecsAreUnsolvable) {
    Database db;
    add_channel(db, "channel-1", 0);
    Request request;
    request.specs = {"numpy=1.5", "python=3.3"};  // channel-1 has no numpy 1.5 for python 3.3
    EXPECT_THROW((void)solve(db, request), UnsolvableError);
}

// conda: test_solve.py::test_solve_msgs_exclude_vp: python 2.7.5 needs readline 6.2.
TEST(Solve, ExplanationFollowsTheChainToTheConflict) {
    Database db;
    add_channel(db, "channel-1", 0);
    db.add_virtual_packages({virtual_package("__cuda", "10.0")});
    Request request;
    request.specs = {"python =2.7.5", "readline =5.0"};
    try {
        (void)solve(db, request);
        FAIL() << "expected UnsolvableError";
    } catch (const UnsolvableError& e) {
        const auto& p = e.problems();
        const auto has = [&](const std::string& line) {
            return std::find(p.begin(), p.end(), line) != p.end();
        };
        EXPECT_TRUE(has("the request 'python =2.7.5'"));
        EXPECT_TRUE(has("the request 'readline =5.0'"));
        EXPECT_TRUE(has("python 2.7.5 0 depends on 'readline 6.2'"));
        for (const auto& line : p) {
            EXPECT_EQ(line.find("__cuda"), std::string::npos) << line;  // as conda checks
        }
    }
}

// Removing python takes numpy (which depends on it) along; --force removes python only.
TEST(Solve, RemoveTakesDependantsUnlessForced) {
    const auto remove = [](bool force) {
        Database db;
        add_channel(db, "channel-1", 0);
        Request create;
        create.specs = {"numpy"};
        auto installed = solve(db, create).final_state;
        Database env;
        env.add_installed(std::move(installed));
        Request request;
        request.op = Request::Op::remove;
        request.specs = {"python"};
        request.force_remove = force;
        return dists(solve(env, request).unlink);
    };
    const auto removed = remove(false);
    EXPECT_TRUE(removed.count("python-3.3.2-0"));
    EXPECT_TRUE(removed.count("numpy-1.7.1-py33_0"));
    EXPECT_EQ(remove(true), std::set<std::string>{"python-3.3.2-0"});
}

// The pytorch channel alone: pytorch-cuda needs nvidia's cuda-* packages, which it lacks.
TEST(Solve, PytorchCudaWithoutTheNvidiaChannelSaysWhere) {
    Database db;
    const auto file = std::filesystem::path(CENV_FIXTURES_DIR) / "channels" / "pytorch" /
                      "linux-64" / "repodata.json";
    auto repodata = specs::load_repodata(file, {"pytorch", "file:///pytorch/linux-64", ""});
    db.add_repo("pytorch/linux-64", 1, std::move(repodata.records));
    db.add_virtual_packages({virtual_package("__cuda", "12.2")});
    Request request;
    request.specs = {"pytorch-cuda=12.1"};
    try {
        (void)solve(db, request);
        FAIL() << "expected UnsolvableError";
    } catch (const UnsolvableError& e) {
        EXPECT_NE(e.hint().find("nvidia channel"), std::string::npos) << e.hint();
        const auto& p = e.problems();
        EXPECT_TRUE(std::any_of(p.begin(), p.end(), [](const std::string& line) {
            return line.find("depends on 'cuda-") != std::string::npos;
        }));
    }
}

TEST(Solve, MalformedSpecIsAParseError) {
    Database db;
    add_channel(db, "channel-1", 0);
    Request request;
    request.specs = {"numpy >=>1"};
    EXPECT_THROW((void)solve(db, request), specs::ParseError);
}

// conda: test_solve.py::test_cuda_1 / test_cuda_2 / test_cuda_fail_1 / test_cuda_fail_2.
TEST(Solve, CudaToolkitFollowsTheDriver) {
    const auto solve_with = [](const char* cuda) {
        Database db;
        add_channel(db, "channel-1", 0);
        if (cuda != nullptr) {
            db.add_virtual_packages({virtual_package("__cuda", cuda)});
        }
        Request request;
        request.specs = {"cudatoolkit"};
        return dists(solve(db, request).link);
    };
    EXPECT_EQ(solve_with("9.2"), std::set<std::string>{"cudatoolkit-9.0-0"});
    EXPECT_EQ(solve_with("10.0"), std::set<std::string>{"cudatoolkit-10.0-0"});
    EXPECT_THROW((void)solve_with("8.0"), UnsolvableError);
    EXPECT_THROW((void)solve_with(nullptr), UnsolvableError);
}

// conda: test_cuda_constrain_absent / _sat / _unsat: constrains on a virtual package.
TEST(Solve, ConstrainsOnVirtualPackages) {
    const auto solve_with = [](const char* cuda) {
        Database db;
        add_channel(db, "channel-1", 0);
        if (cuda != nullptr) {
            db.add_virtual_packages({virtual_package("__cuda", cuda)});
        }
        Request request;
        request.specs = {"cuda-constrain"};
        return dists(solve(db, request).link);
    };
    EXPECT_EQ(solve_with(nullptr), std::set<std::string>{"cuda-constrain-11.0-0"});
    EXPECT_EQ(solve_with("10.0"), std::set<std::string>{"cuda-constrain-10.0-0"});
    EXPECT_THROW((void)solve_with("8.0"), UnsolvableError);
}

// The explanation names what the machine has and how to solve for another one.
TEST(Solve, CudaExplanationNamesTheDriverAndTheOverride) {
    Database db;
    add_channel(db, "channel-1", 0);
    db.add_virtual_packages({virtual_package("__cuda", "8.0")});
    Request request;
    request.specs = {"cudatoolkit"};
    try {
        (void)solve(db, request);
        FAIL() << "expected UnsolvableError";
    } catch (const UnsolvableError& e) {
        const auto& problems = e.problems();
        EXPECT_NE(std::find(problems.begin(), problems.end(),
                            "cudatoolkit-10.0-0 needs '__cuda>=10.0', but this machine provides "
                            "__cuda 8.0"),
                  problems.end());
        EXPECT_NE(e.hint().find("CUDA up to 8.0"), std::string::npos);
        EXPECT_NE(e.hint().find("CONDA_OVERRIDE_CUDA="), std::string::npos);
    }
}

TEST(Solve, MissingPackageSuggestsCloseNames) {
    Database db;
    add_channel(db, "channel-1", 0);
    Request request;
    request.specs = {"numpyy"};
    try {
        (void)solve(db, request);
        FAIL() << "expected PackagesNotFoundError";
    } catch (const PackagesNotFoundError& e) {
        EXPECT_NE(e.hint().find("did you mean 'numpy'"), std::string::npos) << e.hint();
        EXPECT_NE(std::string(e.what()).find("channel-1 (linux-64, noarch)"), std::string::npos)
            << e.what();
    }
}

// conda: test_solve.py::test_pinned_1 first steps: a pin keeps python at 2.6 even when the
// request alone would take 3.3.
TEST(Solve, PinsConstrainWithoutInstalling) {
    Database db;
    add_channel(db, "channel-1", 0);
    Request request;
    request.specs = {"numpy"};
    request.pins = {"python=2.6", "iopro<=1.4.2"};
    const auto linked = dists(solve(db, request).link);
    EXPECT_TRUE(linked.count("python-2.6.8-6")) << *linked.begin();
    EXPECT_TRUE(linked.count("numpy-1.7.1-py26_0"));
    for (const auto& d : linked) {
        EXPECT_EQ(d.rfind("iopro", 0), std::string::npos) << d;
    }
}

}  // namespace
}  // namespace cenv::solver

namespace cenv::solver {
namespace {

specs::PackageRecord pruning_record(std::string name, std::string version,
                                    std::vector<std::string> depends = {}) {
    specs::PackageRecord r;
    r.name = std::move(name);
    r.version = std::move(version);
    r.build = "0";
    r.depends = std::move(depends);
    r.subdir = "linux-64";
    return r;
}

// Builds that all lack the same dependency are one line, not one per build, and the tree
// carries the same lines with their kinds.
TEST(Explain, BuildsMissingTheSameDependencyAreOneLine) {
    Database db;
    auto b0 = pruning_record("app", "1.0", {"libmissing", "zlib"});
    auto b1 = b0;
    b1.build = "1";
    db.add_repo(
        "test/linux-64", 0,
        {b0, b1, pruning_record("app", "1.1", {"libmissing"}), pruning_record("zlib", "1.2")});
    Request request;
    request.specs = {"app"};
    try {
        solve(db, request);
        FAIL() << "solved";
    } catch (const UnsolvableError& e) {
        EXPECT_EQ(e.problems(), (std::vector<std::string>{
                                    "the request 'app'",
                                    "app 1.0, 1.1 (3 builds) depends on 'libmissing', which no "
                                    "package provides"}));
        ASSERT_EQ(e.tree().size(), 1U);
        const auto& steps = e.tree().front();
        ASSERT_EQ(steps.size(), 2U);
        EXPECT_EQ(steps[0].kind, "request");
        EXPECT_EQ(steps[1].kind, "missing");
        EXPECT_EQ(steps[1].spec, "libmissing");
        EXPECT_NE(e.hint().find("'libmissing' is in none of the channels searched (test"),
                  std::string::npos)
            << e.hint();
    }
}

}  // namespace
}  // namespace cenv::solver

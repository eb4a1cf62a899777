#include "install/pyc_compile.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_support.hpp"
#include "util/subprocess.hpp"

namespace cenv::install {
namespace {

namespace fs = std::filesystem;

// This machine's python3 (the test needs a real interpreter).
fs::path machine_python() {
    const auto run =
        util::run_process({{"python3", "-c", "import sys; print(sys.executable)"}, {}, {}, {}});
    std::string path = run.out;
    while (!path.empty() && path.back() == '\n') {
        path.pop_back();
    }
    return path;
}

TEST(PycCompile, CompilesEachFileToItsTargetAndReportsFailures) {
    test::ScratchDir scratch;
    const fs::path prefix = scratch.path();
    fs::create_directories(prefix / "sp/pkg");
    std::vector<PycJob> jobs;
    for (int i = 0; i < 100; ++i) {  // enough to use several worker processes
        const std::string name = fmt::format("m{}", i);
        test::spit(prefix / fmt::format("sp/pkg/{}.py", name), fmt::format("VALUE = {}\n", i));
        jobs.push_back({fmt::format("sp/pkg/{}.py", name),
                        fmt::format("sp/pkg/__pycache__/{}.custom.pyc", name)});
    }
    test::spit(prefix / "sp/pkg/broken.py", "def f(:\n");
    jobs.push_back({"sp/pkg/broken.py", "sp/pkg/__pycache__/broken.custom.pyc"});
    const PycResult result = compile_pyc(machine_python(), prefix, jobs);
    ASSERT_EQ(result.compiled.size(), jobs.size());
    for (std::size_t i = 0; i + 1 < jobs.size(); ++i) {
        EXPECT_TRUE(result.compiled[i]) << jobs[i].source;
        EXPECT_TRUE(fs::is_regular_file(prefix / jobs[i].target));
    }
    EXPECT_FALSE(result.compiled.back());
    ASSERT_EQ(result.problems.size(), 1U);
    EXPECT_NE(result.problems.front().find("broken.py"), std::string::npos);
}

}  // namespace
}  // namespace cenv::install

#include "util/subprocess.hpp"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "util/file.hpp"

namespace cenv::util {
namespace {

TEST(RunProcess, CollectsBothStreamsAndTheStatus) {
    const auto result = run_process({{"sh", "-c", "echo out; echo err >&2; exit 3"}, {}, {}, {}});
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_EQ(result.out, "out\n");
    EXPECT_EQ(result.err, "err\n");
}

TEST(RunProcess, LargeInputAndOutputDoNotBlock) {
    std::string input;
    for (int i = 0; i < 200000; ++i) {
        input += "line " + std::to_string(i) + "\n";
    }
    const auto result = run_process({{"cat"}, {}, {}, input});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.out, input);
}

TEST(RunProcess, EnvironmentAndWorkingDirectory) {
    ProcessSpec spec{{"sh", "-c", "echo \"$CENV_TEST_A:${HOME-unset}:$(pwd)\""}, {}, "/", {}};
    spec.environment["CENV_TEST_A"] = "set";
    spec.environment["HOME"] = std::nullopt;
    EXPECT_EQ(run_process(spec).out, "set:unset:/\n");
}

TEST(RunProcess, ACancelledChildIsTerminated) {
    std::atomic<bool> cancel{false};
    ProcessSpec spec{{"sh", "-c", "echo started; exec sleep 60"}, {}, {}, {}};
    spec.cancel = &cancel;
    std::thread later([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        cancel = true;
    });
    const auto result = run_process(spec);
    later.join();
    EXPECT_EQ(result.exit_code, 128 + 15);
    EXPECT_EQ(result.out, "started\n");
}

TEST(RunProcess, SignalsAndMissingPrograms) {
    EXPECT_EQ(run_process({{"sh", "-c", "kill -TERM $$"}, {}, {}, {}}).exit_code, 128 + 15);
    EXPECT_THROW((void)run_process({{"/no/such/program"}, {}, {}, {}}), IoError);
}

}  // namespace
}  // namespace cenv::util

#pragma once
// `cenv doctor`'s entry point: gathers the facts of this machine and, when one is given, an
// environment (every external call isolated and limited in time, the driver detection
// through its cache), then runs the checks.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "channels/mirror_probe.hpp"
#include "config/channel_settings.hpp"
#include "doctor/facts.hpp"
#include "doctor/report.hpp"
#include "system/detect_options.hpp"

namespace cenv::doctor {

/// The environment to diagnose.
struct EnvironmentTarget {
    std::filesystem::path prefix;
    std::string selector;  ///< how fixes name it: "-n comfy", "-p /x/env"
};

struct Options {
    /// Where the driver is looked for, its cache, and the variables overrides come from.
    system::DetectOptions detect;
    std::optional<EnvironmentTarget> environment;  ///< nullopt: the machine only
    /// How long `nvcc -V` may take.
    std::chrono::milliseconds program_timeout{3000};

    config::ChannelSettings channels;  ///< where the configured mirrors are
    bool offline = false;              ///< do not touch the network
    /// Fetches a mirror's probe file (the downloader's); empty when this build cannot fetch,
    /// and `no_fetch_reason` says why.
    channels::ProbeFetch fetch;
    std::string no_fetch_reason = "no way to fetch was given";
    double mirror_timeout_secs = 2;
};

/// The facts of an environment. Throws DoctorError when `target.prefix` holds no
/// environment (no conda-meta folder).
EnvironmentFacts environment_facts(const EnvironmentTarget& target);

/// Everything the checks look at.
Facts gather_facts(const Options& options);

/// gather_facts, then run_checks.
Report diagnose(const Options& options);

}  // namespace cenv::doctor

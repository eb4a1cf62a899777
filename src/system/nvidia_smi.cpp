#include "system/nvidia_smi.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

#include "system/driver_record.hpp"
#include "system/error.hpp"
#include "system/isolated.hpp"
#include "util/strings.hpp"

namespace cenv::system {

namespace {

/// The word after `label` in `text` ("CUDA Version:" -> "12.2"); empty when absent.
std::string value_after(std::string_view text, std::string_view label) {
    const std::size_t at = text.find(label);
    if (at == std::string_view::npos) {
        return {};
    }
    std::string_view rest = text.substr(at + label.size());
    const std::size_t begin = rest.find_first_not_of(" \t");
    if (begin == std::string_view::npos) {
        return {};
    }
    rest = rest.substr(begin);
    return std::string(rest.substr(0, rest.find_first_of(" \t\r\n|")));
}

/// The comma-separated columns of a CSV line, trimmed (nvidia-smi quotes nothing).
std::vector<std::string_view> columns(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (true) {
        const std::size_t comma = line.find(',', pos);
        out.push_back(util::trim(line.substr(pos, comma - pos)));
        if (comma == std::string_view::npos) {
            return out;
        }
        pos = comma + 1;
    }
}

/// A regular file with an execute bit that this process may execute.
bool executable(const std::filesystem::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111) != 0 &&
           ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::optional<CudaDriver> parse_nvidia_smi_summary(std::string_view output) {
    std::string cuda = value_after(output, "CUDA Version:");
    // Keep major.minor should a driver ever print more ("12.2.1").
    if (const std::size_t first = cuda.find('.'); first != std::string::npos) {
        if (const std::size_t second = cuda.find('.', first + 1); second != std::string::npos) {
            cuda.resize(second);
        }
    }
    if (!is_major_minor(cuda)) {
        return std::nullopt;
    }
    CudaDriver driver;
    driver.cuda_version = cuda;
    driver.driver_version = value_after(output, "Driver Version:");
    return driver;
}

std::vector<Gpu> parse_nvidia_smi_gpus(std::string_view csv, bool with_compute_capability) {
    std::vector<Gpu> gpus;
    const std::size_t min_columns = with_compute_capability ? 3 : 2;
    for (const std::string_view line : util::split_any(csv, "\r\n")) {
        const auto cols = columns(line);
        if (util::trim(line).empty() || cols.size() < min_columns) {
            continue;
        }
        Gpu gpu;
        // A name with a comma in it spreads over several columns: join them back.
        const std::size_t last_name = with_compute_capability ? cols.size() - 2 : cols.size() - 1;
        for (std::size_t i = 1; i <= last_name; ++i) {
            if (i > 1) {
                gpu.name += ", ";
            }
            gpu.name += cols[i];
        }
        if (with_compute_capability && is_major_minor(cols.back())) {
            gpu.compute_capability = std::string(cols.back());
        }
        if (gpu.name.empty()) {
            continue;
        }
        gpus.push_back(std::move(gpu));
    }
    return gpus;
}

std::optional<std::filesystem::path> find_program(std::string_view name) {
    if (name.empty()) {
        return std::nullopt;
    }
    if (name.find('/') != std::string_view::npos) {
        const std::filesystem::path path(name);
        if (executable(path)) {
            return path;
        }
        return std::nullopt;
    }
    const char* path_var = std::getenv("PATH");
    for (const std::string_view dir :
         util::split_any(path_var != nullptr ? path_var : "/usr/local/bin:/usr/bin:/bin", ":")) {
        std::filesystem::path candidate = std::filesystem::path(dir) / name;
        if (executable(candidate)) {
            return candidate;
        }
    }
    return std::nullopt;
}

ProbeResult probe_nvidia_smi(const std::filesystem::path& program,
                             std::chrono::milliseconds timeout) {
    ProbeResult result;
    result.loaded = program.string();
    const std::vector<std::string> unset{"CUDA_VISIBLE_DEVICES"};
    try {
        const ChildResult summary = run_program(program, {}, timeout, unset);
        if (!summary.ok()) {
            const std::string first_line(
                util::trim(summary.output.substr(0, summary.output.find('\n'))));
            result.failure = first_line.empty()
                                 ? fmt::format("it {}", summary.describe())
                                 : fmt::format("it {}: {}", summary.describe(), first_line);
            return result;
        }
        auto driver = parse_nvidia_smi_summary(summary.output);
        if (!driver) {
            result.failure = "its output has no \"CUDA Version: X.Y\"";
            return result;
        }
        for (const bool with_cc : {true, false}) {
            const std::string query = with_cc ? "--query-gpu=driver_version,name,compute_cap"
                                              : "--query-gpu=driver_version,name";
            const ChildResult gpus =
                run_program(program, {query, "--format=csv,noheader"}, timeout, unset);
            if (gpus.ending == ChildResult::Ending::timed_out) {
                break;  // a second hang would only double the wait
            }
            if (gpus.ok()) {
                driver->gpus = parse_nvidia_smi_gpus(gpus.output, with_cc);
                if (driver->driver_version.empty()) {
                    const auto cols =
                        columns(std::string_view(gpus.output).substr(0, gpus.output.find('\n')));
                    driver->driver_version = std::string(cols.front());
                }
                break;
            }
        }
        driver->source = fmt::format("nvidia-smi ({})", program.string());
        result.driver = std::move(driver);
    } catch (const SystemError& e) {
        result.failure = e.what();
    }
    return result;
}

}  // namespace cenv::system

#include "system/driver_record.hpp"

#include <algorithm>
#include <cctype>

#include "util/strings.hpp"

namespace cenv::system {

namespace {

std::string one_line(std::string_view s) {
    std::string out(util::trim(s));
    std::replace(out.begin(), out.end(), '\n', ' ');
    std::replace(out.begin(), out.end(), '\r', ' ');
    return out;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
}

}  // namespace

bool is_major_minor(std::string_view s) {
    const std::size_t dot = s.find('.');
    return dot != std::string_view::npos && all_digits(s.substr(0, dot)) &&
           all_digits(s.substr(dot + 1));
}

std::string format_driver_record(const CudaDriver& driver) {
    std::string out = "cuda " + one_line(driver.cuda_version) + "\n";
    if (!driver.driver_version.empty()) {
        out += "driver " + one_line(driver.driver_version) + "\n";
    }
    if (!driver.source.empty()) {
        out += "source " + one_line(driver.source) + "\n";
    }
    for (const Gpu& gpu : driver.gpus) {
        const std::string cc =
            gpu.compute_capability.empty() ? "-" : one_line(gpu.compute_capability);
        out += "gpu " + cc + " " + one_line(gpu.name) + "\n";
    }
    return out;
}

std::optional<CudaDriver> parse_driver_record(std::string_view text) {
    CudaDriver driver;
    bool has_cuda = false;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        const std::string_view line = util::trim(text.substr(pos, end - pos));
        pos = end + 1;
        if (line.empty()) {
            continue;
        }
        const std::size_t space = line.find(' ');
        const std::string_view key = line.substr(0, space);
        const std::string_view value =
            space == std::string_view::npos ? std::string_view{} : util::trim(line.substr(space));
        if (key == "cuda" && is_major_minor(value) && !has_cuda) {
            driver.cuda_version = std::string(value);
            has_cuda = true;
        } else if (key == "driver" && !value.empty()) {
            driver.driver_version = std::string(value);
        } else if (key == "source" && !value.empty()) {
            driver.source = std::string(value);
        } else if (key == "gpu") {
            const std::size_t gap = value.find(' ');
            if (gap == std::string_view::npos) {
                return std::nullopt;
            }
            const std::string_view cc = value.substr(0, gap);
            if (cc != "-" && !is_major_minor(cc)) {
                return std::nullopt;
            }
            driver.gpus.push_back(Gpu{std::string(util::trim(value.substr(gap))),
                                      cc == "-" ? std::string{} : std::string(cc)});
        } else {
            return std::nullopt;
        }
    }
    if (!has_cuda) {
        return std::nullopt;
    }
    return driver;
}

}  // namespace cenv::system

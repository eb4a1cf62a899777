#pragma once
// Helpers shared by the tests of src/system: the stub driver scenarios built by
// stubs/CMakeLists.txt, scratch directories and stub nvidia-smi scripts.

#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "scratch_dir.hpp"

namespace cenv::system::testing {

/// The directory of a stub scenario ("nvml_ok", "cuda_hang", ...).
inline std::filesystem::path stub_dir(const std::string& scenario) {
    return std::filesystem::path(CENV_CUDA_STUBS_DIR) / scenario;
}

using test_support::ScratchDir;

/// Writes `content` to `path` and makes it executable.
inline std::filesystem::path write_script(const std::filesystem::path& path,
                                          const std::string& content) {
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << content;
    }
    ::chmod(path.c_str(), 0755);
    return path;
}

/// What nvidia-smi 535.104.05 prints on a machine with one RTX 3090.
inline const char* const kSmiSummary =
    "Tue Sep 12 10:12:34 2023       \n"
    "+---------------------------------------------------------------------------------------+\n"
    "| NVIDIA-SMI 535.104.05             Driver Version: 535.104.05   CUDA Version: 12.2     |\n"
    "|-----------------------------------------+----------------------+----------------------+\n"
    "| GPU  Name                 Persistence-M | Bus-Id        Disp.A | Volatile Uncorr. ECC |\n"
    "| Fan  Temp   Perf          Pwr:Usage/Cap |         Memory-Usage | GPU-Util  Compute M. |\n"
    "|                                         |                      |               MIG M. |\n"
    "|=========================================+======================+======================|\n"
    "|   0  NVIDIA GeForce RTX 3090        Off | 00000000:01:00.0 Off |                  N/A |\n"
    "|  0%   45C    P8              22W / 350W |      1MiB / 24576MiB |      0%      Default |\n"
    "|                                         |                      |                  N/A |\n"
    "+-----------------------------------------+----------------------+----------------------+\n"
    "\n"
    "+---------------------------------------------------------------------------------------+\n"
    "| Processes:                                                                            |\n"
    "|  GPU   GI   CI        PID   Type   Process name                            GPU Memory |\n"
    "|        ID   ID                                                             Usage      |\n"
    "|=======================================================================================|\n"
    "|  No running processes found                                                           |\n"
    "+---------------------------------------------------------------------------------------+\n";

/// A stub nvidia-smi that answers the summary and the GPU query as driver 535 does.
inline std::filesystem::path write_working_smi(const std::filesystem::path& dir) {
    return write_script(
        dir / "nvidia-smi",
        std::string("#!/bin/sh\n"
                    "case \"$1\" in\n"
                    "  --query-gpu=driver_version,name,compute_cap)\n"
                    "    echo '535.104.05, NVIDIA GeForce RTX 3090, 8.6' ;;\n"
                    "  --query-gpu=*) echo '535.104.05, NVIDIA GeForce RTX 3090' ;;\n"
                    "  '') cat <<'EOF'\n") +
            kSmiSummary +
            "EOF\n"
            "  ;;\n"
            "  *) exit 2 ;;\n"
            "esac\n");
}

/// A stub nvidia-smi that never answers.
inline std::filesystem::path write_hanging_smi(const std::filesystem::path& dir) {
    return write_script(dir / "nvidia-smi", "#!/bin/sh\nsleep 30\necho never\n");
}

using Millis = std::chrono::milliseconds;

inline Millis since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - start);
}

}  // namespace cenv::system::testing

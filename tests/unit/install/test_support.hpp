#pragma once
// Helpers for the install tests: a scratch directory removed afterwards, the fixture
// archives and their records, and a snapshot of a tree (type, mode, content or link target per
// path) to compare trees and to check that nothing was left behind.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "scratch_dir.hpp"
#include "specs/repodata.hpp"

namespace cenv::install::test {

namespace fs = std::filesystem;

inline fs::path fixtures() {
    return fs::path(CENV_FIXTURES_DIR) / "packages";
}

/// The record of `fn` in the repodata.json of the subdir folder `subdir_dir`, as cenv's
/// repodata reader gives it (a `.tar.bz2` twin of a `.conda` file included): its channel is
/// `channel`, its url `<subdir_url>/<fn>`.
inline specs::PackageRecord repodata_record(const fs::path& subdir_dir, const std::string& fn,
                                            const std::string& channel,
                                            const std::string& subdir_url) {
    const specs::Repodata repodata =
        specs::load_repodata(subdir_dir / "repodata.json", {channel, subdir_url, {}});
    for (const auto* records : {&repodata.records, &repodata.fallbacks}) {
        for (const auto& record : *records) {
            if (record.fn == fn) {
                return record;
            }
        }
    }
    throw std::runtime_error(fn + " is not in " + (subdir_dir / "repodata.json").string());
}

using test_support::ScratchDir;

inline std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

inline void spit(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
}

/// Writes `content` at `root/rel`, creating the folders on the way.
inline void put(const fs::path& root, const std::string& rel, const std::string& content) {
    fs::create_directories((root / rel).parent_path());
    spit(root / rel, content);
}

/// path -> "dir 755" / "file 644 <content>" / "link -> target" for everything below root.
inline std::map<std::string, std::string> snapshot(const fs::path& root) {
    std::map<std::string, std::string> out;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        struct stat st {};
        ::lstat(entry.path().c_str(), &st);
        const std::string rel = entry.path().lexically_relative(root).string();
        char mode[8];
        std::snprintf(mode, sizeof mode, "%03o", st.st_mode & 0777);
        if (S_ISLNK(st.st_mode)) {
            out[rel] = "link -> " + fs::read_symlink(entry.path()).string();
        } else if (S_ISDIR(st.st_mode)) {
            out[rel] = std::string("dir ") + mode;
        } else {
            out[rel] = std::string("file ") + mode + " " + slurp(entry.path());
        }
    }
    return out;
}

/// Names directly in `dir` (hidden ones included).
inline std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace cenv::install::test

#pragma once
// Helpers for the download and repodata cache tests: a scratch folder, files and their
// digests, zstd, and tests/servers/channel_server.py (a real HTTP server on 127.0.0.1, with
// ETag, Range and injected faults) started for a test and stopped at its end.

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <zstd.h>
#include <nlohmann/json.hpp>

#include "scratch_dir.hpp"
#include "util/hash.hpp"

namespace cenv::channels::testing {

namespace fs = std::filesystem;

using test_support::ScratchDir;

inline void write_file(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

inline std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

inline std::string sha256_of(const std::string& data) {
    util::Hasher h(util::HashAlgorithm::sha256);
    h.update(data);
    return h.hex_digest();
}

inline std::string md5_of(const std::string& data) {
    util::Hasher h(util::HashAlgorithm::md5);
    h.update(data);
    return h.hex_digest();
}

inline std::string zstd_compress(const std::string& data) {
    std::string out(ZSTD_compressBound(data.size()), '\0');
    const std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
    out.resize(n);
    return out;
}

/// `size` bytes that differ from one file to the next (seeded by `seed`).
inline std::string bytes_of(std::size_t size, unsigned seed) {
    std::string out(size, '\0');
    unsigned x = seed * 2654435761U + 1;
    for (auto& c : out) {
        x = x * 1103515245U + 12345U;
        c = static_cast<char>(x >> 16);
    }
    return out;
}

/// Files in `dir` whose name starts with `.cenv-dl-` (temporary downloads left behind).
inline std::vector<std::string> leftovers(const fs::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().filename().string().starts_with(".cenv-dl-")) {
            out.push_back(it->path().filename().string());
        }
    }
    return out;
}

class TestServer {
  public:
    /// Serves `root`, keeping its fault rules and request log in `work` under `name`;
    /// `extra` are more arguments (--max-age 60, --require-user-agent, ...).
    TestServer(const std::filesystem::path& root, const std::filesystem::path& work,
               const std::string& name, std::vector<std::string> extra = {})
        : faults_(work / (name + ".faults.json")), log_(work / (name + ".log")) {
        std::filesystem::remove(log_);
        set_faults("[]");
        std::vector<std::string> args{"python3",  CENV_TEST_SERVER, "--root", root.string(),
                                      "--faults", faults_.string(), "--log",  log_.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        int out[2];
        if (::pipe(out) != 0) {
            throw std::runtime_error("pipe failed");
        }
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(out[1], 1);
            ::close(out[0]);
            ::close(out[1]);
            std::vector<char*> argv;
            for (auto& a : args) {
                argv.push_back(a.data());
            }
            argv.push_back(nullptr);
            ::execvp(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(out[1]);
        std::string line;
        char c = 0;
        while (::read(out[0], &c, 1) == 1 && c != '\n') {
            line += c;
        }
        ::close(out[0]);
        if (!line.starts_with("PORT ")) {
            throw std::runtime_error("the test server did not start: " + line);
        }
        port_ = std::stoi(line.substr(5));
    }
    ~TestServer() {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] std::string url(const std::string& path = "") const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }
    /// Replaces the fault rules (JSON text; see channel_server.py).
    void set_faults(const std::string& json) const {
        const auto temp = faults_.string() + ".tmp";
        std::ofstream(temp) << json;
        std::filesystem::rename(temp, faults_);
    }
    /// Every request served so far, one JSON object each.
    [[nodiscard]] std::vector<nlohmann::json> requests() const {
        std::vector<nlohmann::json> out;
        std::ifstream in(log_);
        for (std::string line; std::getline(in, line);) {
            out.push_back(nlohmann::json::parse(line));
        }
        return out;
    }
    [[nodiscard]] std::size_t count(const std::string& path) const {
        std::size_t n = 0;
        for (const auto& r : requests()) {
            n += r["path"] == path ? 1 : 0;
        }
        return n;
    }

  private:
    std::filesystem::path faults_;
    std::filesystem::path log_;
    pid_t pid_ = -1;
    int port_ = 0;
};

/// A port on 127.0.0.1 where nothing listens (connections are refused).
inline int refused_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    const int port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

}  // namespace cenv::channels::testing

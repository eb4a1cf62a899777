#include "install/package_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "install/error.hpp"
#include "install/extract.hpp"
#include "specs/record_json.hpp"
#include "util/file.hpp"
#include "util/file_lock.hpp"
#include "util/hash.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

namespace {

constexpr const char* kRecordFile = "info/repodata_record.json";

std::optional<nlohmann::json> read_json(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        return std::nullopt;
    }
    try {
        return nlohmann::json::parse(util::read_file(path));
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    } catch (const util::IoError&) {
        return std::nullopt;
    }
}

std::string json_string(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::string archive_name(const specs::PackageRecord& record,
                         const std::optional<fs::path>& archive) {
    if (!record.fn.empty()) {
        return record.fn;
    }
    return archive ? archive->filename().string() : dist_name(record) + ".conda";
}

// What is wrong with `digests` for `record`, if anything.
std::optional<std::string> mismatch(const util::FileDigests& digests,
                                    const specs::PackageRecord& record) {
    if (record.size != 0 && digests.size != record.size) {
        return fmt::format("its size is {} bytes, the record says {}", digests.size, record.size);
    }
    if (!record.sha256.empty() && digests.sha256 != record.sha256) {
        return fmt::format("its sha256 is {}, the record says {}", digests.sha256, record.sha256);
    }
    if (record.sha256.empty() && !record.md5.empty() && digests.md5 != record.md5) {
        return fmt::format("its md5 is {}, the record says {}", digests.md5, record.md5);
    }
    return std::nullopt;
}

// conda's repodata_record.json: the package's own index.json, overridden by the channel's
// record (which may have been patched), with the archive's location and checksums.
void write_repodata_record(const fs::path& tree, const fs::path& archive,
                           const specs::PackageRecord& record, const util::FileDigests& digests) {
    auto merged = read_json(tree / "info/index.json");
    if (!merged || !merged->is_object()) {
        throw InstallError(fmt::format("'{}' has no readable info/index.json, so it is not a "
                                       "conda package",
                                       archive.string()),
                           "remove the archive and download it again from the channel");
    }
    const nlohmann::json channel_record = specs::record_to_json(record);
    for (const auto& [key, value] : channel_record.items()) {
        (*merged)[key] = value;
    }
    (*merged)["fn"] = archive_name(record, archive);
    (*merged)["md5"] = digests.md5;
    (*merged)["sha256"] = digests.sha256;
    (*merged)["size"] = digests.size;
    if (!record.url.empty()) {
        (*merged)["url"] = record.url;
    }
    if (!record.channel.empty()) {
        (*merged)["channel"] = record.channel;
    }
    std::ofstream out(tree / kRecordFile, std::ios::binary | std::ios::trunc);
    out << merged->dump(2) << '\n';
    if (!out.flush()) {
        throw InstallError(fmt::format("cannot write '{}'", (tree / kRecordFile).string()),
                           "check the free space of the package cache");
    }
}

// conda's urls.txt: one URL per line, each package URL once.
void append_url(const fs::path& dir, const std::string& url) {
    if (url.empty()) {
        return;
    }
    const fs::path path = dir / "urls.txt";
    const auto lock = util::FileLock::acquire(dir / "urls.txt.lock");
    std::string content;
    std::error_code ec;
    if (fs::exists(path, ec)) {
        content = util::read_file(path);
    }
    std::istringstream lines(content);
    for (std::string line; std::getline(lines, line);) {
        if (line == url) {
            return;
        }
    }
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << url << '\n';
    if (!out.flush()) {
        throw InstallError(fmt::format("cannot append to '{}'", path.string()),
                           "check the free space and permissions of the package cache");
    }
}

// Leftovers of an extraction or copy of `dist` that was killed: while we hold the package's
// lock nobody else is working on it, so any `.cenv-{tmp,old}-<dist>-XXXXXX` or
// `.cenv-dl-<fn>-XXXXXX` is stale.
void remove_leftovers(const fs::path& dir, const std::string& dist, const std::string& fn) {
    const std::string prefixes[] = {".cenv-tmp-" + dist + "-", ".cenv-old-" + dist + "-",
                                    ".cenv-dl-" + fn + "-"};
    constexpr std::size_t kRandomPart = 6;  // mkdtemp's XXXXXX
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        for (const auto& prefix : prefixes) {
            if (name.size() == prefix.size() + kRandomPart && name.starts_with(prefix)) {
                std::error_code remove_ec;
                fs::remove_all(it->path(), remove_ec);
            }
        }
    }
}

bool same_directory(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    return fs::equivalent(a, b, ec);
}

// Copies `from` to `dir/name` through a temporary file, so the cache never holds a partial
// archive under the real name.
fs::path copy_into(const fs::path& from, const fs::path& dir, const std::string& name) {
    std::string pattern = (dir / fmt::format(".cenv-dl-{}-XXXXXX", name)).string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
        const int err = errno;
        throw InstallError(
            fmt::format("cannot create a file in '{}': {}", dir.string(), std::strerror(err)),
            "check the permissions of the package cache");
    }
    ::close(fd);
    const fs::path temp = pattern;
    std::error_code ec;
    fs::copy_file(from, temp, fs::copy_options::overwrite_existing, ec);
    if (!ec) {
        ::chmod(temp.c_str(), 0644);
        fs::rename(temp, dir / name, ec);
    }
    if (ec) {
        fs::remove(temp);
        throw InstallError(fmt::format("cannot copy '{}' into the package cache '{}': {}",
                                       from.string(), dir.string(), ec.message()),
                           "check the free space and permissions of the package cache");
    }
    return dir / name;
}

}  // namespace

std::string dist_name(const specs::PackageRecord& record) {
    if (!record.fn.empty()) {
        return archive_stem(record.fn);
    }
    return record.dist_str();
}

fs::path package_lock_path(const fs::path& dir, const std::string& dist) {
    return dir / (dist + ".lock");
}

bool tree_matches(const fs::path& tree, const specs::PackageRecord& record) {
    const auto stored = read_json(tree / kRecordFile);
    if (!stored || !stored->is_object()) {
        return false;
    }
    if (record.size != 0) {
        const auto it = stored->find("size");
        if (it == stored->end() || !it->is_number_unsigned() ||
            it->get<std::uint64_t>() != record.size) {
            return false;
        }
    }
    if (!record.sha256.empty()) {
        return json_string(*stored, "sha256") == record.sha256;
    }
    if (!record.md5.empty()) {
        return json_string(*stored, "md5") == record.md5;
    }
    return record.fn.empty() || json_string(*stored, "fn") == record.fn;
}

bool archive_matches(const fs::path& archive, const specs::PackageRecord& record) {
    std::error_code ec;
    if (!fs::is_regular_file(archive, ec)) {
        return false;
    }
    if (record.size != 0 && fs::file_size(archive, ec) != record.size) {
        return false;  // cheap check first: no hashing of a truncated download
    }
    try {
        return !mismatch(util::file_digests(archive), record);
    } catch (const util::IoError&) {
        return false;
    }
}

PackageCache::PackageCache(std::vector<fs::path> dirs) : dirs_(std::move(dirs)) {}

PackageCache PackageCache::at_root(const fs::path& root) {
    return PackageCache({root / "pkgs"});
}

fs::path PackageCache::writable_dir() const {
    for (const auto& dir : dirs_) {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (!ec && fs::is_directory(dir, ec) && ::access(dir.c_str(), W_OK) == 0) {
            return dir;
        }
    }
    throw InstallError(
        dirs_.empty()
            ? std::string("no package cache directory is configured")
            : fmt::format("no writable package cache among {} director{} (first: '{}')",
                          dirs_.size(), dirs_.size() == 1 ? "y" : "ies", dirs_.front().string()),
        "set pkgs_dirs to a directory you can write to");
}

std::optional<fs::path> PackageCache::find_tree(const specs::PackageRecord& record) const {
    const std::string dist = dist_name(record);
    for (const auto& dir : dirs_) {
        if (tree_matches(dir / dist, record)) {
            return dir / dist;
        }
    }
    return std::nullopt;
}

std::optional<fs::path> PackageCache::find_archive(const specs::PackageRecord& record) const {
    const std::string name = archive_name(record, std::nullopt);
    for (const auto& dir : dirs_) {
        if (archive_matches(dir / name, record)) {
            return dir / name;
        }
    }
    return std::nullopt;
}

fs::path PackageCache::ensure_extracted(const specs::PackageRecord& record,
                                        const std::optional<fs::path>& archive) {
    if (auto tree = find_tree(record)) {
        return *tree;
    }
    const fs::path dir = writable_dir();
    const std::string dist = dist_name(record);
    const auto lock = util::FileLock::acquire(package_lock_path(dir, dist));
    // Another process may have finished the work while we waited for the lock.
    if (tree_matches(dir / dist, record)) {
        return dir / dist;
    }
    remove_leftovers(dir, dist, archive_name(record, archive));

    fs::path source;
    if (archive) {
        if (!fs::is_regular_file(*archive)) {
            throw InstallError(fmt::format("cannot extract '{}': no such file", archive->string()),
                               "check the path of the package archive");
        }
        source = *archive;
    } else if (auto cached = find_archive(record)) {
        source = *cached;
    } else {
        throw InstallError(fmt::format("'{}' is not in the package cache '{}'",
                                       archive_name(record, archive), dir.string()),
                           "download the package first (or give the archive's path)");
    }
    const util::FileDigests digests = util::file_digests(source);
    if (auto why = mismatch(digests, record)) {
        throw InstallError(
            fmt::format("'{}' does not match the record of {}: {}", source.string(), dist, *why),
            "the file is corrupt or was changed; remove it and download it again");
    }
    const std::string name = archive_name(record, archive);
    if (!same_directory(source.parent_path(), dir) || source.filename() != name) {
        source = copy_into(source, dir, name);
    }
    extract_package(source, dir / dist, [&](const fs::path& tree) {
        write_repodata_record(tree, source, record, digests);
    });
    append_url(dir, record.url);
    return dir / dist;
}

}  // namespace cenv::install

#include "install/package_contents.hpp"

#include <fmt/format.h>

#include "install/error.hpp"
#include "specs/error.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

namespace {

const char* const kDamagedHint =
    "the package in the cache is damaged: remove it (cenv clean --pkgs) and install again";

std::string read_optional(const fs::path& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec) ? util::read_file(path) : std::string{};
}

nlohmann::json read_object(const fs::path& path) {
    try {
        auto j = nlohmann::json::parse(util::read_file(path));
        if (j.is_object()) {
            return j;
        }
    } catch (const nlohmann::json::exception&) {
    }
    throw InstallError(fmt::format("'{}' is not a JSON object", path.string()), kDamagedHint);
}

specs::NoArchType noarch_of(const nlohmann::json& j) {
    const auto it = j.find("noarch");
    if (it == j.end()) {
        return specs::NoArchType::none;
    }
    if (it->is_boolean()) {
        return it->get<bool>() ? specs::NoArchType::generic : specs::NoArchType::none;
    }
    if (it->is_string()) {
        const auto kind = it->get<std::string>();
        return kind == "python"    ? specs::NoArchType::python
               : kind == "generic" ? specs::NoArchType::generic
                                   : specs::NoArchType::none;
    }
    return specs::NoArchType::none;
}

}  // namespace

EntryPoint parse_entry_point(std::string_view text, std::string_view package) {
    const auto bad = [&] {
        return InstallError(
            fmt::format("{}: entry point '{}' is not 'NAME = MODULE:FUNCTION'", package, text),
            "the package's info/link.json is malformed; use another build");
    };
    const auto eq = text.find('=');
    if (eq == std::string_view::npos) {
        throw bad();
    }
    std::string_view target = util::trim(text.substr(eq + 1));
    if (const auto bracket = target.find('['); bracket != std::string_view::npos) {
        target = util::trim(target.substr(0, bracket));
    }
    const auto colon = target.find(':');
    EntryPoint entry{std::string(util::trim(text.substr(0, eq))), {}, {}};
    if (colon == std::string_view::npos || entry.command.empty()) {
        throw bad();
    }
    entry.module = std::string(util::trim(target.substr(0, colon)));
    entry.function = std::string(util::trim(target.substr(colon + 1)));
    if (entry.module.empty() || entry.function.empty() ||
        entry.command.find('/') != std::string::npos) {
        throw bad();
    }
    return entry;
}

PackageContents read_package_contents(const fs::path& tree) {
    PackageContents contents;
    const fs::path info = tree / "info";
    std::error_code ec;
    contents.metadata = fs::is_regular_file(info / "repodata_record.json", ec)
                            ? read_object(info / "repodata_record.json")
                            : read_object(info / "index.json");
    contents.noarch = noarch_of(contents.metadata);
    try {
        if (fs::is_regular_file(info / "paths.json", ec)) {
            contents.paths = specs::parse_paths_json(util::read_file(info / "paths.json"),
                                                     (info / "paths.json").string());
        } else {
            contents.paths = specs::paths_from_legacy(
                read_optional(info / "files"), read_optional(info / "has_prefix"),
                read_optional(info / "no_link"), (info / "has_prefix").string());
        }
    } catch (const specs::ParseError& e) {
        throw InstallError(e.what(), kDamagedHint);
    }
    for (const auto& entry : contents.paths.paths) {
        // paths.json comes from the package: a path that leaves the prefix is refused here,
        // whatever the archive held.
        const fs::path p(entry.path);
        bool escapes = p.is_absolute();
        for (const auto& part : p) {
            escapes = escapes || part == "..";
        }
        if (escapes || entry.path.find('\n') != std::string::npos) {
            throw InstallError(
                fmt::format("'{}' lists the path '{}', which is outside the environment",
                            tree.filename().string(), entry.path),
                "the package is malicious or broken: do not install it");
        }
    }
    if (fs::is_regular_file(info / "link.json", ec)) {
        const nlohmann::json link = read_object(info / "link.json");
        if (const auto noarch = link.find("noarch"); noarch != link.end() && noarch->is_object()) {
            if (contents.noarch == specs::NoArchType::none) {
                contents.noarch = noarch_of(nlohmann::json{{"noarch", noarch->value("type", "")}});
            }
            if (const auto eps = noarch->find("entry_points"); eps != noarch->end()) {
                for (const auto& ep : *eps) {
                    if (ep.is_string()) {
                        contents.entry_points.push_back(
                            parse_entry_point(ep.get<std::string>(), tree.filename().string()));
                    }
                }
            }
        }
    }
    return contents;
}

}  // namespace cenv::install

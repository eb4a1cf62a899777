#include "install/pip_packages.hpp"

#include <algorithm>
#include <optional>
#include <system_error>

#include "util/file.hpp"
#include "util/strings.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// `lib/python3.11`, `lib/python3.13t`: a folder name `python<digits>.<digits>[t]`.
bool is_python_lib_dir(std::string_view name) {
    if (name.substr(0, 6) != "python") {
        return false;
    }
    std::string_view rest = name.substr(6);
    if (ends_with(rest, "t")) {
        rest.remove_suffix(1);
    }
    const auto dot = rest.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == rest.size()) {
        return false;
    }
    return std::all_of(rest.begin(), rest.end(),
                       [](char c) { return (c >= '0' && c <= '9') || c == '.'; }) &&
           rest.find('.', dot + 1) == std::string_view::npos;
}

/// `path` (from a RECORD written in folder `base`, relative to the prefix) relative to the
/// prefix, or absolute when it lies outside it; without a trailing `/` (installed-files.txt
/// lists its own folder as `./`).
std::string prefix_relative(const fs::path& prefix, const std::string& base,
                            const std::string& path) {
    fs::path p(path);
    if (p.is_absolute()) {
        p = p.lexically_normal();
        if (const fs::path rel = p.lexically_relative(prefix);
            !rel.empty() && *rel.begin() != "..") {
            p = rel;
        }
    } else {
        p = (fs::path(base) / p).lexically_normal();
        if (!p.empty() && *p.begin() == "..") {
            p = (prefix / p).lexically_normal();
        }
    }
    std::string out = p.string();
    while (out.size() > 1 && out.back() == '/') {
        out.pop_back();
    }
    return out;
}

std::optional<std::string> read_optional(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        return std::nullopt;
    }
    return util::read_file(path);
}

std::string first_line(std::string_view text) {
    return std::string(util::trim(text.substr(0, text.find('\n'))));
}

/// Fills name and version from the metadata text; the reason it cannot, or empty.
std::string take_core_metadata(PythonDistribution& dist, std::string_view text,
                               std::string_view file) {
    CoreMetadata meta = parse_core_metadata(text);
    if (meta.name.empty() || meta.version.empty()) {
        return std::string(file) + " has no " + (meta.name.empty() ? "Name" : "Version");
    }
    dist.name = std::move(meta.name);
    dist.version = std::move(meta.version);
    return {};
}

std::vector<std::string> resolve_all(const fs::path& prefix, const std::string& base,
                                     const std::vector<std::string>& paths) {
    std::vector<std::string> out;
    out.reserve(paths.size());
    for (const auto& path : paths) {
        out.push_back(prefix_relative(prefix, base, path));
    }
    return out;
}

/// Reads one `.dist-info` / `.egg-info` entry; the reason it cannot, or empty.
std::string read_distribution(const fs::path& prefix, const std::string& site_packages,
                              const std::string& entry, PythonDistribution& dist) {
    const std::string rel = site_packages + "/" + entry;
    const fs::path dir = prefix / rel;
    dist.metadata_dir = rel;
    std::error_code ec;
    if (ends_with(entry, ".dist-info")) {
        const auto metadata = read_optional(dir / "METADATA");
        if (!metadata) {
            return "METADATA is missing";
        }
        if (std::string why = take_core_metadata(dist, *metadata, "METADATA"); !why.empty()) {
            return why;
        }
        dist.installer = first_line(read_optional(dir / "INSTALLER").value_or(""));
        dist.requested = fs::exists(dir / "REQUESTED", ec);
        dist.anchor = rel + "/RECORD";
        if (const auto record = read_optional(dir / "RECORD")) {
            dist.files = resolve_all(prefix, site_packages, parse_record_paths(*record));
        }
        return {};
    }
    if (!fs::is_directory(dir, ec)) {  // a single-file .egg-info is PKG-INFO itself
        dist.anchor = rel;
        return take_core_metadata(dist, util::read_file(dir), entry);
    }
    const auto pkg_info = read_optional(dir / "PKG-INFO");
    if (!pkg_info) {
        return "PKG-INFO is missing";
    }
    if (std::string why = take_core_metadata(dist, *pkg_info, "PKG-INFO"); !why.empty()) {
        return why;
    }
    dist.installer = first_line(read_optional(dir / "INSTALLER").value_or(""));
    dist.anchor = rel + "/PKG-INFO";
    if (const auto listed = read_optional(dir / "installed-files.txt")) {
        std::vector<std::string> paths;
        for (const auto line : util::split_any(*listed, "\r\n")) {
            if (const auto path = util::trim(line); !path.empty()) {
                paths.emplace_back(path);
            }
        }
        dist.files = resolve_all(prefix, rel, paths);
    }
    return {};
}

}  // namespace

std::vector<std::string> site_packages_dirs(const fs::path& prefix) {
    std::vector<std::string> out;
    std::error_code ec;
    for (fs::directory_iterator it(prefix / "lib", ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (is_python_lib_dir(name) && fs::is_directory(it->path() / "site-packages", ec)) {
            out.push_back("lib/" + name + "/site-packages");
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string normalized_python_name(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    bool in_separator = false;
    for (const char c : name) {
        if (c == '-' || c == '_' || c == '.') {
            in_separator = true;
            continue;
        }
        if (in_separator && !out.empty()) {
            out += '-';
        }
        in_separator = false;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

CoreMetadata parse_core_metadata(std::string_view text) {
    CoreMetadata meta;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.empty()) {
            break;  // the body (long description) follows
        }
        if (util::is_space(line.front())) {
            continue;  // continuation of a folded header
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            continue;
        }
        const std::string key = util::to_lower(util::trim(line.substr(0, colon)));
        const std::string_view value = util::trim(line.substr(colon + 1));
        if (key == "name" && meta.name.empty()) {
            meta.name = value;
        } else if (key == "version" && meta.version.empty()) {
            meta.version = value;
        }
    }
    return meta;
}

std::vector<std::string> parse_record_paths(std::string_view text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::string field;
        if (text[i] == '"') {
            ++i;
            while (i < text.size()) {
                if (text[i] == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += text[i++];
            }
        }
        while (i < text.size() && text[i] != ',' && text[i] != '\n') {
            field += text[i++];  // unquoted field, or junk after a closing quote
        }
        while (i < text.size() && text[i] != '\n') {
            ++i;  // the hash and size columns
        }
        ++i;
        if (!field.empty() && field.back() == '\r') {
            field.pop_back();
        }
        if (!field.empty()) {
            out.push_back(std::move(field));
        }
    }
    return out;
}

SitePackages read_site_packages(const fs::path& prefix) {
    SitePackages out;
    const fs::path root = fs::absolute(prefix).lexically_normal();
    for (const auto& site_packages : site_packages_dirs(root)) {
        std::vector<std::string> entries;
        std::error_code ec;
        for (fs::directory_iterator it(root / site_packages, ec), end; !ec && it != end;
             it.increment(ec)) {
            std::string name = it->path().filename().string();
            if (name.front() != '~' &&
                (ends_with(name, ".dist-info") || ends_with(name, ".egg-info"))) {
                entries.push_back(std::move(name));
            }
        }
        if (ec) {
            out.problems.push_back({site_packages, ec.message()});
        }
        for (const auto& entry : entries) {
            PythonDistribution dist;
            std::string why;
            try {
                why = read_distribution(root, site_packages, entry, dist);
            } catch (const util::IoError& e) {
                why = e.what();
            }
            if (why.empty()) {
                out.distributions.push_back(std::move(dist));
            } else {
                out.problems.push_back({site_packages + "/" + entry, std::move(why)});
            }
        }
    }
    std::sort(out.distributions.begin(), out.distributions.end(),
              [](const PythonDistribution& a, const PythonDistribution& b) {
                  const auto na = normalized_python_name(a.name);
                  const auto nb = normalized_python_name(b.name);
                  return na != nb ? na < nb : a.metadata_dir < b.metadata_dir;
              });
    std::sort(out.problems.begin(), out.problems.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    return out;
}

}  // namespace cenv::install

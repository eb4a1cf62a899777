#include "specs/spec_file.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "specs/channel_spec.hpp"
#include "specs/error.hpp"
#include "specs/match_spec.hpp"
#include "specs/record_order.hpp"
#include "util/strings.hpp"

namespace cenv::specs {

namespace {

constexpr std::string_view explicit_hint =
    "an @EXPLICIT file lists one package URL per line, e.g. "
    "https://conda.anaconda.org/conda-forge/linux-64/zlib-1.3.1-hb9d3cd8_2.conda#<md5>; "
    "without the @EXPLICIT line the file is a list of specs";

bool is_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

[[noreturn]] void fail(std::string_view source, std::size_t line, std::size_t column,
                       const std::string& what, std::string_view hint) {
    throw ParseError(fmt::format("{}:{}:{}: {}", source, line, column, what), std::string(hint));
}

/// The checksum of a URL fragment (`<md5>`, `sha256:<hex>` or a bare sha256) into `package`.
void take_fragment(std::string_view fragment, ExplicitPackage& package, std::string_view source,
                   std::size_t column) {
    std::string_view hex = fragment;
    const bool sha256_prefix = hex.starts_with("sha256:");
    if (sha256_prefix) {
        hex.remove_prefix(7);
    }
    if (is_hex(hex) && hex.size() == 64) {
        package.sha256 = util::to_lower(hex);
    } else if (is_hex(hex) && hex.size() == 32 && !sha256_prefix) {
        package.md5 = util::to_lower(hex);
    } else {
        fail(source, package.line, column,
             fmt::format("'#{}' is neither an md5 (32 hex digits) nor a sha256 (64 hex digits, "
                         "optionally after 'sha256:')",
                         fragment),
             "write the checksum after '#', e.g. #c9f075ab2f33b3bbee9e62d4ad0a6cd8 or "
             "#sha256:<64 hex digits>, or leave the fragment out");
    }
}

ExplicitPackage parse_explicit_line(std::string_view line, std::size_t line_number,
                                    std::size_t column, std::string_view source) {
    ExplicitPackage package;
    package.line = line_number;
    const std::size_t hash = line.find('#');
    const std::string_view location = line.substr(0, hash);
    const bool is_url = has_url_scheme(location);
    if (location.find_first_of(" \t") != std::string_view::npos ||
        (!is_url && !location.starts_with('/')) || !is_package_file(location)) {
        fail(source, line_number, column, fmt::format("'{}' is not a package URL", location),
             explicit_hint);
    }
    if (is_url && !location.starts_with("https://") && !location.starts_with("http://") &&
        !location.starts_with("file://")) {
        fail(
            source, line_number, column,
            fmt::format("'{}': only http://, https:// and file:// URLs can be installed", location),
            explicit_hint);
    }
    try {
        package.url = parse_package_url(location).url;
    } catch (const ParseError& e) {
        fail(source, line_number, column, e.what(), e.hint());
    }
    if (hash != std::string_view::npos) {
        take_fragment(line.substr(hash + 1), package, source, column + hash);
    }
    return package;
}

}  // namespace

PackageRecord ExplicitPackage::record() const {
    const PackageUrl parts = parse_package_url(url);
    PackageRecord record;
    record.name = parts.name;
    record.version = parts.version;
    record.build = parts.build;
    record.subdir = parts.subdir;
    record.channel = parts.channel.empty() ? url.substr(0, url.rfind('/')) : parts.channel;
    record.fn = parts.filename;
    record.url = url;
    record.md5 = md5;
    record.sha256 = sha256;
    return record;
}

SpecFile parse_spec_file(std::string_view text, std::string_view source) {
    SpecFile file;
    std::size_t line_number = 0;
    while (!text.empty()) {
        const std::size_t eol = text.find('\n');
        const std::string_view raw = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        ++line_number;
        const std::string_view line = util::trim(raw);
        const std::size_t column = line.empty() ? 1 : raw.find(line.front()) + 1;
        if (line.empty()) {
            continue;
        }
        if (line.front() == '#') {
            const std::string_view comment = util::trim(line.substr(1));
            if (comment.starts_with("platform:")) {
                file.platform = std::string(util::trim(comment.substr(9)));
            }
            continue;
        }
        if (line == "@EXPLICIT") {
            if (!file.specs.empty()) {
                fail(source, line_number, column,
                     fmt::format("@EXPLICIT follows the spec '{}'", file.specs.front()),
                     explicit_hint);
            }
            file.is_explicit = true;
            continue;
        }
        if (file.is_explicit) {
            file.packages.push_back(parse_explicit_line(line, line_number, column, source));
            continue;
        }
        try {
            (void)MatchSpec::parse(line);
        } catch (const ParseError& e) {
            fail(source, line_number, column, e.what(), e.hint());
        }
        file.specs.emplace_back(line);
    }
    return file;
}

std::string explicit_file_text(std::vector<PackageRecord> records, std::string_view platform,
                               ExplicitHash hash) {
    sort_dependencies_first(records);
    std::string out =
        "# This file may be used to create an environment using:\n"
        "# $ cenv create --name <env> --file <this file>\n"
        "# (conda and micromamba read it too)\n";
    out += fmt::format("# platform: {}\n@EXPLICIT\n", platform);
    for (const auto& record : records) {
        out += record.url;
        if (hash == ExplicitHash::md5 && !record.md5.empty()) {
            out += "#" + record.md5;
        } else if (hash == ExplicitHash::sha256 && !record.sha256.empty()) {
            out += "#sha256:" + record.sha256;
        }
        out += '\n';
    }
    return out;
}

}  // namespace cenv::specs

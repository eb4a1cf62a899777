#include "install/noarch_python.hpp"

#include <fmt/format.h>

#include "install/prefix_replace.hpp"

namespace cenv::install {

std::optional<PythonLayout> python_layout(std::span<const specs::PackageRecord> records) {
    for (const auto& record : records) {
        if (record.name != "python") {
            continue;
        }
        // major.minor: the version up to its second dot.
        const auto first = record.version.find('.');
        const auto second =
            first == std::string::npos ? std::string::npos : record.version.find('.', first + 1);
        PythonLayout layout;
        layout.version = record.version.substr(0, second);
        std::string digits;
        for (const char c : layout.version) {
            if (c != '.') {
                digits += c;
            }
        }
        layout.site_packages = record.python_site_packages_path.empty()
                                   ? "lib/python" + layout.version + "/site-packages"
                                   : record.python_site_packages_path;
        layout.executable = "bin/python" + layout.version;
        layout.cache_tag = "cpython-" + digits;
        return layout;
    }
    return std::nullopt;
}

std::string noarch_python_target(std::string_view path, const PythonLayout& python) {
    constexpr std::string_view kSitePackages = "site-packages/";
    constexpr std::string_view kScripts = "python-scripts/";
    if (path.starts_with(kSitePackages)) {
        return python.site_packages + "/" + std::string(path.substr(kSitePackages.size()));
    }
    if (path.starts_with(kScripts)) {
        return "bin/" + std::string(path.substr(kScripts.size()));
    }
    return std::string(path);
}

std::string pyc_target(std::string_view py_target, const PythonLayout& python) {
    const auto slash = py_target.rfind('/');
    const std::string_view dir =
        slash == std::string_view::npos ? "" : py_target.substr(0, slash + 1);
    std::string_view stem =
        slash == std::string_view::npos ? py_target : py_target.substr(slash + 1);
    stem.remove_suffix(3);  // ".py"
    return fmt::format("{}__pycache__/{}.{}.pyc", dir, stem, python.cache_tag);
}

std::string entry_point_script(const EntryPoint& entry, std::string_view python) {
    // The name imported is the first part of a dotted function (`Class.method`).
    const std::string import_name = entry.function.substr(0, entry.function.find('.'));
    // Spaces would split the interpreter path: escaped, they make shorten_shebang use env.
    std::string interpreter;
    for (const char c : python) {
        interpreter += c == ' ' ? std::string("\\ ") : std::string(1, c);
    }
    std::string text = fmt::format(
        "#!{}\n"
        "# -*- coding: utf-8 -*-\n"
        "import re\n"
        "import sys\n"
        "\n"
        "from {} import {}\n"
        "\n"
        "if __name__ == '__main__':\n"
        "    sys.argv[0] = re.sub(r'(-script\\.pyw?|\\.exe)?$', '', sys.argv[0])\n"
        "    sys.exit({}())\n",
        interpreter, entry.module, import_name, entry.function);
    return shorten_shebang(std::move(text));
}

}  // namespace cenv::install

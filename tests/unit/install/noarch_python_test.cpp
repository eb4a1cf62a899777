#include "install/noarch_python.hpp"

#include <gtest/gtest.h>

#include "install/error.hpp"

namespace cenv::install {
namespace {

specs::PackageRecord record(std::string name, std::string version) {
    specs::PackageRecord r;
    r.name = std::move(name);
    r.version = std::move(version);
    r.build = std::string(1, '0');
    return r;
}

TEST(PythonLayout, FromThePythonOfTheEnvironment) {
    EXPECT_FALSE(python_layout(std::vector{record("numpy", "1.26")}));
    const auto layout = python_layout(std::vector{record("zlib", "1"), record("python", "3.11.7")});
    ASSERT_TRUE(layout);
    EXPECT_EQ(layout->version, "3.11");
    EXPECT_EQ(layout->site_packages, "lib/python3.11/site-packages");
    EXPECT_EQ(layout->executable, "bin/python3.11");
    EXPECT_EQ(layout->cache_tag, "cpython-311");
    // CEP-17: a free-threaded build says where its site-packages is.
    auto free_threaded = record("python", "3.13.2");
    free_threaded.python_site_packages_path = "lib/python3.13t/site-packages";
    EXPECT_EQ(python_layout(std::vector{free_threaded})->site_packages,
              "lib/python3.13t/site-packages");
}

TEST(PythonLayout, TargetsAndCompiledFiles) {
    const auto python = *python_layout(std::vector{record("python", "3.10.4")});
    EXPECT_EQ(noarch_python_target("site-packages/pkg/__init__.py", python),
              "lib/python3.10/site-packages/pkg/__init__.py");
    EXPECT_EQ(noarch_python_target("python-scripts/tool", python), "bin/tool");
    EXPECT_EQ(noarch_python_target("share/doc/pkg.txt", python), "share/doc/pkg.txt");
    EXPECT_EQ(pyc_target("lib/python3.10/site-packages/pkg/mod.py", python),
              "lib/python3.10/site-packages/pkg/__pycache__/mod.cpython-310.pyc");
}

TEST(EntryPointScript, CondasTemplate) {
    EXPECT_EQ(entry_point_script({"pip", "pip._internal.cli.main", "main"}, "/env/bin/python3.11"),
              "#!/env/bin/python3.11\n"
              "# -*- coding: utf-8 -*-\n"
              "import re\n"
              "import sys\n"
              "\n"
              "from pip._internal.cli.main import main\n"
              "\n"
              "if __name__ == '__main__':\n"
              "    sys.argv[0] = re.sub(r'(-script\\.pyw?|\\.exe)?$', '', sys.argv[0])\n"
              "    sys.exit(main())\n");
    // A dotted function imports its first part; a long or spaced interpreter path uses env.
    const std::string text =
        entry_point_script({"x", "pkg.cli", "App.run"}, "/my env/bin/python3.11");
    EXPECT_TRUE(text.starts_with("#!/usr/bin/env python3.11\n")) << text;
    EXPECT_NE(text.find("from pkg.cli import App\n"), std::string::npos);
    EXPECT_NE(text.find("sys.exit(App.run())"), std::string::npos);
    std::string deep(140, 'd');
    deep.insert(0, "/").append("/bin/python3.11");
    EXPECT_TRUE(
        entry_point_script({"x", "m", "f"}, deep).starts_with("#!/usr/bin/env python3.11\n"));
}

TEST(EntryPoint, Parsing) {
    const auto ep = parse_entry_point("pip3 = pip._internal.cli.main:main", "pip-1-0");
    EXPECT_EQ(ep.command, "pip3");
    EXPECT_EQ(ep.module, "pip._internal.cli.main");
    EXPECT_EQ(ep.function, "main");
    EXPECT_EQ(parse_entry_point("x=m:f [extra]", "p").function, "f");
    for (const char* bad : {"no-equals", "x = module-only", "= m:f", "../x = m:f"}) {
        EXPECT_THROW((void)parse_entry_point(bad, "p-1-0"), InstallError) << bad;
    }
}

}  // namespace
}  // namespace cenv::install

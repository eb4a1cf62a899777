#include "install/pip_packages.hpp"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace cenv::install {
namespace {

using test::put;
using test::ScratchDir;
namespace fs = std::filesystem;

constexpr const char* kSp = "lib/python3.11/site-packages";

std::string sp(const std::string& rel) {
    return std::string(kSp) + "/" + rel;
}

/// A prefix as pip leaves it after `pip install torch==2.1.0+cu121` (nvidia wheels included),
/// next to a conda-installed package, an old egg-info folder and file, a pip leftover and a
/// broken distribution.
void make_prefix(const fs::path& p) {
    put(p, sp("torch-2.1.0+cu121.dist-info/METADATA"),
        "Metadata-Version: 2.1\nName: torch\nVersion: 2.1.0+cu121\nSummary: Tensors\n"
        "Requires-Dist: nvidia-cudnn-cu12 (==8.9.2.26)\n\nVersion: 9.9 in the body\n");
    put(p, sp("torch-2.1.0+cu121.dist-info/INSTALLER"), "pip\n");
    put(p, sp("torch-2.1.0+cu121.dist-info/REQUESTED"), "");
    put(p, sp("torch-2.1.0+cu121.dist-info/RECORD"),
        "../../../bin/torchrun,sha256=Vx1,230\n"
        "torch/__init__.py,sha256=AbC,62740\n"
        "\"torch/odd,name.py\",sha256=Q,1\n"
        "torch-2.1.0+cu121.dist-info/RECORD,,\n"
        "/etc/torch.conf,,\n");
    put(p, sp("nvidia_cudnn_cu12-8.9.2.26.dist-info/METADATA"),
        "Metadata-Version: 2.1\r\nname: nvidia-cudnn-cu12\r\nversion: 8.9.2.26\r\n\r\n");
    put(p, sp("nvidia_cudnn_cu12-8.9.2.26.dist-info/INSTALLER"), "pip");
    put(p, sp("nvidia_cudnn_cu12-8.9.2.26.dist-info/RECORD"),
        "nvidia/cudnn/lib/libcudnn.so.8,sha256=x,1\r\n");
    put(p, sp("requests-2.31.0.dist-info/METADATA"),
        "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0\n"
        "  folded line: Version: 0\n");
    put(p, sp("requests-2.31.0.dist-info/INSTALLER"), "conda\n");
    put(p, sp("PyYAML-6.0.1-py3.11.egg-info/PKG-INFO"),
        "Metadata-Version: 1.1\nName: PyYAML\nVersion: 6.0.1\n");
    put(p, sp("PyYAML-6.0.1-py3.11.egg-info/installed-files.txt"),
        "../yaml/__init__.py\n../yaml/_yaml.so\n./\nPKG-INFO\n\n");
    put(p, sp("six-1.16.0-py3.11.egg-info"), "Metadata-Version: 1.0\nName: six\nVersion: 1.16.0\n");
    put(p, sp("~orch-2.0.0.dist-info/METADATA"), "Name: torch\nVersion: 2.0.0\n");
    put(p, sp("broken-1.0.dist-info/RECORD"), "broken/__init__.py,,\n");
    put(p, sp("noversion-1.0.dist-info/METADATA"), "Name: noversion\n");
    put(p, sp("yaml/__init__.py"), "");
}

std::vector<std::string> names(const SitePackages& site) {
    std::vector<std::string> out;
    for (const auto& d : site.distributions) {
        out.push_back(d.name + "==" + d.version);
    }
    return out;
}

TEST(PipPackages, ReadsDistInfoAndEggInfoSortedByNormalizedName) {
    ScratchDir dir;
    make_prefix(dir.path());
    const SitePackages site = read_site_packages(dir.path());
    EXPECT_EQ(names(site),
              (std::vector<std::string>{"nvidia-cudnn-cu12==8.9.2.26", "PyYAML==6.0.1",
                                        "requests==2.31.0", "six==1.16.0", "torch==2.1.0+cu121"}));
}

TEST(PipPackages, DistInfoFieldsAndRecordPathsRelativeToThePrefix) {
    ScratchDir dir;
    make_prefix(dir.path());
    const SitePackages site = read_site_packages(dir.path());
    const PythonDistribution& torch = site.distributions.back();
    EXPECT_EQ(torch.installer, "pip");
    EXPECT_TRUE(torch.requested);
    EXPECT_EQ(torch.metadata_dir, sp("torch-2.1.0+cu121.dist-info"));
    EXPECT_EQ(torch.anchor, sp("torch-2.1.0+cu121.dist-info/RECORD"));
    EXPECT_EQ(torch.files, (std::vector<std::string>{
                               "bin/torchrun", sp("torch/__init__.py"), sp("torch/odd,name.py"),
                               sp("torch-2.1.0+cu121.dist-info/RECORD"), "/etc/torch.conf"}));

    const PythonDistribution& cudnn = site.distributions.front();
    EXPECT_EQ(cudnn.installer, "pip");
    EXPECT_FALSE(cudnn.requested);
    EXPECT_EQ(cudnn.files, std::vector<std::string>{sp("nvidia/cudnn/lib/libcudnn.so.8")});

    const PythonDistribution& requests = site.distributions[2];
    EXPECT_EQ(requests.installer, "conda");
    EXPECT_TRUE(requests.files.empty());  // no RECORD
}

TEST(PipPackages, EggInfoFolderAndFile) {
    ScratchDir dir;
    make_prefix(dir.path());
    const SitePackages site = read_site_packages(dir.path());
    const PythonDistribution& yaml = site.distributions[1];
    EXPECT_EQ(yaml.anchor, sp("PyYAML-6.0.1-py3.11.egg-info/PKG-INFO"));
    EXPECT_EQ(yaml.installer, "");
    EXPECT_EQ(yaml.files, (std::vector<std::string>{sp("yaml/__init__.py"), sp("yaml/_yaml.so"),
                                                    sp("PyYAML-6.0.1-py3.11.egg-info"),
                                                    sp("PyYAML-6.0.1-py3.11.egg-info/PKG-INFO")}));
    const PythonDistribution& six = site.distributions[3];
    EXPECT_EQ(six.anchor, sp("six-1.16.0-py3.11.egg-info"));
    EXPECT_EQ(six.metadata_dir, six.anchor);
    EXPECT_TRUE(six.files.empty());
}

TEST(PipPackages, BrokenDistributionsAreProblemsNotErrors) {
    ScratchDir dir;
    make_prefix(dir.path());
    const SitePackages site = read_site_packages(dir.path());
    ASSERT_EQ(site.problems.size(), 2U);
    EXPECT_EQ(site.problems[0].path, sp("broken-1.0.dist-info"));
    EXPECT_EQ(site.problems[0].reason, "METADATA is missing");
    EXPECT_EQ(site.problems[1].path, sp("noversion-1.0.dist-info"));
    EXPECT_EQ(site.problems[1].reason, "METADATA has no Version");
}

TEST(PipPackages, EverySitePackagesFolderAndNothingElse) {
    ScratchDir dir;
    const fs::path& p = dir.path();
    put(p, "lib/python3.13t/site-packages/a-1.dist-info/METADATA", "Name: a\nVersion: 1\n");
    put(p, "lib/python3.8/site-packages/b-2.dist-info/METADATA", "Name: b\nVersion: 2\n");
    put(p, "lib/python3/site-packages/c-3.dist-info/METADATA", "Name: c\nVersion: 3\n");
    put(p, "lib/pythonx.y/site-packages/d-4.dist-info/METADATA", "Name: d\nVersion: 4\n");
    put(p, "lib/python3.10/dist-packages/e-5.dist-info/METADATA", "Name: e\nVersion: 5\n");
    const SitePackages site = read_site_packages(p);
    EXPECT_EQ(names(site), (std::vector<std::string>{"a==1", "b==2"}));
    EXPECT_EQ(site.distributions[0].metadata_dir, "lib/python3.13t/site-packages/a-1.dist-info");
    EXPECT_TRUE(site.problems.empty());
    EXPECT_EQ(site_packages_dirs(p), (std::vector<std::string>{"lib/python3.13t/site-packages",
                                                               "lib/python3.8/site-packages"}));
}

TEST(PipPackages, PrefixWithoutPythonHasNone) {
    ScratchDir dir;
    const SitePackages empty = read_site_packages(dir.path());
    EXPECT_TRUE(empty.distributions.empty());
    EXPECT_TRUE(empty.problems.empty());
    const SitePackages missing = read_site_packages(dir.path() / "nope");
    EXPECT_TRUE(missing.distributions.empty());
}

TEST(PipPackages, NormalizedName) {
    EXPECT_EQ(normalized_python_name("Jinja2"), "jinja2");
    EXPECT_EQ(normalized_python_name("nvidia_cudnn.cu12"), "nvidia-cudnn-cu12");
    EXPECT_EQ(normalized_python_name("a-_.-b"), "a-b");
    EXPECT_EQ(normalized_python_name("zope.interface"), "zope-interface");
}

TEST(PipPackages, CoreMetadataStopsAtTheBody) {
    const CoreMetadata meta =
        parse_core_metadata("NAME: x\nSummary: s\n  Version: folded\nVersion: 1.0\n\nName: y\n");
    EXPECT_EQ(meta.name, "x");
    EXPECT_EQ(meta.version, "1.0");
    EXPECT_EQ(parse_core_metadata("\nName: x\n").name, "");
}

TEST(PipPackages, RecordCsv) {
    EXPECT_EQ(parse_record_paths("a.py,sha256=x,1\n\"b,\"\"c\"\".py\",,\n\nd.py\r\ne.py"),
              (std::vector<std::string>{"a.py", "b,\"c\".py", "d.py", "e.py"}));
}

}  // namespace
}  // namespace cenv::install

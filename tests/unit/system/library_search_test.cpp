#include "system/library_search.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "test_support.hpp"

namespace cenv::system {
namespace {

using testing::ScratchDir;
namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

TEST(FindLibrary, FindsTheFirstDirectoryHoldingIt) {
    ScratchDir a;
    ScratchDir b;
    fs::copy_file(testing::stub_dir("nvml_ok") / "libnvidia-ml.so.1", b / "libnvidia-ml.so.1");
    EXPECT_EQ(find_library("libnvidia-ml.so.1", {a.path(), b.path()}), b / "libnvidia-ml.so.1");
    fs::copy_file(testing::stub_dir("nvml_ok") / "libnvidia-ml.so.1", a / "libnvidia-ml.so.1");
    EXPECT_EQ(find_library("libnvidia-ml.so.1", {a.path(), b.path()}), a / "libnvidia-ml.so.1");
}

TEST(FindLibrary, FollowsTheSonameSymlink) {
    const fs::path dir = testing::stub_dir("nvml_nosym");
    ASSERT_TRUE(fs::is_symlink(dir / "libcuda.so.1"));
    EXPECT_EQ(find_library("libcuda.so.1", {dir}), dir / "libcuda.so.1");
}

TEST(FindLibrary, SkipsFilesTheLoaderWouldReject) {
    ScratchDir text;
    ScratchDir elf32;
    ScratchDir good;
    write_file(text / "libcuda.so.1", "INPUT(-lcuda)\n");  // a linker script, not ELF
    // An ELF header of the other class.
    std::string header =
        "\x7f"
        "ELF";
    header += static_cast<char>(sizeof(void*) == 8 ? 1 : 2);  // EI_CLASS
    header += std::string(40, '\x01');
    write_file(elf32 / "libcuda.so.1", header);
    fs::copy_file(testing::stub_dir("cuda_hang") / "libcuda.so.1", good / "libcuda.so.1");
    EXPECT_EQ(find_library("libcuda.so.1", {text.path(), elf32.path(), good.path()}),
              good / "libcuda.so.1");
    EXPECT_EQ(find_library("libcuda.so.1", {text.path(), elf32.path()}), std::nullopt);
}

TEST(FindLibrary, NothingFound) {
    ScratchDir empty;
    EXPECT_EQ(find_library("libcuda.so.1", {empty.path(), "/nonexistent/cenv"}), std::nullopt);
    EXPECT_EQ(find_library("libcuda.so.1", {}), std::nullopt);
}

TEST(LdSoConfDirs, FollowsIncludesAndSkipsComments) {
    ScratchDir dir;
    write_file(dir / "ld.so.conf",
               "# the main file\n"
               "include conf.d/*.conf\n"
               "/opt/main/lib   # trailing comment\n"
               "\n");
    write_file(dir / "conf.d" / "a.conf", "/usr/lib/x86_64-linux-gnu/nvidia/current\n");
    write_file(dir / "conf.d" / "b.conf",
               "include " + (dir / "nested.conf").string() + "\n/opt/b\n");
    write_file(dir / "conf.d" / "ignored.txt", "/opt/ignored\n");
    write_file(dir / "nested.conf", "/opt/nested=libc6\n");
    const std::vector<fs::path> expected{"/usr/lib/x86_64-linux-gnu/nvidia/current", "/opt/nested",
                                         "/opt/b", "/opt/main/lib"};
    EXPECT_EQ(ld_so_conf_dirs(dir / "ld.so.conf"), expected);
}

TEST(LdSoConfDirs, IncludeLoopsEnd) {
    ScratchDir dir;
    write_file(dir / "loop.conf", "include loop.conf\n/opt/loop\n");
    const auto dirs = ld_so_conf_dirs(dir / "loop.conf");
    EXPECT_FALSE(dirs.empty());
    EXPECT_LE(dirs.size(), 10U);
    EXPECT_TRUE(ld_so_conf_dirs(dir / "missing.conf").empty());
}

TEST(LoaderSearchDirs, LdLibraryPathComesFirst) {
    const char* old = std::getenv("LD_LIBRARY_PATH");
    const std::string saved = old != nullptr ? old : "";
    ::setenv("LD_LIBRARY_PATH", "/opt/cenv-first:/opt/cenv-second", 1);
    const auto dirs = loader_search_dirs();
    if (old != nullptr) {
        ::setenv("LD_LIBRARY_PATH", saved.c_str(), 1);
    } else {
        ::unsetenv("LD_LIBRARY_PATH");
    }
    ASSERT_GE(dirs.size(), 2U);
    EXPECT_EQ(dirs[0], "/opt/cenv-first");
    EXPECT_EQ(dirs[1], "/opt/cenv-second");
    EXPECT_NE(std::find(dirs.begin(), dirs.end(), fs::path("/usr/lib64/nvidia")), dirs.end());
#if defined(__x86_64__)
    EXPECT_NE(std::find(dirs.begin(), dirs.end(), fs::path("/usr/lib/x86_64-linux-gnu")),
              dirs.end());
#endif
    for (std::size_t i = 0; i < dirs.size(); ++i) {
        EXPECT_EQ(std::count(dirs.begin(), dirs.end(), dirs[i]), 1) << dirs[i];
    }
}

}  // namespace
}  // namespace cenv::system

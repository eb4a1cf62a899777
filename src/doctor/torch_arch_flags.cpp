#include "doctor/torch_arch_flags.hpp"

#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace cenv::doctor {

namespace {

bool arch_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == ' ';
}

/// A read-only mapping of a whole file, unmapped and closed on destruction.
class Mapping {
  public:
    explicit Mapping(const std::filesystem::path& path) {
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) {
            error_ = std::strerror(errno);
            return;
        }
        struct stat st {};
        if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
            error_ = "not a regular file";
            return;
        }
        size_ = static_cast<std::size_t>(st.st_size);
        void* data = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
        if (data == MAP_FAILED) {
            error_ = std::strerror(errno);
            size_ = 0;
            return;
        }
        data_ = static_cast<const char*>(data);
    }
    ~Mapping() {
        if (data_ != nullptr) {
            ::munmap(const_cast<char*>(data_), size_);
        }
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;

    [[nodiscard]] std::string_view bytes() const { return {data_, size_}; }
    [[nodiscard]] const std::string& error() const { return error_; }

  private:
    int fd_ = -1;
    const char* data_ = nullptr;
    std::size_t size_ = 0;
    std::string error_;
};

/// The [offset, size) of every `.rodata*` section, or an error.
struct Sections {
    std::vector<std::string_view> rodata;
    std::string error;
};

Sections rodata_sections(std::string_view file) {
    Sections out;
    Elf64_Ehdr header{};
    if (file.size() < sizeof header || std::memcmp(file.data(), ELFMAG, SELFMAG) != 0) {
        out.error = "not an ELF file";
        return out;
    }
    std::memcpy(&header, file.data(), sizeof header);
    if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_shentsize != sizeof(Elf64_Shdr) ||
        header.e_shstrndx >= header.e_shnum || header.e_shoff > file.size() ||
        header.e_shnum > (file.size() - header.e_shoff) / sizeof(Elf64_Shdr)) {
        out.error = "not a 64-bit ELF file with a section table";
        return out;
    }
    const auto section = [&](std::size_t i) {
        Elf64_Shdr s{};
        std::memcpy(&s, file.data() + header.e_shoff + i * sizeof(Elf64_Shdr), sizeof s);
        return s;
    };
    const auto contents = [&](const Elf64_Shdr& s) -> std::optional<std::string_view> {
        if (s.sh_type == SHT_NOBITS || s.sh_offset > file.size() ||
            s.sh_size > file.size() - s.sh_offset) {
            return std::nullopt;
        }
        return file.substr(s.sh_offset, s.sh_size);
    };
    const auto names = contents(section(header.e_shstrndx));
    if (!names) {
        out.error = "its section names are outside the file";
        return out;
    }
    for (std::size_t i = 0; i < header.e_shnum; ++i) {
        const Elf64_Shdr s = section(i);
        if (s.sh_name >= names->size()) {
            continue;
        }
        const std::string_view name = names->substr(s.sh_name);
        if (name.substr(0, name.find('\0')).starts_with(".rodata")) {
            if (const auto data = contents(s)) {
                out.rodata.push_back(*data);
            }
        }
    }
    if (out.rodata.empty()) {
        out.error = "it has no .rodata section";
    }
    return out;
}

}  // namespace

namespace {

/// Adds to `found` each distinct NUL-delimited string of `bytes` that is an architecture list.
void collect_arch_lists(std::string_view bytes, std::vector<std::string>& found) {
    for (std::size_t at = bytes.find("sm_"); at != std::string_view::npos;
         at = bytes.find("sm_", at + 1)) {
        // The string around the hit, if it is made of architecture characters only (a
        // literal is at most a few hundred bytes).
        std::size_t begin = at;
        while (begin > 0 && at - begin < 1024 && arch_char(bytes[begin - 1])) {
            --begin;
        }
        std::size_t end = at;
        while (end < bytes.size() && end - at < 1024 && arch_char(bytes[end])) {
            ++end;
        }
        const bool delimited =
            (begin == 0 || bytes[begin - 1] == '\0') && end < bytes.size() && bytes[end] == '\0';
        const std::string_view text = bytes.substr(begin, end - begin);
        at = end;
        if (!delimited || text.front() == ' ' || text.back() == ' ' ||
            text.find("  ") != std::string_view::npos) {
            continue;
        }
        const auto list = ArchList::parse(text);
        if (list && list->archs().size() >= 2 &&
            std::find(found.begin(), found.end(), text) == found.end()) {
            found.emplace_back(text);
        }
    }
}

ArchFlagsRead decide(const std::vector<std::string>& found, std::string_view where) {
    ArchFlagsRead result;
    if (found.size() == 1) {
        result.archs = ArchList::parse(found.front());
    } else if (found.empty()) {
        result.failure = fmt::format("{}no architecture list in its read-only data", where);
    } else {
        result.failure = fmt::format("{}{} different architecture lists ('{}')", where,
                                     found.size(), fmt::join(found, "', '"));
    }
    return result;
}

}  // namespace

ArchFlagsRead find_arch_flags(std::string_view bytes) {
    std::vector<std::string> found;
    collect_arch_lists(bytes, found);
    return decide(found, "");
}

ArchFlagsRead read_torch_arch_flags(const std::filesystem::path& library) {
    const Mapping file(library);
    if (!file.error().empty()) {
        return {std::nullopt, fmt::format("cannot read {}: {}", library.string(), file.error())};
    }
    const Sections sections = rodata_sections(file.bytes());
    if (!sections.error.empty()) {
        return {std::nullopt, fmt::format("{}: {}", library.string(), sections.error)};
    }
    std::vector<std::string> found;
    for (const std::string_view data : sections.rodata) {
        collect_arch_lists(data, found);
    }
    return decide(found, library.string() + ": ");
}

}  // namespace cenv::doctor

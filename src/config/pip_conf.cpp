#include "config/pip_conf.hpp"

#include <fmt/format.h>

#include "config/rc_edit.hpp"

namespace cenv::config {

std::string pip_conf_text(const Settings& settings) {
    const std::string& index = settings.string("pip_index_url");
    if (index.empty()) {
        return {};
    }
    std::string text = fmt::format(
        "# Written by cenv from pip_index_url (cenv config get pip_index_url)\n"
        "[global]\nindex-url = {}\n",
        index);
    const auto& hosts = settings.list("pip_trusted_host");
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        // pip reads a multi-line value: the first on the key's line, the rest indented.
        text += i == 0 ? fmt::format("trusted-host = {}\n", hosts[i])
                       : fmt::format("    {}\n", hosts[i]);
    }
    return text;
}

bool write_pip_conf(const std::filesystem::path& prefix, const Settings& settings) {
    const std::string text = pip_conf_text(settings);
    std::error_code ec;
    const auto path = prefix / "pip.conf";
    if (text.empty() || std::filesystem::exists(path, ec)) {
        return false;
    }
    write_file_atomically(path, text);
    return true;
}

}  // namespace cenv::config

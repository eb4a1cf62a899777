#include "shell/hook.hpp"

#include <string_view>

#include "shell/render.hpp"

namespace cenv::shell {

namespace data {
extern const std::string_view hook_bash;
extern const std::string_view hook_posix;
extern const std::string_view hook_fish;
extern const std::string_view prompt_fish;
extern const std::string_view auto_bash;
extern const std::string_view auto_prompt_bash;
extern const std::string_view auto_chpwd_zsh;
extern const std::string_view auto_fish;
extern const std::string_view complete_bash;
extern const std::string_view complete_zsh;
extern const std::string_view complete_fish;
}  // namespace data

namespace {

void replace_all(std::string& text, std::string_view from, std::string_view to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

}  // namespace

std::string hook_script(const HookOptions& options) {
    std::string out;
    switch (options.shell) {
        case Shell::bash:
        case Shell::zsh:
            out = data::hook_bash;
            if (options.completion) {
                out += options.shell == Shell::bash ? data::complete_bash : data::complete_zsh;
            }
            if (options.auto_activate) {
                out += data::auto_bash;
                out += options.shell == Shell::bash ? data::auto_prompt_bash : data::auto_chpwd_zsh;
            }
            break;
        case Shell::fish:
            out = data::hook_fish;
            if (options.completion) {
                out += data::complete_fish;
            }
            if (options.changeps1) {
                out += data::prompt_fish;
            }
            if (options.auto_activate) {
                out += data::auto_fish;
            }
            break;
        case Shell::posix:
            out = data::hook_posix;
            break;
    }
    const std::string exe = quote(options.exe.string(), options.shell);
    replace_all(out, "__CENV_ACTIVATE__",
                options.activator.empty() ? exe + " shell"
                                          : quote(options.activator.string(), options.shell));
    replace_all(out, "__CENV_EXE__", exe);
    replace_all(out, "__CENV_SHELL__", shell_name(options.shell));
    return out;
}

}  // namespace cenv::shell

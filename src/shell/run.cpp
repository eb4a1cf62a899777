#include "shell/run.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "shell/render.hpp"

namespace cenv::shell {

std::vector<std::string> run_argv(const Script& script, const std::vector<std::string>& command,
                                  const std::string& shell) {
    if (script.activate_scripts.empty()) {
        return command;
    }
    std::string code;
    for (const auto& file : script.activate_scripts) {
        code += ". " + quote(file.string(), Shell::posix) + "\n";
    }
    code += "exec \"$@\"";
    std::vector<std::string> argv{shell, "-c", code, "cenv-run"};
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

void exec_activated(const Variables& vars, const Script& script,
                    const std::vector<std::string>& command) {
    if (command.empty()) {
        throw ExecError("no command to run", "give one: cenv run -n NAME python -V", 2);
    }
    const Variables env = apply_changes(vars, script);
    const bool has_bash = ::access("/bin/bash", X_OK) == 0;
    const auto argv_strings = run_argv(script, command, has_bash ? "/bin/bash" : "/bin/sh");
    std::vector<char*> argv;
    for (const auto& a : argv_strings) {
        argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    // execvp looks the command up in this process's PATH: make it the activated one.
    if (::clearenv() != 0) {
        throw ExecError("cannot set up the environment of the command", "", 1);
    }
    for (const auto& [name, value] : env) {
        ::setenv(name.c_str(), value.c_str(), 1);
    }
    ::execvp(argv[0], argv.data());
    const int err = errno;
    const bool missing = err == ENOENT;
    throw ExecError(fmt::format("cannot run '{}': {}", command.front(), std::strerror(err)),
                    missing ? "check the name; the environment's bin folder is first on PATH"
                            : "check that it is an executable file",
                    missing ? 127 : 126);
}

}  // namespace cenv::shell

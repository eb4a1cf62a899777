#include "shell/completion.hpp"

#include <algorithm>

#include "shell/shell_kind.hpp"
#include "specs/platform.hpp"

namespace cenv::shell {

namespace {

bool contains(const std::vector<std::string>& list, std::string_view word) {
    return std::find(list.begin(), list.end(), word) != list.end();
}

const CompletionCommand* find_subcommand(const CompletionCommand& cmd, std::string_view name) {
    for (const auto& sub : cmd.subcommands) {
        if (sub.name == name) {
            return &sub;
        }
    }
    return nullptr;
}

// The values a flag takes, where cenv knows them; empty for paths and free text.
std::vector<std::string> flag_values(std::string_view flag, const CompletionSources& sources) {
    std::vector<std::string> out;
    if (flag == "-n" || flag == "--name") {
        if (sources.environments) {
            out = sources.environments();
        }
    } else if (flag == "-s" || flag == "--shell") {
        for (const Shell shell : all_shells()) {
            out.emplace_back(shell_name(shell));
        }
    } else if (flag == "--channel-priority") {
        out = {"strict", "flexible", "disabled"};
    } else if (flag == "--platform") {
        for (const auto subdir : specs::known_subdirs) {
            out.emplace_back(subdir);
        }
    }
    return out;
}

}  // namespace

std::vector<std::string> complete(const CompletionCommand& root,
                                  const std::vector<std::string>& words,
                                  const CompletionSources& sources) {
    if (words.empty()) {
        return {};
    }
    const std::string& current = words.back();
    const CompletionCommand* cmd = &root;
    std::string name;
    std::string prefix;
    const std::string* pending_flag = nullptr;  // a value flag whose value is `current`
    for (std::size_t i = 1; i + 1 < words.size(); ++i) {
        const std::string& word = words[i];
        if (word == "--") {
            return {};  // what follows is a command's own (cenv run -- ...)
        }
        if (word.starts_with('-')) {
            const auto eq = word.find('=');
            const std::string flag = word.substr(0, eq);
            if (eq == std::string::npos && contains(cmd->value_flags, flag)) {
                if (i + 2 == words.size()) {
                    pending_flag = &word;
                    break;
                }
                const std::string& value = words[++i];
                if (flag == "-n" || flag == "--name") {
                    name = value;
                } else if (flag == "-p" || flag == "--prefix") {
                    prefix = value;
                }
            }
            continue;
        }
        if (const auto* sub = find_subcommand(*cmd, word)) {
            cmd = sub;
        } else if (cmd->name == "run") {
            return {};  // the command run runs: the shell completes it
        }
    }

    std::vector<std::string> candidates;
    if (pending_flag != nullptr) {
        candidates = flag_values(*pending_flag, sources);
    } else if (current.starts_with('-')) {
        candidates = cmd->flags;
    } else {
        for (const auto& sub : cmd->subcommands) {
            candidates.push_back(sub.name);
        }
        switch (cmd->positional) {
            case PositionalKind::environments:
                if (sources.environments) {
                    for (auto& env : sources.environments()) {
                        candidates.push_back(std::move(env));
                    }
                }
                break;
            case PositionalKind::packages:
                if (sources.packages) {
                    for (auto& package : sources.packages(current)) {
                        candidates.push_back(std::move(package));
                    }
                }
                break;
            case PositionalKind::installed_packages:
                if (sources.installed) {
                    for (auto& package : sources.installed(name, prefix)) {
                        candidates.push_back(std::move(package));
                    }
                }
                break;
            case PositionalKind::none:
                break;
        }
    }
    std::erase_if(candidates, [&](const std::string& c) { return !c.starts_with(current); });
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    return candidates;
}

}  // namespace cenv::shell

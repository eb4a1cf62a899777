#include "shell/env_vars.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "config/rc_edit.hpp"
#include "shell/error.hpp"
#include "util/file.hpp"

namespace cenv::shell {

namespace {

using Json = nlohmann::ordered_json;

std::filesystem::path state_file(const std::filesystem::path& prefix) {
    return prefix / "conda-meta" / "state";
}

Json read_json(const std::filesystem::path& file) {
    try {
        return Json::parse(util::read_file(file));
    } catch (const Json::parse_error& e) {
        throw ShellError(fmt::format("{}: not valid JSON: {}", file.string(), e.what()),
                         "fix or remove the file; conda and cenv write it as a JSON object");
    }
}

// The state file's JSON, an empty object when there is none.
Json read_state(const std::filesystem::path& prefix) {
    const auto file = state_file(prefix);
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        return Json::object();
    }
    Json state = read_json(file);
    if (!state.is_object()) {
        throw ShellError(fmt::format("{}: not a JSON object", file.string()),
                         "conda-meta/state holds {\"env_vars\": {\"NAME\": \"value\"}}");
    }
    return state;
}

// Adds the string members of `object` (from `file`) to `out`, a later value replacing an
// earlier one in place.
void add_variables(const Json& object, const std::filesystem::path& file, std::vector<EnvVar>& out,
                   std::vector<std::string>* skipped) {
    if (!object.is_object()) {
        throw ShellError(
            fmt::format("{}: the environment variables are not a JSON object", file.string()),
            "write them as {\"NAME\": \"value\", ...}");
    }
    for (const auto& [name, value] : object.items()) {
        if (!value.is_string()) {
            throw ShellError(
                fmt::format("{}: the value of '{}' is not a string", file.string(), name),
                "environment variables are strings; quote the value");
        }
        if (!is_variable_name(name)) {
            if (skipped != nullptr) {
                skipped->push_back(fmt::format("{}: {}", file.string(), name));
            }
            continue;
        }
        const auto it =
            std::find_if(out.begin(), out.end(), [&](const EnvVar& v) { return v.name == name; });
        if (it == out.end()) {
            out.push_back({name, value.get<std::string>()});
        } else {
            it->value = value.get<std::string>();
        }
    }
}

void drop_markers(std::vector<EnvVar>& vars) {
    std::erase_if(vars, [](const EnvVar& v) { return v.value == kUnsetMarker; });
}

void write_state(const std::filesystem::path& prefix, const Json& state) {
    std::error_code ec;
    if (!std::filesystem::is_directory(prefix / "conda-meta", ec)) {
        throw ShellError(
            fmt::format("{} is not an environment (it has no conda-meta folder)", prefix.string()),
            "name an existing environment with -n NAME or -p PATH");
    }
    config::write_file_atomically(state_file(prefix), state.dump(2) + "\n");
}

}  // namespace

bool is_variable_name(std::string_view name) noexcept {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9');
    });
}

std::vector<EnvVar> activation_variables(const std::filesystem::path& prefix,
                                         std::vector<std::string>* skipped) {
    std::vector<EnvVar> out;
    std::error_code ec;
    const auto packages = prefix / "etc" / "conda" / "env_vars.d";
    if (std::filesystem::is_directory(packages, ec)) {
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(packages, ec)) {
            if (entry.path().extension() == ".json") {
                files.push_back(entry.path());
            }
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            add_variables(read_json(file), file, out, skipped);
        }
    }
    const Json state = read_state(prefix);
    if (const auto it = state.find("env_vars"); it != state.end()) {
        add_variables(*it, state_file(prefix), out, skipped);
    }
    drop_markers(out);
    return out;
}

std::vector<EnvVar> state_variables(const std::filesystem::path& prefix) {
    std::vector<EnvVar> out;
    const Json state = read_state(prefix);
    if (const auto it = state.find("env_vars"); it != state.end()) {
        add_variables(*it, state_file(prefix), out, nullptr);
    }
    drop_markers(out);
    return out;
}

void set_state_variables(const std::filesystem::path& prefix, const std::vector<EnvVar>& vars) {
    for (const auto& v : vars) {
        if (!is_variable_name(v.name)) {
            throw ShellError(fmt::format("'{}' is not a variable name", v.name),
                             "use letters, digits and _, not starting with a digit");
        }
    }
    Json state = read_state(prefix);
    Json& env_vars = state["env_vars"];
    if (!env_vars.is_object()) {
        env_vars = Json::object();
    }
    for (const auto& v : vars) {
        env_vars[v.name] = v.value;
    }
    write_state(prefix, state);
}

std::vector<std::string> unset_state_variables(const std::filesystem::path& prefix,
                                               const std::vector<std::string>& names) {
    Json state = read_state(prefix);
    std::vector<std::string> missing;
    bool changed = false;
    const auto it = state.find("env_vars");
    for (const auto& name : names) {
        if (it == state.end() || !it->is_object() || !it->contains(name) ||
            (*it)[name] == kUnsetMarker) {
            missing.push_back(name);
            continue;
        }
        (*it)[name] = kUnsetMarker;
        changed = true;
    }
    if (changed) {
        write_state(prefix, state);
    }
    return missing;
}

}  // namespace cenv::shell

#include "shell/activation.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

#include "install/prefix_cuda.hpp"
#include "shell/cuda_runtime.hpp"
#include "shell/env_vars.hpp"
#include "shell/path_list.hpp"
#include "shell/saved_state.hpp"
#include "specs/prefix_record.hpp"

namespace cenv::shell {

namespace {

namespace fs = std::filesystem;

std::optional<std::string> get(const Variables& vars, std::string_view name) {
    if (const auto it = vars.find(name); it != vars.end()) {
        return it->second;
    }
    return std::nullopt;
}

// Path lists keep the value activation set in their record (see saved_state.hpp).
bool is_path_list(std::string_view name) {
    return name == "PATH" || name == "LD_LIBRARY_PATH";
}

bool has_number_suffix(std::string_view name, std::string_view stem) {
    if (!name.starts_with(stem) || name.size() == stem.size()) {
        return false;
    }
    return std::all_of(name.begin() + static_cast<std::ptrdiff_t>(stem.size()), name.end(),
                       [](char c) { return c >= '0' && c <= '9'; });
}

// The variables that keep track of the levels themselves: a level taken back to make room
// for another (activation without --stack) keeps them.
bool is_bookkeeping(std::string_view name) {
    return name == "CONDA_SHLVL" || has_number_suffix(name, "CONDA_PREFIX_") ||
           has_number_suffix(name, "CONDA_STACKED_") || has_number_suffix(name, "_CENV_SAVED_");
}

std::string level_variable(std::string_view stem, int level) {
    return std::string(stem) + std::to_string(level);
}

// Changes on top of the current variables, in the order first made.
class Edits {
  public:
    explicit Edits(const Variables& current) : current_(current) {}

    [[nodiscard]] std::optional<std::string> get(std::string_view name) const {
        for (const auto& [n, v] : edits_) {
            if (n == name) {
                return v;
            }
        }
        return shell::get(current_, name);
    }

    void set(std::string_view name, std::optional<std::string> value) {
        for (auto& [n, v] : edits_) {
            if (n == name) {
                v = std::move(value);
                return;
            }
        }
        edits_.emplace_back(std::string(name), std::move(value));
    }

    /// The edits that change something.
    [[nodiscard]] std::vector<Change> changes() const {
        std::vector<Change> out;
        for (const auto& [name, value] : edits_) {
            if (value != shell::get(current_, name)) {
                out.push_back({name, value, name != "PS1"});
            }
        }
        return out;
    }

  private:
    const Variables& current_;
    std::vector<std::pair<std::string, std::optional<std::string>>> edits_;
};

std::string display(const ActivationContext& context, const fs::path& prefix) {
    return context.display_name ? context.display_name(prefix) : prefix.string();
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

std::string prompt_modifier(const ActivationContext& context, const fs::path& prefix,
                            const std::string& name) {
    std::string text = context.env_prompt;
    replace_all(text, "{default_env}", name);
    replace_all(text, "{name}", prefix.filename().string());
    replace_all(text, "{prefix}", prefix.string());
    return text;
}

// PS1 with the prompt modifier `old` taken out (once, where it is) and `modifier` in front.
std::string prompt_with(std::string ps1, const std::optional<std::string>& old,
                        const std::string& modifier) {
    if (old && !old->empty()) {
        if (const auto at = ps1.find(*old); at != std::string::npos) {
            ps1.erase(at, old->size());
        }
    }
    return modifier + ps1;
}

// `<prefix>/etc/conda/<folder>/*<extension>`, in name order (reversed for deactivation).
std::vector<fs::path> hook_scripts(const fs::path& prefix, std::string_view folder,
                                   std::string_view extension, bool reverse) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (fs::directory_iterator it(prefix / "etc" / "conda" / folder, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->path().extension() == extension) {
            out.push_back(it->path());
        }
    }
    std::sort(out.begin(), out.end());
    if (reverse) {
        std::reverse(out.begin(), out.end());
    }
    return out;
}

// What a variable returns to when its level is taken back.
std::optional<std::string> undo(const SavedVar& var, const Variables& current) {
    if (var.before && var.after) {
        if (const auto now = get(current, var.name)) {
            return undo_list_edit(*now, *var.before, *var.after);
        }
    }
    return var.before;
}

// The record of a level that conda activated, or whose record is missing: what conda's own
// deactivation would restore.
SavedState conda_record(const ActivationContext& context, int level) {
    const Variables& vars = context.vars;
    SavedState record;
    const auto prefix = get(vars, "CONDA_PREFIX");
    const auto below = level > 1 ? get(vars, level_variable("CONDA_PREFIX_", level - 1))
                                 : std::optional<std::string>();
    const bool stacked = get(vars, level_variable("CONDA_STACKED_", level)).has_value();
    if (const auto path = get(vars, "PATH"); path && prefix) {
        auto entries = split_path_list(*path);
        const std::string bin = (fs::path(*prefix) / "bin").string();
        if (const auto it = std::find(entries.begin(), entries.end(), bin); it != entries.end()) {
            if (below && !stacked) {
                *it = (fs::path(*below) / "bin").string();
            } else {
                entries.erase(it);
            }
        }
        record.push_back({"PATH", join_path_list(entries), std::nullopt});
    }
    record.push_back({"CONDA_PREFIX", below, std::nullopt});
    record.push_back({"CONDA_SHLVL", std::to_string(level - 1), std::nullopt});
    if (below) {
        record.push_back({level_variable("CONDA_PREFIX_", level - 1), std::nullopt, std::nullopt});
    }
    record.push_back({level_variable("CONDA_STACKED_", level), std::nullopt, std::nullopt});
    std::optional<std::string> name;
    std::optional<std::string> modifier;
    if (below) {
        name = display(context, *below);
        modifier = prompt_modifier(context, *below, *name);
    }
    record.push_back({"CONDA_DEFAULT_ENV", name, std::nullopt});
    record.push_back({"CONDA_PROMPT_MODIFIER", modifier, std::nullopt});
    if (const auto ps1 = get(vars, "PS1"); ps1 && context.changeps1) {
        std::string restored = prompt_with(*ps1, get(vars, "CONDA_PROMPT_MODIFIER"), "");
        record.push_back({"PS1", modifier ? *modifier + restored : restored, std::nullopt});
    }
    if (prefix) {
        for (const auto& v : activation_variables(*prefix)) {
            record.push_back({v.name, std::nullopt, std::nullopt});
        }
    }
    return record;
}

SavedState level_record(const ActivationContext& context, int level) {
    if (const auto text = get(context.vars, saved_variable_name(level))) {
        if (auto record = decode_saved_state(*text)) {
            return std::move(*record);
        }
    }
    return conda_record(context, level);
}

// `p` without `.`, `..` and a trailing separator.
fs::path normal(const fs::path& p) {
    fs::path out = p.lexically_normal();
    if (out.has_relative_path() && !out.has_filename()) {
        out = out.parent_path();
    }
    return out;
}

bool same_path(const std::string& a, const fs::path& b) {
    return normal(a) == normal(b);
}

}  // namespace

int active_level(const Variables& vars) {
    const auto text = get(vars, "CONDA_SHLVL");
    int level = 0;
    if (!text ||
        std::from_chars(text->data(), text->data() + text->size(), level).ec != std::errc{}) {
        return 0;
    }
    return std::max(level, 0);
}

Script activate(const ActivationContext& context, const fs::path& given, bool stack) {
    const fs::path prefix = normal(given);
    Script script;
    const Variables& current = context.vars;
    const int level = active_level(current);
    const auto old_prefix = level > 0 ? get(current, "CONDA_PREFIX") : std::nullopt;
    if (old_prefix && !stack && same_path(*old_prefix, prefix)) {
        return reactivate(context, prefix);
    }
    const std::string extension(script_extension(context.shell));
    Edits edits(current);
    if (level > 0 && !stack) {
        for (const auto& var : level_record(context, level)) {
            if (!is_bookkeeping(var.name)) {
                edits.set(var.name, undo(var, current));
            }
        }
        if (old_prefix) {
            script.deactivate_scripts = hook_scripts(*old_prefix, "deactivate.d", extension, true);
        }
    }

    const std::string bin = (prefix / "bin").string();
    const auto path = edits.get("PATH");
    edits.set("PATH", path && !path->empty() ? bin + ":" + *path : bin);
    edits.set("CONDA_PREFIX", prefix.string());
    const std::string name = display(context, prefix);
    edits.set("CONDA_DEFAULT_ENV", name);
    const std::string modifier = prompt_modifier(context, prefix, name);
    const auto old_modifier = edits.get("CONDA_PROMPT_MODIFIER");
    edits.set("CONDA_PROMPT_MODIFIER", modifier);
    if (context.changeps1 && context.shell != Shell::fish) {
        if (const auto ps1 = edits.get("PS1")) {
            edits.set("PS1", prompt_with(*ps1, old_modifier, modifier));
        }
    }

    const auto records = specs::list_prefix_records(prefix);
    if (const auto runtime = install::prefix_cuda_runtime(records)) {
        edits.set("CUDA_HOME", prefix.string());
        edits.set("CUDA_PATH", prefix.string());
        edits.set("LD_LIBRARY_PATH", cuda_library_path(edits.get("LD_LIBRARY_PATH"), prefix));
        if (context.driver) {
            if (const auto driver = context.driver()) {
                if (auto warning = driver_mismatch(*runtime, *driver, name)) {
                    script.warnings.push_back(std::move(*warning));
                }
            }
        }
    }

    std::vector<std::string> skipped;
    for (auto& var : activation_variables(prefix, &skipped)) {
        edits.set(var.name, std::move(var.value));
    }
    for (const auto& s : skipped) {
        script.warnings.push_back(s + " is not a variable name; not set");
    }

    edits.set("CONDA_SHLVL", std::to_string(level + 1));
    if (old_prefix) {
        edits.set(level_variable("CONDA_PREFIX_", level), *old_prefix);
    }
    if (stack) {
        edits.set(level_variable("CONDA_STACKED_", level + 1), "true");
    }

    script.changes = edits.changes();
    const std::string saved_name = saved_variable_name(level + 1);
    SavedState record;
    for (const auto& change : script.changes) {
        record.push_back({change.name, get(current, change.name),
                          is_path_list(change.name) ? change.value : std::nullopt});
    }
    record.push_back({saved_name, get(current, saved_name), std::nullopt});
    script.changes.push_back({saved_name, encode_saved_state(record), true});
    script.activate_scripts = hook_scripts(prefix, "activate.d", extension, false);
    return script;
}

Script reactivate(const ActivationContext& context, const fs::path& prefix) {
    // Taking the level back and activating again, as one script: the environment's
    // deactivate.d, then its activate.d; what deactivating would do to the environment below
    // (source its activate.d) and activating over it would undo (its deactivate.d) cancel out.
    const int level = active_level(context.vars);
    const bool stacked = get(context.vars, level_variable("CONDA_STACKED_", level)).has_value();
    const Script down = deactivate(context);
    ActivationContext below = context;
    below.vars = apply_changes(context.vars, down);
    Script up = activate(below, prefix, stacked);
    const Variables after = apply_changes(below.vars, up);
    Script script;
    script.deactivate_scripts = down.deactivate_scripts;
    script.activate_scripts = std::move(up.activate_scripts);
    script.warnings = std::move(up.warnings);
    Edits edits(context.vars);
    for (const auto& [name, value] : context.vars) {
        if (after.find(name) == after.end()) {
            edits.set(name, std::nullopt);
        }
    }
    for (const auto& [name, value] : after) {
        edits.set(name, value);
    }
    script.changes = edits.changes();
    return script;
}

Script deactivate(const ActivationContext& context) {
    Script script;
    const Variables& current = context.vars;
    const int level = active_level(current);
    if (level == 0) {
        return script;
    }
    const std::string extension(script_extension(context.shell));
    if (const auto prefix = get(current, "CONDA_PREFIX")) {
        script.deactivate_scripts = hook_scripts(*prefix, "deactivate.d", extension, true);
    }
    Edits edits(current);
    for (const auto& var : level_record(context, level)) {
        edits.set(var.name, undo(var, current));
    }
    script.changes = edits.changes();
    const bool stacked = get(current, level_variable("CONDA_STACKED_", level)).has_value();
    if (level > 1 && !stacked) {
        if (const auto back = edits.get("CONDA_PREFIX")) {
            script.activate_scripts = hook_scripts(*back, "activate.d", extension, false);
        }
    }
    return script;
}

Variables apply_changes(Variables vars, const Script& script) {
    for (const auto& change : script.changes) {
        if (change.value) {
            vars[change.name] = *change.value;
        } else {
            vars.erase(change.name);
        }
    }
    return vars;
}

}  // namespace cenv::shell

// Activation as data: every order of activate / activate --stack / deactivate gives back
// exactly the variables there were, and what is set while active is conda's.

#include "shell/activation.hpp"

#include <functional>

#include <gtest/gtest.h>

#include "shell/env_vars.hpp"
#include "shell/saved_state.hpp"
#include "test_support.hpp"

namespace cenv::shell {
namespace {

namespace fs = std::filesystem;
using testing::make_env;
using testing::ScratchDir;
using testing::write_file;

std::optional<std::string> get(const Variables& vars, const std::string& name) {
    const auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
}

class Activation : public ::testing::Test {
  protected:
    void SetUp() override {
        a_ = make_env(dir_ / "envs" / "a", {"python-3.10.13-h0_0"});
        b_ = make_env(dir_ / "envs" / "b b", {"zlib-1.3-h0_0"});
        c_ = make_env(dir_ / "张三" / "c");
        // a sets FOO (unset before) and EMPTY (empty before); b sets FOO too.
        set_state_variables(a_, {{"FOO", "from a"}, {"EMPTY", "not empty"}});
        set_state_variables(b_, {{"FOO", "from b b"}});
        base_ = {{"PATH", "/usr/bin:/bin"},
                 {"HOME", "/home/u"},
                 {"EMPTY", ""},
                 {"PS1", "\\u@\\h$ "},
                 {"LD_LIBRARY_PATH", "/usr/local/cuda-11.8/lib64:/opt/x"}};
    }

    ActivationContext context(const Variables& vars) const {
        ActivationContext c;
        c.vars = vars;
        c.display_name = [this](const fs::path& p) {
            return p.parent_path() == dir_ / "envs" ? p.filename().string() : p.string();
        };
        return c;
    }

    ScratchDir dir_;
    fs::path a_, b_, c_;
    Variables base_;
};

TEST_F(Activation, SetsWhatCondaSets) {
    const Script s = activate(context(base_), a_, false);
    const Variables v = apply_changes(base_, s);
    EXPECT_EQ(get(v, "PATH"), (a_ / "bin").string() + ":/usr/bin:/bin");
    EXPECT_EQ(get(v, "CONDA_PREFIX"), a_.string());
    EXPECT_EQ(get(v, "CONDA_DEFAULT_ENV"), "a");
    EXPECT_EQ(get(v, "CONDA_SHLVL"), "1");
    EXPECT_EQ(get(v, "CONDA_PROMPT_MODIFIER"), "(a) ");
    EXPECT_EQ(get(v, "PS1"), "(a) \\u@\\h$ ");
    EXPECT_EQ(get(v, "FOO"), "from a");
    EXPECT_EQ(get(v, "EMPTY"), "not empty");
    EXPECT_FALSE(get(v, "CONDA_PREFIX_0"));
    // No CUDA runtime in a: nothing CUDA changes.
    EXPECT_FALSE(get(v, "CUDA_HOME"));
    EXPECT_EQ(get(v, "LD_LIBRARY_PATH"), base_.at("LD_LIBRARY_PATH"));
    EXPECT_TRUE(s.warnings.empty());
    // PS1 is a shell variable, the rest is exported.
    for (const auto& change : s.changes) {
        EXPECT_EQ(change.exported, change.name != "PS1") << change.name;
    }

    const Variables v2 = apply_changes(v, activate(context(v), b_, false));
    EXPECT_EQ(get(v2, "PATH"), (b_ / "bin").string() + ":/usr/bin:/bin");  // a's bin replaced
    EXPECT_EQ(get(v2, "CONDA_SHLVL"), "2");
    EXPECT_EQ(get(v2, "CONDA_PREFIX_1"), a_.string());
    EXPECT_EQ(get(v2, "CONDA_DEFAULT_ENV"), "b b");
    EXPECT_EQ(get(v2, "PS1"), "(b b) \\u@\\h$ ");
    EXPECT_EQ(get(v2, "FOO"), "from b b");
    EXPECT_EQ(get(v2, "EMPTY"), "");  // a's variable is taken back while b is active

    const Variables v3 = apply_changes(v2, activate(context(v2), c_, true));
    EXPECT_EQ(get(v3, "PATH"),
              (c_ / "bin").string() + ":" + (b_ / "bin").string() + ":/usr/bin:/bin");
    EXPECT_EQ(get(v3, "CONDA_STACKED_3"), "true");
    EXPECT_EQ(get(v3, "CONDA_DEFAULT_ENV"), c_.string());  // not in an envs folder: the path
    EXPECT_EQ(get(v3, "PS1"), "(" + c_.string() + ") \\u@\\h$ ");
    EXPECT_EQ(get(v3, "FOO"), "from b b");  // stacked: b's stay
}

TEST_F(Activation, ActivatingTheActiveEnvironmentAgainReactivatesIt) {
    const Variables v = apply_changes(base_, activate(context(base_), a_, false));
    EXPECT_TRUE(activate(context(v), a_ / ".", false).empty());  // nothing changed: nothing to do
    EXPECT_FALSE(activate(context(v), a_, true).empty());        // --stack: asked for

    // After `env config vars set`, activating again applies the change at the same level ...
    set_state_variables(a_, {{"FOO", "changed"}});
    write_file(a_ / "etc/conda/activate.d/x.sh", "");
    write_file(a_ / "etc/conda/deactivate.d/x.sh", "");
    const Script again = activate(context(v), a_, false);
    EXPECT_EQ(again.deactivate_scripts, std::vector<fs::path>{a_ / "etc/conda/deactivate.d/x.sh"});
    EXPECT_EQ(again.activate_scripts, std::vector<fs::path>{a_ / "etc/conda/activate.d/x.sh"});
    const Variables v2 = apply_changes(v, again);
    EXPECT_EQ(get(v2, "FOO"), "changed");
    EXPECT_EQ(get(v2, "CONDA_SHLVL"), "1");
    // ... and deactivating still returns exactly to before the first activation.
    EXPECT_EQ(apply_changes(v2, deactivate(context(v2))), base_);

    // Over another environment: b is replaced by b again, a stays below.
    const Variables vb = apply_changes(v2, activate(context(v2), b_, false));
    const Variables vb2 = apply_changes(vb, activate(context(vb), b_, false));
    EXPECT_EQ(vb2, vb);
    EXPECT_EQ(apply_changes(vb2, deactivate(context(vb2))), v2);
}

TEST_F(Activation, PromptFollowsChangeps1AndAnUnsetPs1StaysUnset) {
    Variables no_ps1 = base_;
    no_ps1.erase("PS1");
    const Variables v = apply_changes(no_ps1, activate(context(no_ps1), a_, false));
    EXPECT_FALSE(get(v, "PS1"));
    EXPECT_EQ(get(v, "CONDA_PROMPT_MODIFIER"), "(a) ");

    ActivationContext off = context(base_);
    off.changeps1 = false;
    EXPECT_EQ(get(apply_changes(base_, activate(off, a_, false)), "PS1"), base_.at("PS1"));

    ActivationContext custom = context(base_);
    custom.env_prompt = "[{name}|{default_env}] ";
    EXPECT_EQ(get(apply_changes(base_, activate(custom, a_, false)), "PS1"), "[a|a] \\u@\\h$ ");

    ActivationContext fish = context(base_);
    fish.shell = Shell::fish;  // fish's prompt is wrapped by the hook, PS1 is left alone
    EXPECT_EQ(get(apply_changes(base_, activate(fish, a_, false)), "PS1"), base_.at("PS1"));
}

// Every sequence of up to five operations, each deactivation checked against the variables
// before the matching activation.
TEST_F(Activation, EveryOrderOfActivateStackAndDeactivateRestoresExactly) {
    struct Op {
        const char* name;
        const fs::path* prefix;
        bool stack;
    };
    const std::vector<Op> ops = {{"a", &a_, false}, {"b", &b_, false}, {"c", &c_, false},
                                 {"+a", &a_, true}, {"+b", &b_, true}, {"-", nullptr, false}};
    int sequences = 0;
    std::function<void(Variables, std::vector<Variables>, std::string, int)> walk =
        [&](Variables vars, std::vector<Variables> stack, std::string trail, int depth) {
            if (depth == 0) {
                // Unwind what is left: back to the start.
                while (!stack.empty()) {
                    vars = apply_changes(vars, deactivate(context(vars)));
                    ASSERT_EQ(vars, stack.back()) << trail << " then unwinding";
                    stack.pop_back();
                }
                ASSERT_EQ(vars, base_) << trail;
                EXPECT_TRUE(deactivate(context(vars)).empty()) << trail;
                ++sequences;
                return;
            }
            for (const auto& op : ops) {
                Variables next = vars;
                auto next_stack = stack;
                if (op.prefix == nullptr) {
                    next = apply_changes(vars, deactivate(context(vars)));
                    if (!next_stack.empty()) {
                        ASSERT_EQ(next, next_stack.back()) << trail << " -";
                        next_stack.pop_back();
                    } else {
                        ASSERT_EQ(next, vars) << trail << " - (nothing active)";
                    }
                } else {
                    const Script s = activate(context(vars), *op.prefix, op.stack);
                    if (!s.empty()) {
                        next_stack.push_back(vars);
                        next = apply_changes(vars, s);
                        ASSERT_EQ(get(next, "CONDA_PREFIX"), op.prefix->string());
                    }
                }
                walk(next, next_stack, trail + " " + op.name, depth - 1);
            }
        };
    walk(base_, {}, "", 5);
    EXPECT_EQ(sequences, 6 * 6 * 6 * 6 * 6);
}

TEST_F(Activation, ChangesMadeWhileActiveToPathSurviveDeactivation) {
    Variables v = apply_changes(base_, activate(context(base_), a_, false));
    v["PATH"] = "/home/u/tools:" + v["PATH"];
    v["OTHER"] = "set while active";
    const Variables back = apply_changes(v, deactivate(context(v)));
    EXPECT_EQ(get(back, "PATH"), "/home/u/tools:/usr/bin:/bin");
    EXPECT_EQ(get(back, "OTHER"), "set while active");
    EXPECT_FALSE(get(back, "CONDA_PREFIX"));
}

TEST_F(Activation, ScriptsRunInCondasOrder) {
    for (const char* f : {"20-b.sh", "10-a.sh", "30-c.fish", "notes.txt"}) {
        write_file(a_ / "etc/conda/activate.d" / f, "");
        write_file(a_ / "etc/conda/deactivate.d" / f, "");
    }
    write_file(b_ / "etc/conda/activate.d/b.sh", "");
    write_file(b_ / "etc/conda/deactivate.d/b.sh", "");
    const auto d = [](const fs::path& p, const char* folder, const char* f) {
        return p / "etc/conda" / folder / f;
    };
    const Script s = activate(context(base_), a_, false);
    EXPECT_TRUE(s.deactivate_scripts.empty());
    EXPECT_EQ(s.activate_scripts, (std::vector<fs::path>{d(a_, "activate.d", "10-a.sh"),
                                                         d(a_, "activate.d", "20-b.sh")}));
    ActivationContext fish = context(base_);
    fish.shell = Shell::fish;
    EXPECT_EQ(activate(fish, a_, false).activate_scripts,
              (std::vector<fs::path>{d(a_, "activate.d", "30-c.fish")}));

    const Variables v = apply_changes(base_, s);
    EXPECT_EQ(deactivate(context(v)).deactivate_scripts,
              (std::vector<fs::path>{d(a_, "deactivate.d", "20-b.sh"),
                                     d(a_, "deactivate.d", "10-a.sh")}));
    // Replacing a: a's deactivate.d, then b's activate.d; back: b's deactivate.d, a's activate.d.
    const Script to_b = activate(context(v), b_, false);
    EXPECT_EQ(to_b.deactivate_scripts.size(), 2U);
    EXPECT_EQ(to_b.activate_scripts, (std::vector<fs::path>{d(b_, "activate.d", "b.sh")}));
    const Variables vb = apply_changes(v, to_b);
    const Script back = deactivate(context(vb));
    EXPECT_EQ(back.deactivate_scripts, (std::vector<fs::path>{d(b_, "deactivate.d", "b.sh")}));
    EXPECT_EQ(back.activate_scripts.size(), 2U);
    // Stacked on a: nothing of a runs on the way in or out.
    const Script stacked = activate(context(v), b_, true);
    EXPECT_TRUE(stacked.deactivate_scripts.empty());
    EXPECT_TRUE(deactivate(context(apply_changes(v, stacked))).activate_scripts.empty());
}

TEST_F(Activation, ALevelActivatedByCondaIsTakenBackAsCondaWould) {
    const Variables conda_base = {
        {"PATH", "/opt/conda/bin:/usr/bin"},  {"CONDA_SHLVL", "1"},
        {"CONDA_PREFIX", "/opt/conda"},       {"CONDA_DEFAULT_ENV", "base"},
        {"CONDA_PROMPT_MODIFIER", "(base) "}, {"PS1", "(base) $ "}};
    const Variables after = apply_changes(conda_base, deactivate(context(conda_base)));
    EXPECT_EQ(after, (Variables{{"PATH", "/usr/bin"}, {"CONDA_SHLVL", "0"}, {"PS1", "$ "}}));
    // Activating over it replaces it, and deactivating comes back to it exactly.
    const Variables v = apply_changes(conda_base, activate(context(conda_base), a_, false));
    EXPECT_EQ(get(v, "PATH"), (a_ / "bin").string() + ":/usr/bin");
    EXPECT_EQ(get(v, "CONDA_PREFIX_1"), "/opt/conda");
    EXPECT_EQ(get(v, "PS1"), "(a) $ ");
    EXPECT_EQ(apply_changes(v, deactivate(context(v))), conda_base);
}

TEST_F(Activation, ADamagedRecordFallsBackToCondasWay) {
    Variables v = apply_changes(base_, activate(context(base_), a_, false));
    v[saved_variable_name(1)] = "=damaged";
    const Variables back = apply_changes(v, deactivate(context(v)));
    EXPECT_EQ(get(back, "PATH"), "/usr/bin:/bin");
    EXPECT_FALSE(get(back, "CONDA_PREFIX"));
    EXPECT_FALSE(get(back, "FOO"));
}

}  // namespace
}  // namespace cenv::shell

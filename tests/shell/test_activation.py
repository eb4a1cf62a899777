"""Activation through the hook in real bash, zsh, fish and dash: activate, stack and
deactivate in many orders, comparing the full environment (env -0) and PS1 before and after;
activate.d / deactivate.d order; environment variables from `env config vars`; spaces and
non-ASCII in names and paths; `set -u` in bash; failures leave the shell as it was."""

import itertools
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from shell_testing import CENV, SHELLS, Workspace, make_env, q  # noqa: E402


# A value every shell must keep byte for byte: quotes, backslashes, $, backticks, blank lines.
ODD = "it's \"q\" $HOME `x` \\ %s\n second\n\n\tthird 张三\n" % "%"


def log_script(env, kind, name, ext):
    # Valid in sh and fish alike; the extension it logs proves which files were sourced.
    return 'echo "%s:%s:%s:%s" >> "$CENV_TEST_LOG"\n' % (env, kind, name, ext)


def scripts_for(env):
    out = {}
    for kind in ("activate", "deactivate"):
        for name in ("10-first", "20-second"):
            for ext in ("sh", "fish"):
                out["%s.d/%s.%s" % (kind, name, ext)] = log_script(env, kind, name, ext)
    return out


class Activation(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ws = Workspace()
        ws = cls.ws
        cls.a = make_env(os.path.join(ws.envs, "a"), ["python-3.10.13-h0_0"],
                         state={"FOO": "from a", "EMPTY": "set by a", "SPACED": "x  y",
                                "ODD": ODD},
                         scripts=scripts_for("a"))
        cls.b = make_env(os.path.join(ws.envs, "b b"), ["zlib-1.3-h0_0"],
                         state={"FOO": "from b b"}, scripts=scripts_for("b"))
        cls.c = make_env(os.path.join(ws.dir, "张三 的", "c"))
        cls.targets = {"a": "a", "b": "b b", "c": cls.c}
        cls.prefixes = {"a": cls.a, "b": cls.b, "c": cls.c}
        cls.names = {"a": "a", "b": "b b", "c": cls.c}

    @classmethod
    def tearDownClass(cls):
        cls.ws.cleanup()

    # -- the order tests -------------------------------------------------------------------

    def sequences(self):
        seqs = []
        for order in itertools.permutations("abc"):
            for stack2, stack3 in itertools.product([False, True], repeat=2):
                seqs.append([("act", order[0], False), ("act", order[1], stack2),
                             ("act", order[2], stack3), ("deact",), ("deact",), ("deact",)])
        seqs += [
            [("deact",)],
            [("act", "a", False), ("act", "a", False), ("deact",), ("deact",)],
            [("act", "a", True), ("act", "a", True), ("deact",), ("deact",)],
            [("act", "a", False), ("deact",), ("act", "b", False), ("act", "c", True),
             ("deact",), ("act", "a", False), ("deact",), ("deact",)],
            [("act", "a", False), ("act", "b", False), ("act", "a", False), ("deact",),
             ("deact",), ("deact",)],
        ]
        return seqs

    def check_orders(self, shell, strict=False):
        ws = self.ws
        ps1 = "" if shell == "fish" else "PS1='$ '\n"
        body = ps1 + "snap 0\n"
        steps = []
        n = 1
        for seq in self.sequences():
            for op in seq:
                if op[0] == "act":
                    body += "cenv activate %s%s\n" % ("--stack " if op[2] else "",
                                                      q(self.targets[op[1]]))
                else:
                    body += "cenv deactivate\n"
                body += "snap %d\n" % n
                steps.append((op, n))
                n += 1
        log = os.path.join(ws.dir, "log-%s" % shell)
        result = ws.run(shell, body, env=ws.base_env(CENV_TEST_LOG=log), strict=strict)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        start = ws.snapshot(0)
        previous = start
        stack = []
        for op, k in steps:
            snap = ws.snapshot(k)
            where = "%s: step %d %s" % (shell, k, op)
            if op[0] == "deact":
                expected = stack.pop() if stack else previous
                self.assertEqual(snap, expected, where)
            else:
                env, snap_ps1 = snap
                key = op[1]
                same = previous[0].get("CONDA_PREFIX") == self.prefixes[key] and not op[2]
                if same:
                    self.assertEqual(snap, previous, where)
                else:
                    stack.append(previous)
                    self.assertEqual(env["CONDA_PREFIX"], self.prefixes[key], where)
                    self.assertEqual(env["CONDA_DEFAULT_ENV"], self.names[key], where)
                    self.assertEqual(env["CONDA_SHLVL"], str(len(stack)), where)
                    self.assertTrue(env["PATH"].startswith(self.prefixes[key] + "/bin:"), where)
                    modifier = "(%s) " % self.names[key]
                    self.assertEqual(env["CONDA_PROMPT_MODIFIER"], modifier, where)
                    if shell != "fish":
                        self.assertEqual(snap_ps1, modifier + "$ ", where)
                    if key == "a":
                        self.assertEqual(env["FOO"], "from a", where)
                        self.assertEqual(env["EMPTY"], "set by a", where)
                        self.assertEqual(env["SPACED"], "x  y", where)
                        self.assertEqual(env["ODD"], ODD, where)
                    elif key == "b":
                        self.assertEqual(env["FOO"], "from b b", where)
            previous = snap
        self.assertEqual(stack, [])
        self.assertEqual(previous, start, shell)
        self.assertEqual(start[0]["EMPTY"], "")
        self.assertNotIn("FOO", start[0])

    def test_bash(self):
        self.check_orders("bash", strict=True)  # set -u

    def test_zsh(self):
        self.check_orders("zsh")

    def test_fish(self):
        self.check_orders("fish")

    def test_dash(self):
        self.check_orders("dash")

    # -- scripts, failures ----------------------------------------------------------------

    def test_scripts_run_in_condas_order(self):
        for shell in SHELLS:
            ws = self.ws
            log = os.path.join(ws.dir, "order-%s" % shell)
            if os.path.exists(log):
                os.remove(log)
            body = ("cenv activate a\ncenv activate 'b b'\ncenv deactivate\ncenv deactivate\n"
                    "cenv activate a\ncenv activate --stack 'b b'\ncenv deactivate\n"
                    "cenv deactivate\n")
            result = ws.run(shell, body, env=ws.base_env(CENV_TEST_LOG=log))
            self.assertEqual(result.returncode, 0, result.stderr)
            ext = "fish" if shell == "fish" else "sh"
            with open(log) as f:
                lines = f.read().split()

            def act(env):
                return ["%s:activate:10-first:%s" % (env, ext),
                        "%s:activate:20-second:%s" % (env, ext)]

            def deact(env):
                return ["%s:deactivate:20-second:%s" % (env, ext),
                        "%s:deactivate:10-first:%s" % (env, ext)]
            expected = (act("a") + deact("a") + act("b") + deact("b") + act("a") + deact("a")
                        + act("a") + act("b") + deact("b") + deact("a"))
            self.assertEqual(lines, expected, shell)

    def test_a_failure_changes_nothing(self):
        for shell in SHELLS:
            ws = self.ws
            status = "echo $status" if shell == "fish" else "echo $?"
            body = ("snap 0\ncenv activate no-such-env\n%s\nsnap 1\n"
                    "cenv activate a\ncenv activate %s\n%s\nsnap 2\n" %
                    (status, q(os.path.join(ws.dir, "not-there")), status))
            result = ws.run(shell, body, env=ws.base_env(CENV_TEST_LOG=os.devnull))
            self.assertEqual(result.stdout.split(), ["1", "1"], shell + result.stderr)
            self.assertIn("error: no environment named 'no-such-env'", result.stderr)
            self.assertEqual(ws.snapshot(0), ws.snapshot(1), shell)
            self.assertEqual(ws.snapshot(2)[0]["CONDA_PREFIX"], self.a, shell)

    def test_without_the_hook(self):
        ws = self.ws
        import subprocess
        result = subprocess.run([CENV, "activate", "a"], capture_output=True, text=True,
                                env=ws.base_env(SHELL="/usr/bin/zsh"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("error: 'cenv activate' needs cenv's shell hook", result.stderr)
        self.assertIn("cenv shell init -s zsh", result.stderr)
        self.assertEqual(result.stdout, "")


if __name__ == "__main__":
    unittest.main()

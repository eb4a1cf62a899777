"""Tab completion in real bash, zsh and fish: commands, flags, environment names (spaces and
non-ASCII included), package names from the solver's caches, installed packages."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from shell_testing import CENV, Workspace, make_env, q  # noqa: E402

FIXTURES = os.environ.get("CENV_FIXTURES_DIR",
                          os.path.join(os.path.dirname(__file__), "../../../shared/fixtures"))
CHANNEL_1 = os.path.join(FIXTURES, "conda-cases", "channels", "channel-1")


class Completion(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ws = Workspace()
        make_env(os.path.join(cls.ws.envs, "torch"), ["python-3.10.13-h0_0", "pytorch-2.1.0-py0"])
        make_env(os.path.join(cls.ws.envs, "名字 y"))
        # A solve leaves the solver's cache of channel-1 in the root: package names come
        # from there.
        solve = subprocess.run([CENV, "create", "-n", "t", "--dry-run", "-c", CHANNEL_1,
                                "--platform", "linux-64", "python=2.7"], capture_output=True,
                               text=True, env=cls.ws.base_env(), timeout=120)
        assert solve.returncode == 0, solve.stderr

    @classmethod
    def tearDownClass(cls):
        cls.ws.cleanup()

    def bash(self, *words):
        """COMPREPLY of the hook's completion function for the command line `words`."""
        script = ('eval "$(%s shell hook -s bash)"\nCOMP_WORDS=(%s)\nCOMP_CWORD=%d\n'
                  '_cenv_complete\nprintf "%%s\\n" "${COMPREPLY[@]}"\n'
                  % (q(CENV), " ".join(q(w) for w in words), len(words) - 1))
        result = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                                env=self.ws.base_env(), timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        return [l for l in result.stdout.split("\n") if l]

    def fish(self, line):
        result = subprocess.run(["fish", "--no-config", "-c",
                                 "%s shell hook -s fish | source; complete -C %s"
                                 % (q(CENV), q(line))], capture_output=True, text=True,
                                env=self.ws.base_env(), timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        return [l.split("\t")[0] for l in result.stdout.split("\n") if l]

    def test_bash(self):
        self.assertEqual(self.bash("cenv", "inst"), ["install"])
        self.assertEqual(self.bash("cenv", "activate", ""), ["torch", "名字\\ y"])
        self.assertEqual(self.bash("cenv", "install", "-n", "torch", "numb"),
                         ["numba", "numbapro"])
        self.assertEqual(self.bash("cenv", "remove", "-n", "torch", ""), ["python", "pytorch"])
        self.assertIn("--stack", self.bash("cenv", "activate", "--st"))
        self.assertEqual(self.bash("cenv", "shell", "hook", "-s", "f"), ["fish"])

    def test_fish(self):
        self.assertEqual(self.fish("cenv acti"), ["activate"])
        self.assertEqual(self.fish("cenv activate "), ["torch", "名字 y"])
        self.assertEqual(self.fish("cenv install -n torch numb"), ["numba", "numbapro"])
        self.assertEqual(self.fish("cenv remove -n torch py"), ["python", "pytorch"])

    def test_zsh_registers_its_function(self):
        # zsh's completion system needs a terminal to drive; what can be checked without one:
        # with compinit loaded, the hook defines _cenv and binds it to cenv.
        script = ("autoload -Uz compinit && compinit -u -D\n"
                  "eval \"$(%s shell hook -s zsh)\"\n"
                  "print -r -- ${_comps[cenv]}\n" % q(CENV))
        result = subprocess.run(["zsh", "-f", "-c", script], capture_output=True, text=True,
                                env=self.ws.base_env(), timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "_cenv")
        # Without compinit the hook still loads quietly.
        plain = subprocess.run(["zsh", "-f", "-c", "eval \"$(%s shell hook -s zsh)\"" % q(CENV)],
                               capture_output=True, text=True, env=self.ws.base_env(), timeout=60)
        self.assertEqual((plain.returncode, plain.stderr), (0, ""))

    def test_the_candidates_cenv_prints(self):
        def complete(*words):
            r = subprocess.run([CENV, "shell", "complete", "--", *words], capture_output=True,
                               text=True, env=self.ws.base_env(), timeout=60)
            self.assertEqual(r.returncode, 0, r.stderr)
            return r.stdout.split("\n")[:-1]
        self.assertIn("run", complete("cenv", ""))
        self.assertNotIn("complete", complete("cenv", "shell", ""))  # hidden
        self.assertEqual(complete("cenv", "create", "-c", ""), [])  # a path: the shell's files
        self.assertEqual(complete("cenv", "run", "-n", "torch", "py"), [])
        self.assertTrue(os.path.exists(os.path.join(self.ws.root, "pkgs", "cache",
                                                    "cenv-names.txt")))


if __name__ == "__main__":
    unittest.main()

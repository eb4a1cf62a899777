"""Per-project environments: `cenv activate` without a name in a project folder (or below),
auto-activation on `cd` (bash PROMPT_COMMAND, zsh chpwd, fish PWD event) that never fires
outside a project, `cenv run` and `cenv create` without -n in a project."""

import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from shell_testing import CENV, SHELLS, Workspace, make_env, q  # noqa: E402

FIXTURES = os.environ.get("CENV_FIXTURES_DIR",
                          os.path.join(os.path.dirname(__file__), "../../../shared/fixtures"))
CHANNEL_1 = os.path.join(FIXTURES, "conda-cases", "channels", "channel-1")


class Project(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ws = Workspace()
        ws = cls.ws
        cls.a = make_env(os.path.join(ws.envs, "a"), state={"FROM": "a"})
        cls.b = make_env(os.path.join(ws.envs, "b b"), state={"FROM": "b b"})
        cls.local = make_env(os.path.join(ws.home, "tool", ".venv-like"))
        cls.proj = os.path.join(ws.home, "proj")
        os.makedirs(os.path.join(cls.proj, "src", "deep"))
        with open(os.path.join(cls.proj, ".cenv"), "w") as f:
            f.write("a\n")
        cls.proj2 = os.path.join(ws.home, "项目 2")
        os.makedirs(cls.proj2)
        with open(os.path.join(cls.proj2, "environment.yml"), "w") as f:
            f.write("name: b b\nchannels:\n  - conda-forge\ndependencies:\n  - python\n")
        with open(os.path.join(ws.home, "tool", "environment.yml"), "w") as f:
            f.write("prefix: ./.venv-like\n")
        os.makedirs(os.path.join(ws.home, "plain"))
        cls.broken = os.path.join(ws.home, "broken")
        os.makedirs(cls.broken)
        with open(os.path.join(cls.broken, "environment.yml"), "w") as f:
            f.write("name: not-created-yet\n")

    @classmethod
    def tearDownClass(cls):
        cls.ws.cleanup()

    def test_activate_without_a_name_uses_the_project(self):
        for shell in SHELLS:
            body = ("cd %s\ncenv activate\nsnap 1\ncenv deactivate\ncd %s\ncenv activate\nsnap 2\n"
                    "cenv deactivate\ncd %s\ncenv activate\nsnap 3\n" %
                    (q(os.path.join(self.proj, "src", "deep")), q(self.proj2),
                     q(os.path.join(self.ws.home, "tool"))))
            result = self.ws.run(shell, body)
            self.assertEqual(result.returncode, 0, shell + result.stderr)
            self.assertEqual(self.ws.snapshot(1)[0]["CONDA_PREFIX"], self.a, shell)
            self.assertEqual(self.ws.snapshot(2)[0]["CONDA_PREFIX"], self.b, shell)
            self.assertEqual(self.ws.snapshot(3)[0]["CONDA_PREFIX"], self.local, shell)

    def test_activate_without_a_name_outside_a_project_says_how(self):
        result = self.ws.run("bash", "cd plain\ncenv activate\n")
        self.assertEqual(result.returncode, 1)
        self.assertIn("error: no environment given, and no project here names one", result.stderr)
        self.assertIn(".cenv", result.stderr)

    def auto_session(self, shell):
        """cd through folders with the auto-activating hook; snapshots after each cd."""
        ws = self.ws
        stops = [("plain", None), ("proj", self.a), ("proj/src/deep", self.a), ("plain", None),
                 ("项目 2", self.b), ("proj", self.a), ("broken", None), ("proj", self.a),
                 (".", None)]
        body = "snap 0\n"
        for i, (folder, _) in enumerate(stops, start=1):
            body += "cd %s\n" % q(os.path.join(ws.home, folder))
            if shell == "bash":
                body += ":\n"  # a prompt goes by (PROMPT_COMMAND)
            body += "snap %d\n" % i
        hook_args = "--auto-activate"
        if shell == "bash":
            # PROMPT_COMMAND runs in interactive bash only: feed it the script on stdin.
            script = os.path.join(ws.dir, "auto.bash")
            with open(script, "w") as f:
                f.write('eval "$(%s shell hook -s bash %s)"\n' % (q(CENV), hook_args))
                f.write(ws.snap_prelude("bash") + body)
            os.makedirs(ws.out, exist_ok=True)
            for name in os.listdir(ws.out):
                os.remove(os.path.join(ws.out, name))
            with open(script) as stdin:
                result = subprocess.run(["bash", "--norc", "--noprofile", "-i"], stdin=stdin,
                                        capture_output=True, text=True, env=ws.base_env(),
                                        cwd=ws.home, timeout=300)
        else:
            result = ws.run(shell, body, hook_args=hook_args)
        return result, stops

    def check_auto(self, shell):
        result, stops = self.auto_session(shell)
        self.assertEqual(result.returncode, 0, result.stderr)
        start = self.ws.snapshot(0)[0]
        ignore = {"PWD", "OLDPWD"}

        def trimmed(env):
            return {k: v for k, v in env.items() if k not in ignore}
        for i, (folder, prefix) in enumerate(stops, start=1):
            env = self.ws.snapshot(i)[0]
            where = "%s: after cd %s" % (shell, folder)
            if prefix is None:
                self.assertEqual(trimmed(env), trimmed(start), where)
            else:
                self.assertEqual(env.get("CONDA_PREFIX"), prefix, where)
                self.assertEqual(env.get("CONDA_SHLVL"), "1", where)  # switched, not stacked
                self.assertEqual(env.get("FROM"), os.path.basename(prefix), where)
        # The project whose environment does not exist: one line, and the shell goes on.
        lines = [l for l in result.stderr.splitlines() if "not-created-yet" in l]
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn("no environment named 'not-created-yet'", lines[0])
        self.assertIn("create it from the file: cenv env create -f %s"
                      % os.path.join(self.broken, "environment.yml"), lines[0])

    def test_auto_activation_bash(self):
        self.check_auto("bash")

    def test_auto_activation_zsh(self):
        self.check_auto("zsh")

    def test_auto_activation_fish(self):
        self.check_auto("fish")

    def test_auto_activation_leaves_a_manual_activation_alone(self):
        # The user activated b by hand inside the project: leaving does not deactivate it.
        body = ("cd proj\ncenv activate 'b b'\ncd %s\nsnap 1\n" % q(os.path.join(self.ws.home,
                                                                               "plain")))
        result = self.ws.run("zsh", body, hook_args="--auto-activate")
        self.assertEqual(result.returncode, 0, result.stderr)
        env = self.ws.snapshot(1)[0]
        self.assertEqual(env["CONDA_PREFIX"], self.b)
        self.assertEqual(env["CONDA_SHLVL"], "2")

    def test_run_and_create_use_the_project(self):
        env = self.ws.base_env()
        result = subprocess.run([CENV, "run", "sh", "-c", 'echo "$CONDA_PREFIX $FROM"'],
                                capture_output=True, text=True, env=env,
                                cwd=os.path.join(self.proj, "src"), timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "%s a\n" % self.a)
        for command, folder, prefix in (("create", self.broken,
                                         os.path.join(self.ws.envs, "not-created-yet")),
                                        ("install", self.proj2, self.b)):
            result = subprocess.run([CENV, command, "--dry-run", "--json", "-c", CHANNEL_1,
                                     "--platform", "linux-64", "python=2.7"],
                                    capture_output=True, text=True, env=env, cwd=folder,
                                    timeout=120)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(json.loads(result.stdout)["prefix"], prefix, command)


if __name__ == "__main__":
    unittest.main()

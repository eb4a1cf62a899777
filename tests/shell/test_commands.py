"""The commands around activation: `shell init` / `deinit` on real startup files read by
real shells, `cenv run` (exit status, signals, the command's own options), and
`env config vars` as activation then sees them."""

import os
import shutil
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from shell_testing import CENV, Workspace, make_env  # noqa: E402


def cenv(ws, *args, **kw):
    return subprocess.run([CENV, *args], capture_output=True, text=True,
                          env=kw.pop("env", ws.base_env()), timeout=120, **kw)


class Init(unittest.TestCase):
    def setUp(self):
        self.ws = Workspace()
        make_env(os.path.join(self.ws.envs, "a"))

    def tearDown(self):
        self.ws.cleanup()

    def test_init_is_read_by_each_shell_and_deinit_restores_the_file(self):
        ws = self.ws
        cases = [("bash", ".bashrc", ["bash", "-i", "-c"]),
                 ("zsh", ".zshrc", ["zsh", "-i", "-c"]),
                 ("fish", ".config/fish/config.fish", ["fish", "-c"])]
        for shell, rc, argv in cases:
            path = os.path.join(ws.home, rc)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            original = "# my settings\nexport KEEP=1"  # no final line break
            with open(path, "w") as f:
                f.write(original)
            first = cenv(ws, "shell", "init", "-s", shell)
            self.assertEqual(first.returncode, 0, first.stderr)
            self.assertIn("Added cenv's %s hook to %s" % (shell, path), first.stdout)
            with open(path) as f:
                once = f.read()
            again = cenv(ws, "shell", "init", "-s", shell)
            self.assertIn("nothing to change", again.stdout)
            with open(path) as f:
                self.assertEqual(f.read(), once, shell)
            # A new interactive shell has the function and activates through it.
            check = subprocess.run(argv + ["cenv activate a; echo \"$CONDA_DEFAULT_ENV\""],
                                   capture_output=True, text=True, env=ws.base_env(),
                                   cwd=ws.home, timeout=120, stdin=subprocess.DEVNULL)
            self.assertEqual(check.stdout.strip().splitlines()[-1:], ["a"], shell + check.stderr)
            gone = cenv(ws, "shell", "deinit", "-s", shell)
            self.assertEqual(gone.returncode, 0, gone.stderr)
            with open(path) as f:
                self.assertEqual(f.read(), original, shell)
            self.assertIn("no cenv block", cenv(ws, "shell", "deinit", "-s", shell).stdout)

    def test_rc_file_option_dry_run_and_auto_activate(self):
        ws = self.ws
        rc = os.path.join(ws.dir, "custom rc")
        dry = cenv(ws, "shell", "init", "-s", "zsh", "--rc-file", rc, "--dry-run",
                   "--auto-activate")
        self.assertEqual(dry.returncode, 0, dry.stderr)
        self.assertIn("shell hook -s zsh --auto-activate", dry.stdout)
        self.assertFalse(os.path.exists(rc))
        self.assertEqual(cenv(ws, "shell", "init", "-s", "zsh", "--rc-file", rc,
                              "--auto-activate").returncode, 0)
        with open(rc) as f:
            self.assertIn("--auto-activate", f.read())
        self.assertEqual(cenv(ws, "shell", "deinit", "-s", "zsh", "--rc-file", rc).returncode, 0)
        with open(rc) as f:
            self.assertEqual(f.read(), "")

    def test_the_hook_uses_cenv_shell_when_it_is_installed_and_cenv_otherwise(self):
        ws = self.ws
        alone = os.path.join(ws.dir, "bin")
        os.makedirs(alone)
        shutil.copy(CENV, os.path.join(alone, "cenv"))
        for exe, activator in ((CENV, os.path.join(os.path.dirname(CENV), "cenv-shell")),
                               (os.path.join(alone, "cenv"), None)):
            hook = subprocess.run([exe, "shell", "hook", "-s", "bash"], capture_output=True,
                                  text=True, env=ws.base_env(), timeout=60).stdout
            if activator:
                self.assertIn("'%s' \"$1\"" % activator, hook)
            else:
                self.assertIn("'%s' shell \"$1\"" % exe, hook)
            check = subprocess.run(["bash", "-c", hook + "\ncenv activate a && echo $CONDA_SHLVL"],
                                   capture_output=True, text=True, env=ws.base_env(), timeout=60)
            self.assertEqual(check.stdout, "1\n", check.stderr)

    def test_cenv_shell_says_what_it_takes(self):
        activator = os.path.join(os.path.dirname(CENV), "cenv-shell")
        result = subprocess.run([activator, "install"], capture_output=True, text=True)
        self.assertEqual(result.returncode, 2)
        self.assertIn("error: unknown command 'install'", result.stderr)
        result = subprocess.run([activator, "activate", "-s", "bash", "nope"],
                                capture_output=True, text=True, env=self.ws.base_env())
        self.assertEqual(result.returncode, 1)
        self.assertIn("error: no environment named 'nope'", result.stderr)

    def test_unknown_shell(self):
        result = cenv(self.ws, "shell", "hook", "-s", "tcsh")
        self.assertEqual(result.returncode, 1)
        self.assertIn("error: unknown shell 'tcsh'", result.stderr)
        self.assertIn("hint: cenv supports bash, zsh, fish and posix", result.stderr)


class Run(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ws = Workspace()
        make_env(os.path.join(cls.ws.envs, "b"))  # no activate.d: cenv execs directly
        cls.a = make_env(os.path.join(cls.ws.envs, "a"),
                         scripts={"activate.d/x.sh": "export FROM_SCRIPT=\"$CONDA_PREFIX\"\n"})
        with open(os.path.join(cls.a, "bin", "hello"), "w") as f:
            f.write("#!/bin/sh\necho \"hello $*\"\nexit 3\n")
        os.chmod(os.path.join(cls.a, "bin", "hello"), 0o755)

    @classmethod
    def tearDownClass(cls):
        cls.ws.cleanup()

    def test_status_path_scripts_and_the_commands_own_options(self):
        result = cenv(self.ws, "run", "-n", "a", "hello", "-n", "info", "--help")
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertEqual(result.stdout, "hello -n info --help\n")
        result = cenv(self.ws, "run", "-n", "a", "--", "sh", "-c", 'echo "$FROM_SCRIPT"')
        self.assertEqual(result.stdout, self.a + "\n")
        missing = cenv(self.ws, "run", "-n", "a", "no-such-program")
        self.assertEqual(missing.returncode, 127)
        self.assertIn("no-such-program", missing.stderr)  # said by the shell running activate.d
        missing = cenv(self.ws, "run", "-p", self.ws.dir + "/../" + os.path.basename(self.ws.dir)
                       + "/home/.cenv/envs/b", "no-such-program")
        self.assertEqual(missing.returncode, 127)
        self.assertIn("error: cannot run 'no-such-program': No such file", missing.stderr)
        self.assertEqual(cenv(self.ws, "run", "-n", "nope", "true").returncode, 1)

    def test_signals_reach_the_command(self):
        proc = subprocess.Popen([CENV, "run", "-n", "a", "sh", "-c",
                                 "trap 'echo got TERM; exit 42' TERM; echo ready; "
                                 "while :; do sleep 0.05; done"],
                                stdout=subprocess.PIPE, text=True, env=self.ws.base_env())
        self.assertEqual(proc.stdout.readline(), "ready\n")
        proc.send_signal(signal.SIGTERM)  # to cenv's pid: the command is that process
        out, _ = proc.communicate(timeout=60)
        self.assertEqual(out, "got TERM\n")
        self.assertEqual(proc.returncode, 42)
        proc = subprocess.Popen([CENV, "run", "-n", "a", "sleep", "30"], env=self.ws.base_env())
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        self.assertEqual(proc.wait(timeout=60), -signal.SIGINT)


class EnvConfigVars(unittest.TestCase):
    def test_set_list_unset_and_activation_sees_them(self):
        ws = Workspace()
        try:
            make_env(os.path.join(ws.envs, "a"))
            self.assertEqual(cenv(ws, "env", "config", "vars", "set", "-n", "a",
                                  "HF_HOME=/data/hf 缓存", "EMPTY=").returncode, 0)
            listed = cenv(ws, "env", "config", "vars", "list", "-n", "a")
            self.assertEqual(listed.stdout, "HF_HOME = /data/hf 缓存\nEMPTY = \n")
            run = cenv(ws, "run", "-n", "a", "sh", "-c", 'echo "$HF_HOME|${EMPTY-unset}"')
            self.assertEqual(run.stdout, "/data/hf 缓存|\n")
            self.assertEqual(cenv(ws, "env", "config", "vars", "unset", "-n", "a",
                                  "HF_HOME").returncode, 0)
            self.assertEqual(cenv(ws, "env", "config", "vars", "list", "-n", "a",
                                  "--json").stdout, '{\n  "EMPTY": ""\n}\n')
            bad = cenv(ws, "env", "config", "vars", "set", "-n", "a", "NOVALUE")
            self.assertEqual(bad.returncode, 1)
            self.assertIn("error: 'NOVALUE' is not NAME=VALUE", bad.stderr)
            # Without -n: the active environment.
            active = cenv(ws, "env", "config", "vars", "list",
                          env=ws.base_env(CONDA_PREFIX=os.path.join(ws.envs, "a")))
            self.assertEqual(active.stdout, "EMPTY = \n")
            # In a shell where it is active: set, activate again, and it applies.
            for shell in ("bash", "fish"):
                body = ("cenv activate a\ncenv env config vars set NEW=1\ncenv activate a\n"
                        "snap 1\ncenv deactivate\nsnap 2\n")
                result = ws.run(shell, body)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(ws.snapshot(1)[0]["NEW"], "1", shell)
                self.assertEqual(ws.snapshot(1)[0]["CONDA_SHLVL"], "1", shell)
                self.assertNotIn("NEW", ws.snapshot(2)[0], shell)
                cenv(ws, "env", "config", "vars", "unset", "-n", "a", "NEW")
        finally:
            ws.cleanup()


if __name__ == "__main__":
    unittest.main()

"""Helpers for the real-shell tests: environments made of conda-meta records (no package is
installed), scripts run by bash, zsh, fish and dash through cenv's hook, and the snapshots
(env -0, plus PS1) they write."""

import os
import shutil
import subprocess
import tempfile

CENV = os.path.abspath(os.environ.get("CENV_BIN", "build/cenv"))
SHELLS = ["bash", "zsh", "fish", "dash"]


def hook_name(shell):
    return "posix" if shell == "dash" else shell


def make_env(prefix, dists=(), state=None, scripts=None):
    """An environment at `prefix`: records `dists` ("name-version-build"), conda-meta/state
    variables `state`, and `scripts` {"activate.d/10-a.sh": text, ...}."""
    os.makedirs(os.path.join(prefix, "conda-meta"), exist_ok=True)
    os.makedirs(os.path.join(prefix, "bin"), exist_ok=True)
    for dist in dists:
        with open(os.path.join(prefix, "conda-meta", dist + ".json"), "w") as f:
            f.write("{}")
    if state is not None:
        import json
        with open(os.path.join(prefix, "conda-meta", "state"), "w") as f:
            json.dump({"env_vars": state}, f)
    for rel, text in (scripts or {}).items():
        path = os.path.join(prefix, "etc", "conda", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    return prefix


def q(text):
    """`text` single-quoted for bash, zsh, dash and fish alike (no quotes or backslashes)."""
    assert "'" not in text and "\\" not in text, text
    return "'" + text + "'"


class Workspace:
    """A temporary HOME and root prefix, and a folder for snapshots."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="cenv-shell-")
        self.home = os.path.join(self.dir, "home")
        self.root = os.path.join(self.home, ".cenv")
        self.envs = os.path.join(self.root, "envs")
        os.makedirs(self.envs)
        self.out = os.path.join(self.dir, "out")

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def base_env(self, **extra):
        env = {
            "HOME": self.home,
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "CENV_ROOT_PREFIX": self.root,
            "EMPTY": "",
            "TERM": "dumb",
        }
        env.update(extra)
        return env

    def snap_prelude(self, shell):
        """Defines `snap N`: the exported variables (env -0) and PS1 into out/N.*."""
        if shell == "fish":
            return ("function snap\n"
                    "    env -0 > %s/$argv[1].env\n"
                    "end\n" % q(self.out))
        return ("snap() {\n"
                "    env -0 > %s/\"$1\".env\n"
                "    if [ -n \"${PS1+x}\" ]; then printf '%%s' \"$PS1\" > %s/\"$1\".ps1; fi\n"
                "}\n" % (q(self.out), q(self.out)))

    def run(self, shell, body, env=None, hook_args="", strict=False, timeout=600, argv=None):
        """Runs `body` in `shell` after the hook; returns the CompletedProcess."""
        if os.path.isdir(self.out):
            shutil.rmtree(self.out)
        os.makedirs(self.out)
        name = hook_name(shell)
        if shell == "fish":
            hook = "%s shell hook -s fish %s | source\n" % (q(CENV), hook_args)
        else:
            hook = 'eval "$(%s shell hook -s %s %s)"\n' % (q(CENV), name, hook_args)
        prelude = ""
        if strict and shell == "bash":
            prelude = "set -u\n"
        script = prelude + hook + self.snap_prelude(shell) + body
        path = os.path.join(self.dir, "script." + name)
        with open(path, "w") as f:
            f.write(script)
        args = argv or [shell, path]
        if shell == "fish":
            args = ["fish", "--no-config", path] if argv is None else argv
        return subprocess.run(args, capture_output=True, text=True, env=env or self.base_env(),
                              timeout=timeout, cwd=self.home)

    def snapshot(self, n):
        """({name: value} of env -0, PS1 or None) of snapshot `n`."""
        with open(os.path.join(self.out, "%s.env" % n), "rb") as f:
            raw = f.read()
        env = {}
        for entry in raw.split(b"\0"):
            if entry:
                name, _, value = entry.partition(b"=")
                env[name.decode()] = value.decode("utf-8", "surrogateescape")
        env.pop("_", None)  # bash exports the last command's path
        ps1_path = os.path.join(self.out, "%s.ps1" % n)
        ps1 = None
        if os.path.exists(ps1_path):
            with open(ps1_path, encoding="utf-8") as f:
                ps1 = f.read()
        return env, ps1

"""SIGKILL at random points of install/remove transactions, then the next cenv run on the
prefix: afterwards the prefix must be exactly its state before the transaction or after
it (every file, link and mode, and every conda-meta record), never in between.

Used by test_crash_safety.py (which asserts) and tests/bench/crash_safety.py (which counts
for docs/benchmarks.md). The packages come from ../shared/bench/make_packages.py: real
`.conda` archives with text and binary prefix placeholders and symlinks.

Each trial: the prefix is in state OLD. The transaction is run once to completion on it to
learn NEW, the prefix is put back to OLD, and the same transaction is run again and killed
after a random delay between 0 and 1.2 times the complete run's duration. Then
`cenv install --dry-run` on the prefix (any command that locks it recovers it first) must
succeed, and the prefix must equal OLD or NEW.
"""

import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import time

HISTORY_DATE = re.compile(rb"^==> .* <==$", re.M)


def snapshot(prefix):
    """Everything under `prefix`: kind, mode, content hash or link target. None when the
    prefix does not exist. History dates are blanked (the two runs differ in time)."""
    if not os.path.isdir(prefix):
        return None
    out = {}
    for base, dirs, files in os.walk(prefix):
        for name in dirs + files:
            path = os.path.join(base, name)
            rel = os.path.relpath(path, prefix)
            st = os.lstat(path)
            if os.path.islink(path):
                out[rel] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                out[rel] = ("dir", st.st_mode & 0o7777)
            else:
                with open(path, "rb") as f:
                    data = f.read()
                if rel == os.path.join("conda-meta", "history"):
                    data = HISTORY_DATE.sub(b"==> <date> <==", data)
                out[rel] = ("file", st.st_mode & 0o7777, hashlib.sha256(data).hexdigest())
    return out


def copy_prefix(src, dst):
    if os.path.exists(dst):
        shutil.rmtree(dst)
    if src is not None and os.path.exists(src):
        # cp keeps modes, links and times and is much faster than copytree
        subprocess.run(["cp", "-a", src, dst], check=True)


def installed_names(prefix):
    meta = os.path.join(prefix, "conda-meta")
    names = []
    if os.path.isdir(meta):
        for fn in os.listdir(meta):
            if fn.endswith(".json"):
                with open(os.path.join(meta, fn)) as f:
                    names.append(json.load(f)["name"])
    return sorted(names)


class Trials:
    def __init__(self, cenv, workdir, channel, names, env, seed=5):
        self.cenv = cenv
        self.work = workdir
        self.channel = channel
        self.names = names
        self.env = env
        self.random = random.Random(seed)
        self.root = os.path.join(workdir, "root")
        self.prefix = os.path.join(workdir, "root", "envs", "c")
        self.saved = os.path.join(workdir, "saved")
        self.warm_cache()

    def warm_cache(self):
        """Extracts every package once, so that the complete and the killed run of a trial
        take about the same time (the kills then spread over the whole transaction)."""
        warm = os.path.join(self.work, "warm")
        code, err, _ = self.run(["create", "-p", warm, "-y", "-c", self.channel,
                                 "--override-channels", "--platform", "linux-64", *self.names])
        if code != 0:
            raise RuntimeError("warming the package cache failed: " + err)
        shutil.rmtree(warm)

    def command(self):
        installed = installed_names(self.prefix) if os.path.isdir(self.prefix) else None
        common = ["-y", "-c", self.channel, "--override-channels", "--platform", "linux-64"]
        if installed is None:
            picks = self.random.sample(self.names, 3)
            return ["create", "-p", self.prefix, *common, *picks]
        missing = [n for n in self.names if n not in installed]
        if installed and (not missing or self.random.random() < 0.45):
            return ["remove", "-p", self.prefix, "-y", self.random.choice(installed)]
        picks = self.random.sample(missing, min(len(missing), self.random.randint(1, 3)))
        return ["install", "-p", self.prefix, *common, *picks]

    def run(self, args, kill_after=None):
        start = time.monotonic()
        proc = subprocess.Popen([self.cenv, *args], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=self.env)
        if kill_after is not None:
            try:
                proc.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=600)
        return proc.returncode, err.decode(errors="replace"), time.monotonic() - start

    def recover(self):
        """The next cenv command on the prefix; True when it worked."""
        if not os.path.isdir(self.prefix):
            return True, ""
        code, err, _ = self.run(["install", "-p", self.prefix, "--dry-run", "-c", self.channel,
                                 "--override-channels", "--platform", "linux-64",
                                 self.names[0]])
        # Undoing an interrupted create removes the environment: then there is nothing to
        # install into, which the command rightly says.
        return code == 0 or not os.path.exists(self.prefix), err

    def trial(self):
        """One kill; returns (outcome, command, detail): outcome is 'old', 'new',
        'inconsistent' or 'unusable'; detail says when the next run had to finish
        ('completed') or undo ('rolled back') an interrupted transaction."""
        args = self.command()
        old = snapshot(self.prefix)
        copy_prefix(self.prefix if old is not None else None, self.saved)
        code, err, seconds = self.run(args)
        if code != 0:
            raise RuntimeError("the transaction %s failed without a kill: %s" % (args, err))
        new = snapshot(self.prefix)
        # Back to OLD, the same transaction again, killed at a random moment.
        if old is None:
            shutil.rmtree(self.prefix)
        else:
            copy_prefix(self.saved, self.prefix)
        delay = self.random.uniform(0, seconds * 1.2)
        self.run(args, kill_after=delay)
        ok, err = self.recover()
        after = snapshot(self.prefix)
        if not ok:
            return "unusable", args, err
        recovered = ("rolled back" if "was rolled back" in err else
                     "completed" if "was completed" in err else "")
        if after == old:
            return "old", args, recovered
        if after == new:
            return "new", args, recovered
        only_after = sorted(set(after or {}) - set(new or {}) - set(old or {}))[:5]
        return "inconsistent", args, "delay %.3fs; unexpected %s" % (delay, only_after)


def make_bench_channel(shared, out, packages=10, files=600):
    """make_packages.py's channel, small: no multi-megabyte files (they only slow the
    copies and snapshots of every trial; the binary placeholders are kept)."""
    script = os.path.join(shared, "bench", "make_packages.py")
    subprocess.run(["python3", script, "--out", out, "--packages", str(packages), "--files",
                    str(files), "--zstd-level", "3", "--large-frac", "0"], check=True,
                   capture_output=True)
    with open(os.path.join(out, "linux-64", "repodata.json")) as f:
        repodata = json.load(f)
    names = sorted({r["name"] for r in repodata["packages.conda"].values()} - {"bench-all"})
    return "file://" + os.path.abspath(out), names

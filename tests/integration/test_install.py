"""`cenv create / install / update / remove` changing environments for real, with real
package archives from ../shared/fixtures/packages (conda's format repo and test recipes,
rattler's clobber and link-script packages, conda's tar-traversal archives) in channels
built at test time, and small packages built here (tests/integration/fixture_channel.py).
"""

import ctypes
import hashlib
import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cenv_testing import CENV, FIXTURES, CenvTestCase, run_cenv  # noqa: E402
from fixture_channel import (PLACEHOLDER, build_package, build_python_package,  # noqa: E402
                             machine_python, make_channel)

PACKAGES = os.path.join(FIXTURES, "packages")
FORMAT_REPO = os.path.join(PACKAGES, "conda-format-repo", "linux-64")
RECIPES = os.path.join(PACKAGES, "conda-test-recipes", "noarch")
CLOBBER = os.path.join(PACKAGES, "rattler-clobber")
ZLIB = "zlib-1.2.11-h7b6447c_3"
NO_DEPS = {ZLIB + ".conda": {"depends": []}, ZLIB + ".tar.bz2": {"depends": []}}


def snapshot(root):
    """path -> (kind, mode, content or link target) for everything under `root`."""
    out = {}
    for base, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(base, name)
            rel = os.path.relpath(path, root)
            st = os.lstat(path)
            if os.path.islink(path):
                out[rel] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                out[rel] = ("dir", st.st_mode & 0o777)
            else:
                with open(path, "rb") as f:
                    out[rel] = ("file", st.st_mode & 0o777, hashlib.sha256(f.read()).hexdigest())
    return out


class InstallTest(CenvTestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cenv-install-")
        self.root = os.path.join(self.tmp, "root")
        self.home = os.path.join(self.tmp, "home")
        os.makedirs(self.home)
        self.channel = os.path.join(self.tmp, "chan")
        self.env = {"HOME": self.home, "CONDA_OVERRIDE_CUDA": "", "CENV_OVERRIDE_CUDA": "",
                    "CENV_ROOT_PREFIX": self.root, "CONDARC": None, "CONDA_PKGS_DIRS": None,
                    "CENV_PKGS_DIRS": None}

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def cenv(self, *args, env=None):
        full = dict(self.env)
        full.update(env or {})
        return run_cenv(*args, env=full)

    def prefix(self, name="t"):
        return os.path.join(self.root, "envs", name)

    def create(self, *specs, name="t", extra=(), env=None):
        return self.cenv("create", "-n", name, "-y", "-c", self.channel, "--override-channels",
                         "--platform", "linux-64", *extra, *specs, env=env)

    def install(self, *specs, name="t", extra=()):
        return self.cenv("install", "-n", name, "-y", "-c", self.channel, "--override-channels",
                         "--platform", "linux-64", *extra, *specs)

    def remove(self, *specs, name="t", extra=()):
        return self.cenv("remove", "-n", name, "-y", *extra, *specs)

    def record(self, dist, name="t"):
        with open(os.path.join(self.prefix(name), "conda-meta", dist + ".json")) as f:
            return json.load(f)

    def history(self, name="t"):
        with open(os.path.join(self.prefix(name), "conda-meta", "history")) as f:
            return f.read()

    def assert_record_matches_prefix(self, dist, name="t"):
        """Every file the record lists is in the prefix, with the recorded sha256."""
        record = self.record(dist, name)
        prefix = self.prefix(name)
        self.assertEqual(record["files"], [p["_path"] for p in record["paths_data"]["paths"]])
        for entry in record["paths_data"]["paths"]:
            path = os.path.join(prefix, entry["_path"])
            self.assertTrue(os.path.lexists(path), entry["_path"])
            if entry["path_type"] == "hardlink" and "sha256_in_prefix" in entry:
                with open(path, "rb") as f:
                    self.assertEqual(hashlib.sha256(f.read()).hexdigest(),
                                     entry["sha256_in_prefix"], entry["_path"])
        return record


class Zlib(InstallTest):
    def check_zlib(self, fmt):
        make_channel(self.channel, [os.path.join(FORMAT_REPO, ZLIB + fmt)], NO_DEPS)
        result = self.create("zlib")
        self.assert_ok(result)
        prefix = self.prefix()
        lib = ctypes.CDLL(os.path.join(prefix, "lib", "libz.so"))
        lib.zlibVersion.restype = ctypes.c_char_p
        self.assertEqual(lib.zlibVersion(), b"1.2.11")
        with open(os.path.join(prefix, "lib", "pkgconfig", "zlib.pc")) as f:
            self.assertEqual(f.readline(), "prefix=%s\n" % prefix)
        record = self.assert_record_matches_prefix(ZLIB)
        self.assertEqual(record["requested_spec"], "zlib")
        self.assertEqual(record["fn"], ZLIB + fmt)
        self.assertEqual(record["link"]["type"], 1)
        tree = os.path.join(self.root, "pkgs", ZLIB)
        self.assertEqual(record["link"]["source"], tree)
        self.assertEqual(record["extracted_package_dir"], tree)
        # Hard-linked from the cache, except the file whose prefix was rewritten.
        self.assertTrue(os.path.samefile(os.path.join(prefix, "include", "zlib.h"),
                                         os.path.join(tree, "include", "zlib.h")))
        self.assertFalse(os.path.samefile(os.path.join(prefix, "lib", "pkgconfig", "zlib.pc"),
                                          os.path.join(tree, "lib", "pkgconfig", "zlib.pc")))
        pc = next(p for p in record["paths_data"]["paths"] if p["_path"].endswith("zlib.pc"))
        self.assertEqual(pc["file_mode"], "text")
        self.assertNotEqual(pc["sha256"], pc["sha256_in_prefix"])
        self.assertEqual(os.readlink(os.path.join(prefix, "lib", "libz.so")), "libz.so.1.2.11")
        history = self.history()
        self.assertIn("\n+file://%s/linux-64::%s\n" % (self.channel, ZLIB), history)
        self.assertTrue(history.rstrip().endswith("# update specs: ['zlib']"))
        with open(os.path.join(self.home, ".conda", "environments.txt")) as f:
            self.assertIn(prefix + "\n", f.read())
        return result

    def test_conda_format(self):
        self.check_zlib(".conda")

    def test_tar_bz2_format(self):
        self.check_zlib(".tar.bz2")

    def test_human_output(self):
        make_channel(self.channel, [os.path.join(FORMAT_REPO, ZLIB + ".conda")], NO_DEPS)
        result = self.create("zlib")
        self.assert_ok(result)
        removed = self.remove("zlib")
        self.assert_ok(removed)
        text = (result.stdout + "$ cenv remove -n t -y zlib\n" + removed.stdout)
        text = text.replace(self.root, "<root>").replace("file://" + self.channel, "<channel>")
        self.assert_golden("install/create_and_remove_zlib.txt", re.sub("─+", "─" * 8, text))

    def test_remove_leaves_only_the_history(self):
        self.check_zlib(".conda")
        self.assert_ok(self.remove("zlib"))
        self.assertEqual(sorted(os.listdir(self.prefix())), ["conda-meta"])
        self.assertEqual(os.listdir(os.path.join(self.prefix(), "conda-meta")), ["history"])
        self.assertIn("\n-file://%s/linux-64::%s\n" % (self.channel, ZLIB), self.history())
        self.assertTrue(self.history().rstrip().endswith("# remove specs: ['zlib']"))

    def test_json_reports_what_was_fetched(self):
        make_channel(self.channel, [os.path.join(FORMAT_REPO, ZLIB + ".conda")], NO_DEPS)
        first = self.create("zlib", extra=("--json",))
        self.assert_ok(first)
        data = json.loads(first.stdout)
        self.assertTrue(data["success"])
        self.assertFalse(data["dry_run"])
        self.assertEqual([e["dist_name"] for e in data["actions"]["LINK"]], [ZLIB])
        self.assertEqual([e["dist_name"] for e in data["actions"]["FETCH"]], [ZLIB])
        # A second environment finds it in the cache.
        second = json.loads(self.create("zlib", name="u", extra=("--json",)).stdout)
        self.assertEqual(second["actions"]["FETCH"], [])
        plan = self.cenv("create", "-n", "v", "--dry-run", "-c", self.channel,
                         "--override-channels", "--platform", "linux-64", "zlib")
        self.assertIn("cached", plan.stdout)

    def test_copies_when_the_cache_is_on_another_filesystem(self):
        shm = "/dev/shm"
        if not os.path.isdir(shm) or os.stat(shm).st_dev == os.stat(self.tmp).st_dev:
            self.skipTest("needs a second filesystem (/dev/shm)")
        cache = tempfile.mkdtemp(prefix="cenv-pkgs-", dir=shm)
        self.addCleanup(shutil.rmtree, cache, True)
        make_channel(self.channel, [os.path.join(FORMAT_REPO, ZLIB + ".conda")], NO_DEPS)
        self.assert_ok(self.create("zlib", env={"CENV_PKGS_DIRS": cache}))
        record = self.assert_record_matches_prefix(ZLIB)
        self.assertEqual(record["link"]["type"], 3)
        self.assertEqual(os.stat(os.path.join(self.prefix(), "include", "zlib.h")).st_nlink, 1)

    def test_create_refuses_a_folder_with_files(self):
        make_channel(self.channel, [os.path.join(FORMAT_REPO, ZLIB + ".conda")], NO_DEPS)
        folder = os.path.join(self.tmp, "notes")
        os.makedirs(folder)
        with open(os.path.join(folder, "todo.txt"), "w") as f:
            f.write("keep me\n")
        result = self.cenv("create", "-p", folder, "-y", "-c", self.channel,
                           "--override-channels", "--platform", "linux-64", "--force", "zlib")
        self.assert_fails(result, folder)
        self.assertEqual(os.listdir(folder), ["todo.txt"])
        # An existing environment needs --force, which replaces it.
        self.assert_ok(self.create("zlib"))
        self.assert_fails(self.create("zlib"), "already exists")
        self.assert_ok(self.create(extra=("--force",)))
        self.assertEqual(os.listdir(os.path.join(self.prefix(), "conda-meta")), ["history"])
        self.assertFalse(os.path.exists(os.path.join(self.prefix(), "lib")))

    def test_confirmation_on_a_terminal(self):
        make_channel(self.channel, [os.path.join(FORMAT_REPO, ZLIB + ".conda")], NO_DEPS)
        args = ["create", "-n", "t", "-c", self.channel, "--override-channels", "--platform",
                "linux-64", "zlib"]
        for answer, installed in ((b"n\n", False), (b"\n", True)):
            output = self.run_on_terminal(args, answer)
            self.assertIn("Confirm changes: [Y/n]", output)
            self.assertEqual(os.path.exists(os.path.join(self.prefix(), "conda-meta",
                                                         ZLIB + ".json")), installed, output)

    def run_on_terminal(self, args, answer):
        env = dict(os.environ)
        env.update({k: v for k, v in self.env.items() if v is not None})
        for k, v in self.env.items():
            if v is None:
                env.pop(k, None)
        pid, fd = pty.fork()
        if pid == 0:
            os.execve(CENV, [CENV, *args], env)
        output = b""
        sent = False
        while True:
            ready, _, _ = select.select([fd], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            if not sent and b"[Y/n]" in output:
                os.write(fd, answer)
                sent = True
        os.waitpid(pid, 0)
        return output.decode(errors="replace")


class TestRecipes(InstallTest):
    """conda's test-recipe packages: noarch python, link scripts, activation, clobber."""

    def recipes(self, *names, extra=()):
        archives = [os.path.join(RECIPES, n + ".conda") for n in names]
        return make_channel(self.channel, list(archives) + list(extra))

    def test_noarch_python_with_the_machines_python(self):
        python = build_python_package(os.path.join(self.tmp, "built"))
        self.recipes("sample_noarch_python-1.0-py_0", extra=[python])
        _, version = machine_python()
        self.assert_ok(self.create("python", "sample_noarch_python"))
        prefix = self.prefix()
        site = "lib/python%s/site-packages" % version
        tag = "cpython-%s" % version.replace(".", "")
        self.assertTrue(os.path.isfile(os.path.join(prefix, site, "sample.py")))
        record = self.assert_record_matches_prefix("sample_noarch_python-1.0-py_0")
        pyc = "%s/__pycache__/sample.%s.pyc" % (site, tag)
        self.assertIn(pyc, record["files"])
        self.assertEqual(next(p for p in record["paths_data"]["paths"] if p["_path"] == pyc),
                         {"_path": pyc, "path_type": "pyc_file"})
        self.assertTrue(os.path.isfile(os.path.join(prefix, pyc)))
        run = subprocess.run([os.path.join(prefix, "bin", "python"), "-c",
                              "import sample, sys; print(sample.__file__)"],
                             capture_output=True, text=True)
        self.assertEqual(run.stdout.strip(), os.path.join(prefix, site, "sample.py"), run.stderr)
        # Removing it takes the compiled file and the emptied folders too.
        self.assert_ok(self.remove("sample_noarch_python"))
        self.assertFalse(os.path.exists(os.path.join(prefix, site)))

    def test_python_site_packages_path_of_the_record(self):
        self.recipes("python-3.99.99-0", "sample_noarch_python-1.0-py_0")
        result = self.create("python=3.99", "sample_noarch_python")
        self.assert_ok(result)
        self.assertTrue(os.path.isfile(os.path.join(
            self.prefix(), "lib/python3.99t/site-packages/sample.py")))
        # That python has no interpreter: nothing to compile with, and the user is told.
        self.assertIn("bin/python3.99 is not there", result.stderr)
        record = self.record("sample_noarch_python-1.0-py_0")
        self.assertEqual(record["files"], ["lib/python3.99t/site-packages/sample.py"])

    def test_entry_points_run(self):
        built = os.path.join(self.tmp, "built")
        pkg = build_package(built, "hello", "1.0", "py_0", noarch="python",
                            depends=["python"],
                            files={"site-packages/hellopkg/__init__.py": "",
                                   "site-packages/hellopkg/cli.py":
                                       "def main():\n    print('hello from hellopkg')\n"},
                            entry_points=["hello = hellopkg.cli:main"])
        make_channel(self.channel, [pkg, build_python_package(built)])
        self.assert_ok(self.create("hello"))
        script = os.path.join(self.prefix(), "bin", "hello")
        self.assertTrue(os.access(script, os.X_OK))
        with open(script) as f:
            self.assertEqual(f.readline(), "#!%s/bin/python%s\n" % (self.prefix(),
                                                                      machine_python()[1]))
        run = subprocess.run([script], capture_output=True, text=True)
        self.assertEqual(run.stdout, "hello from hellopkg\n", run.stderr)
        record = self.assert_record_matches_prefix("hello-1.0-py_0")
        self.assertIn({"_path": "bin/hello", "path_type": "unix_python_entry_point"},
                      record["paths_data"]["paths"])

    def test_post_link_scripts_run_in_dependency_order(self):
        self.recipes("post_link-b-1.0-0", "post_link-c-1.0-0", "post_link-d-1.0-0",
                     "post_link-e-1.0-0")
        # c checks for b's bin/file; d for the one e's post-link writes.
        self.assert_ok(self.create("post_link-c", "post_link-d"))
        self.assertTrue(os.path.isfile(os.path.join(self.prefix(), "bin", "file")))

    def test_post_link_runs_in_the_activated_environment(self):
        self.recipes("post_link_run_in_env_package-1.0-0")
        result = self.create("post_link_run_in_env_package")
        self.assert_ok(result)
        self.assertIn("Success: TEST_VAR is set correctly", result.stdout)
        self.assertFalse(os.path.exists(os.path.join(self.prefix(), ".messages.txt")))

    def test_failing_post_link_rolls_back(self):
        self.recipes("failing_post_link-1.0-0", "dependency-1.0-0")
        self.assert_ok(self.create("dependency"))
        before = snapshot(self.prefix())
        result = self.install("failing_post_link")
        self.assert_fails(result, "post-link script of failing_post_link-1.0-0 failed")
        self.assertIn("exit status 1", result.stderr)
        self.assertEqual(snapshot(self.prefix()), before)
        # A new environment is not left behind either.
        self.assert_fails(self.create("failing_post_link", name="u"), "failing_post_link")
        self.assertFalse(os.path.exists(self.prefix("u")))

    def test_activation_scripts_are_installed(self):
        self.recipes("activate_deactivate_package-1.0-0")
        self.assert_ok(self.create("activate_deactivate_package"))
        for script in ("etc/conda/activate.d/activate.sh", "etc/conda/deactivate.d/deactivate.sh"):
            self.assertTrue(os.path.isfile(os.path.join(self.prefix(), script)), script)
        self.assert_record_matches_prefix("activate_deactivate_package-1.0-0")

    def test_clobber_warns_naming_both_packages(self):
        self.recipes("clobber-a-1.0-0", "clobber-b-1.0-0")
        result = self.create("clobber-a", "clobber-b")
        self.assert_ok(result)
        warning = [l for l in result.stderr.splitlines() if l.startswith("warning: clobber")]
        self.assertEqual(len(warning), 1, result.stderr)
        self.assertIn("clobber-a-1.0-0", warning[0])
        self.assertIn("clobber-b-1.0-0", warning[0])
        self.assertIn("bin/clobber-test-file", warning[0])
        for dist in ("clobber-a-1.0-0", "clobber-b-1.0-0"):
            self.assertIn("bin/clobber-test-file", self.record(dist)["files"])
        # Removing one keeps the file the other one still lists.
        self.assert_ok(self.remove("clobber-a"))
        self.assertTrue(os.path.isfile(os.path.join(self.prefix(), "bin", "clobber-test-file")))

    def test_clobber_is_an_error_with_safety_checks_enabled(self):
        self.recipes("clobber-a-1.0-0", "clobber-b-1.0-0")
        result = self.create("clobber-a", "clobber-b", extra=("--safety-checks", "enabled"))
        self.assert_fails(result, "clobber-test-file")
        self.assertFalse(os.path.exists(self.prefix()))
        # The setting does the same.
        result = self.create("clobber-a", "clobber-b", env={"CONDA_SAFETY_CHECKS": "enabled"})
        self.assert_fails(result, "clobber-b-1.0-0")


class Interrupted(InstallTest):
    """SIGTERM (what a service manager sends; Ctrl-C sends SIGINT to the whole group) while a
    post-link script runs: the script is stopped, the prefix goes back to what it was."""

    def slow_channel(self):
        built = os.path.join(self.tmp, "built")
        slow = build_package(built, "slow", "1.0", "0", files={
            "bin/.slow-post-link.sh": "touch \"$SLOW_STARTED\"\nsleep 60\n",
            "share/slow/data.txt": "data\n"})
        make_channel(self.channel, [slow, os.path.join(RECIPES, "dependency-1.0-0.conda")])

    def terminate_while_linking(self, *args):
        # The script says it runs through a file outside the prefix: what a post-link script
        # writes besides its package's files is its own business (conda's too).
        started = os.path.join(self.tmp, "started")
        env = dict(os.environ, SLOW_STARTED=started)
        env.update({k: v for k, v in self.env.items() if v is not None})
        for k, v in self.env.items():
            if v is None:
                env.pop(k, None)
        proc = subprocess.Popen([CENV, *args, "-y", "-c", self.channel, "--override-channels",
                                 "--platform", "linux-64", "slow"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(1200):
            if os.path.exists(started) or proc.poll() is not None:
                break
            time.sleep(0.05)
        self.assertTrue(os.path.exists(started), proc.stderr.read() if proc.poll() else "")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=120)
        self.assertEqual(proc.returncode, 130, err)
        self.assertIn("error: interrupted", err)

    def test_sigterm_during_create_leaves_no_environment(self):
        self.slow_channel()
        self.terminate_while_linking("create", "-n", "t")
        self.assertFalse(os.path.exists(self.prefix()))

    def test_sigterm_during_install_restores_the_environment(self):
        self.slow_channel()
        self.assert_ok(self.create("dependency"))
        before = snapshot(self.prefix())
        self.terminate_while_linking("install", "-n", "t")
        self.assertEqual(snapshot(self.prefix()), before)


class RattlerPackages(InstallTest):
    def test_link_scripts_on_install_and_removal(self):
        make_channel(self.channel, [os.path.join(PACKAGES, "rattler-link-scripts",
                                                 "link-scripts-0.1.0-h4616a5c_0.conda")])
        result = self.create("link-scripts")
        self.assert_ok(result)
        marker = os.path.join(self.prefix(), "i-was-post-linked")
        self.assertTrue(os.path.isfile(marker))
        self.assertIn("Message from link-scripts-0.1.0-h4616a5c_0", result.stdout)
        self.assert_ok(self.remove("link-scripts"))
        self.assertFalse(os.path.exists(marker))

    def test_clobbering_packages_and_an_upgrade_that_turns_a_folder_into_a_file(self):
        names = ["clobber-1-0.1.0-h4616a5c_0.tar.bz2", "clobber-2-0.1.0-h4616a5c_0.tar.bz2",
                 "clobber-directory-upgrade-0.1.0-h4616a5c_0.conda",
                 "clobber-directory-upgrade-0.2.0-h4616a5c_0.conda"]
        make_channel(self.channel, [os.path.join(CLOBBER, n) for n in names])
        result = self.create("clobber-1", "clobber-2", "clobber-directory-upgrade=0.1.0")
        self.assert_ok(result)
        self.assertIn("clobber-1-0.1.0-h4616a5c_0 and clobber-2-0.1.0-h4616a5c_0", result.stderr)
        with open(os.path.join(self.prefix(), "clobber.txt")) as f:
            self.assertEqual(f.read().strip(), "clobber-2")
        self.assertTrue(os.path.isdir(os.path.join(self.prefix(), "xbin")))
        self.assert_ok(self.install("clobber-directory-upgrade=0.2.0"))
        self.assertTrue(os.path.isfile(os.path.join(self.prefix(), "xbin")))
        self.assertTrue(os.path.isfile(os.path.join(self.prefix(), "bin", "content.txt")))
        self.assert_record_matches_prefix("clobber-directory-upgrade-0.2.0-h4616a5c_0")
        history = self.history()
        self.assertIn("-file://%s/noarch::clobber-directory-upgrade-0.1.0-h4616a5c_0" %
                      self.channel, history)


class Refused(InstallTest):
    """Malicious and corrupt archives: refused, nothing left in the prefix or the cache."""

    def channel_with(self, archive, fn):
        sub = os.path.join(self.channel, "linux-64")
        os.makedirs(sub)
        shutil.copyfile(archive, os.path.join(sub, fn))
        with open(archive, "rb") as f:
            data = f.read()
        record = {"name": "evil", "version": "1.0", "build": "0", "build_number": 0,
                  "depends": [], "subdir": "linux-64", "size": len(data),
                  "md5": hashlib.md5(data).hexdigest(),
                  "sha256": hashlib.sha256(data).hexdigest()}
        for s, packages in (("linux-64", {fn: record}), ("noarch", {})):
            os.makedirs(os.path.join(self.channel, s), exist_ok=True)
            with open(os.path.join(self.channel, s, "repodata.json"), "w") as f:
                json.dump({"info": {"subdir": s}, "packages": packages, "packages.conda": {}}, f)

    def assert_nothing_left(self):
        self.assertFalse(os.path.exists(self.prefix()))
        pkgs = os.path.join(self.root, "pkgs")
        leftovers = [n for n in os.listdir(pkgs) if os.path.isdir(os.path.join(pkgs, n))] \
            if os.path.isdir(pkgs) else []
        self.assertEqual([n for n in leftovers if n != "cache"], [])

    def test_path_traversal_archives(self):
        folder = os.path.join(PACKAGES, "conda-tar-traversal")
        for name in ("absolute1", "relative0", "relative2", "symlink", "dirsymlink",
                     "dirsymlink2a", "dirsymlink2b"):
            with self.subTest(name):
                shutil.rmtree(self.channel, ignore_errors=True)
                shutil.rmtree(self.root, ignore_errors=True)
                self.channel_with(os.path.join(folder, name + ".tar"), "evil-1.0-0.tar.bz2")
                result = self.create("evil")
                self.assert_fails(result, "evil-1.0-0")
                self.assert_nothing_left()
                self.assertFalse(os.path.exists("/tmp/moo") and
                                 os.path.getmtime("/tmp/moo") > os.path.getmtime(self.tmp))

    def test_truncated_archive(self):
        with open(os.path.join(FORMAT_REPO, ZLIB + ".conda"), "rb") as f:
            data = f.read()
        truncated = os.path.join(self.tmp, ZLIB + ".conda")
        with open(truncated, "wb") as f:
            f.write(data[: len(data) // 2])
        self.channel_with(truncated, "evil-1.0-0.conda")
        self.assert_fails(self.create("evil"), "evil-1.0-0")
        self.assert_nothing_left()

    def test_checksum_mismatch(self):
        self.channel_with(os.path.join(FORMAT_REPO, ZLIB + ".conda"), "evil-1.0-0.conda")
        path = os.path.join(self.channel, "linux-64", "evil-1.0-0.conda")
        with open(path, "r+b") as f:
            f.seek(100)
            f.write(b"\0" * 16)
        self.assert_fails(self.create("evil"), "sha256")
        self.assert_nothing_left()


class Updates(InstallTest):
    def test_install_a_newer_version_replaces_the_old_one(self):
        make_channel(self.channel, [os.path.join(RECIPES, n + ".conda") for n in
                                    ("dependency-1.0-0", "dependency-2.0-0")])
        self.assert_ok(self.create("dependency=1.0"))
        self.assert_record_matches_prefix("dependency-1.0-0")
        self.assert_ok(self.install("dependency=2.0"))
        meta = os.listdir(os.path.join(self.prefix(), "conda-meta"))
        self.assertEqual(sorted(meta), ["dependency-2.0-0.json", "history"])
        self.assert_record_matches_prefix("dependency-2.0-0")
        self.assertEqual(self.record("dependency-2.0-0")["requested_spec"], "dependency=2.0")
        history = self.history()
        self.assertIn("\n-file://%s/noarch::dependency-1.0-0\n" % self.channel, history)
        self.assertIn("\n+file://%s/noarch::dependency-2.0-0\n" % self.channel, history)
        # Nothing left to do: no transaction, no history entry.
        before = self.history()
        result = self.install("dependency=2.0")
        self.assert_ok(result)
        self.assertIn("Nothing to do", result.stdout)
        self.assertEqual(self.history(), before)


if __name__ == "__main__":
    unittest.main()

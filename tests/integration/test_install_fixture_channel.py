"""End to end on the fixture channel (tests/fixtures/make_channel.py): environments that
really run. `cenv create -n t python cenvhello` and then the relocated interpreter imports
the noarch package (its .pyc compiled by that interpreter), the entry point runs, pip works,
and the prefix placeholders of text, binary and legacy packages name the real prefix."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cenv_testing import CenvTestCase, fixture_channel, run_cenv  # noqa: E402


class FixtureEnvironment(CenvTestCase):
    @classmethod
    def setUpClass(cls):
        cls.channel = fixture_channel()

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cenv-e2e-")
        self.root = os.path.join(self.tmp, "root")
        self.env = {"HOME": self.tmp, "CENV_ROOT_PREFIX": self.root, "CONDA_OVERRIDE_CUDA": "",
                    "CENV_OVERRIDE_CUDA": "", "CONDARC": None, "PYTHONPATH": None,
                    "PYTHONHOME": None}
        self.prefix = os.path.join(self.root, "envs", "t")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def cenv(self, *args):
        return run_cenv(*args, "-c", self.channel, "--override-channels", "--platform",
                        "linux-64", env=self.env)

    def run_in_env(self, *argv):
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        return subprocess.run(list(argv), capture_output=True, text=True, env=env, timeout=120)

    def python_version(self):
        meta = os.path.join(self.prefix, "conda-meta")
        record = next(f for f in os.listdir(meta) if f.startswith("python-"))
        with open(os.path.join(meta, record)) as f:
            return ".".join(json.load(f)["version"].split(".")[:2])

    def test_python_and_a_noarch_package_with_its_entry_point(self):
        result = self.cenv("create", "-n", "t", "-y", "python", "cenvhello", "pip")
        self.assert_ok(result)
        python = os.path.join(self.prefix, "bin", "python")
        run = self.run_in_env(python, "-c", "import cenvhello, sys; print(cenvhello.__file__); "
                                            "print(sys.prefix)")
        self.assertEqual(run.returncode, 0, run.stderr)
        version = self.python_version()
        site = os.path.join(self.prefix, "lib", "python" + version, "site-packages")
        self.assertEqual(run.stdout.splitlines(),
                         [os.path.join(site, "cenvhello", "__init__.py"), self.prefix])
        # Compiled by the environment's own interpreter, and recorded for removal.
        tag = "cpython-" + version.replace(".", "")
        pyc = os.path.join(site, "cenvhello", "__pycache__", "__init__.%s.pyc" % tag)
        self.assertTrue(os.path.isfile(pyc))
        with open(os.path.join(self.prefix, "conda-meta", "cenvhello-1.0-pyh_cenv_0.json")) as f:
            record = json.load(f)
        self.assertIn(os.path.relpath(pyc, self.prefix), record["files"])
        # The entry point and the python-scripts/ file, both run through the environment.
        hello = self.run_in_env(os.path.join(self.prefix, "bin", "cenvhello"))
        self.assertEqual(hello.stdout.strip(), "cenvhello 1.0 from %s" % self.prefix,
                         hello.stderr)
        self.assertIn({"_path": "bin/cenvhello", "path_type": "unix_python_entry_point"},
                      record["paths_data"]["paths"])
        pip = self.run_in_env(os.path.join(self.prefix, "bin", "pip"), "--version")
        self.assertEqual(pip.returncode, 0, pip.stderr)
        self.assertIn(site, pip.stdout)
        # Removing the package takes its files, its .pyc and its entry point.
        self.assert_ok(run_cenv("remove", "-n", "t", "-y", "cenvhello", env=self.env))
        self.assertFalse(os.path.exists(os.path.join(site, "cenvhello")))
        self.assertFalse(os.path.exists(os.path.join(self.prefix, "bin", "cenvhello")))

    def test_prefix_placeholders_name_the_real_prefix(self):
        self.assert_ok(self.cenv("create", "-n", "t", "-y", "textprefix", "binprefix",
                                 "legacyprefix"))
        binary = self.run_in_env(os.path.join(self.prefix, "bin", "binprefix"))
        self.assertEqual(binary.stdout.splitlines(),
                         ["prefix=" + self.prefix,
                          "data=" + os.path.join(self.prefix, "share", "binprefix")],
                         binary.stderr)
        text = self.run_in_env(os.path.join(self.prefix, "bin", "tp"))
        self.assertEqual(text.stdout.splitlines(),
                         ["prefix=" + self.prefix,
                          "data_dir=" + os.path.join(self.prefix, "share", "textprefix")],
                         text.stderr)
        with open(os.path.join(self.prefix, "share", "legacyprefix", "where.txt")) as f:
            self.assertEqual(f.read(), "installed in %s\n" % self.prefix)

    def test_a_prefix_longer_than_the_binary_placeholder_is_refused(self):
        deep = os.path.join(self.tmp, *(["d" * 60] * 5))
        result = self.cenv("create", "-p", deep, "-y", "binprefix")
        self.assert_fails(result, "longer than the placeholder")
        self.assertFalse(os.path.exists(deep))


if __name__ == "__main__":
    unittest.main()

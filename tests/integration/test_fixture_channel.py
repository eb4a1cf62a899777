"""The fixture channel (tests/fixtures/make_channel.py) as cenv sees it: every package is
found by `cenv search --json` with the metadata the builder promises, its archive is where
the record's url says with the record's sha256, and the solver uses its dependencies and
CUDA constraints. (Extraction of every archive: tests/fixtures/channel_test.cpp.)"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cenv_testing import MAKE_CHANNEL, CenvTestCase, fixture_channel, run_cenv  # noqa: E402

EXPECTED = {  # name -> (subdir, archive format, depends, constrains)
    "python": ("linux-64", ".conda", ["zlib >=1.2"], []),
    "zlib": ("linux-64", ".tar.bz2", [], []),
    "pip": ("noarch", ".conda", ["python >=3.7"], []),
    "cenvhello": ("noarch", ".conda", ["python >=3.8"], []),
    "textprefix": ("linux-64", ".conda", [], []),
    "binprefix": ("linux-64", ".conda", [], []),
    "legacyprefix": ("linux-64", ".tar.bz2", [], []),
    "cuda-version": ("noarch", ".conda", [], ["__cuda >=12", "cudatoolkit 12.1|12.1.*"]),
    "cuda-cudart": ("linux-64", ".conda", ["cuda-version >=12.1,<12.2.0a0"], []),
}


class FixtureChannel(CenvTestCase):
    @classmethod
    def setUpClass(cls):
        cls.channel = fixture_channel()

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="cenv-fixture-channel-")
        self.env = {"HOME": self.root, "CENV_ROOT_PREFIX": os.path.join(self.root, "root"),
                    "CONDA_OVERRIDE_CUDA": "", "CENV_OVERRIDE_CUDA": ""}

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def cenv(self, *args, env=None):
        full = dict(self.env)
        full.update(env or {})
        return run_cenv(*args, "-c", self.channel, "--override-channels", "--platform",
                        "linux-64", env=full)

    def test_search_json_lists_every_package_with_its_metadata(self):
        result = self.cenv("search", "--json", "*")
        self.assert_ok(result)
        pkgs = json.loads(result.stdout)["result"]["pkgs"]
        self.assertEqual(sorted(p["name"] for p in pkgs), sorted(EXPECTED))
        for p in pkgs:
            subdir, fmt, depends, constrains = EXPECTED[p["name"]]
            self.assertEqual((p["subdir"], p["depends"], p["constrains"]),
                             (subdir, depends, constrains), p["name"])
            self.assertTrue(p["fn"].endswith(fmt), p["fn"])
            self.assertEqual(p["url"], f"file://{self.channel}/{subdir}/{p['fn']}")
            with open(os.path.join(self.channel, subdir, p["fn"]), "rb") as f:
                blob = f.read()
            self.assertEqual((hashlib.sha256(blob).hexdigest(), len(blob)),
                             (p["sha256"], p["size"]), p["fn"])

    def test_python_is_this_machines_version(self):
        result = self.cenv("search", "--json", "python")
        self.assert_ok(result)
        [python] = json.loads(result.stdout)["result"]["pkgs"]
        self.assertEqual(python["version"], "%d.%d.%d" % sys.version_info[:3])

    def test_solver_pulls_dependencies(self):
        result = self.cenv("create", "-n", "t", "--dry-run", "--json", "cenvhello", "pip")
        self.assert_ok(result)
        linked = {p["name"] for p in json.loads(result.stdout)["actions"]["LINK"]}
        self.assertEqual(linked, {"cenvhello", "pip", "python", "zlib"})

    def test_cuda_constraint_follows_the_driver(self):
        old = self.cenv("create", "-n", "t", "--dry-run", "cuda-cudart",
                        env={"CONDA_OVERRIDE_CUDA": "11.8", "CENV_OVERRIDE_CUDA": "11.8"})
        self.assert_fails(old, "cuda-cudart")
        self.assertIn("__cuda 11.8", old.stderr)
        new = self.cenv("create", "-n", "t", "--dry-run", "--json", "cuda-cudart",
                        env={"CONDA_OVERRIDE_CUDA": "12.2", "CENV_OVERRIDE_CUDA": "12.2"})
        self.assert_ok(new)
        linked = {p["name"] for p in json.loads(new.stdout)["actions"]["LINK"]}
        self.assertEqual(linked, {"cuda-cudart", "cuda-version"})

    def test_a_second_build_is_cached(self):
        again = subprocess.run([sys.executable, MAKE_CHANNEL, self.channel], capture_output=True,
                               text=True, timeout=600)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(again.stdout, f"{self.channel}: up to date\n")


if __name__ == "__main__":
    unittest.main()

"""The solver's binary cache of channel subdirs (<root>/pkgs/cache/*.solv).

`cenv create --dry-run --json` run cold (no cache: the repodata.json is parsed and the cache
written) and warm (the cache is read) must print the same plan; a changed repodata or a
damaged cache is noticed and rebuilt. CENV_TIMINGS=1 says on stderr where each subdir came
from.
"""

import glob
import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cenv_testing import FIXTURES, CenvTestCase, run_cenv  # noqa: E402

PYTORCH = os.path.join(FIXTURES, "channels", "pytorch")
CHANNEL_1 = os.path.join(FIXTURES, "conda-cases", "channels", "channel-1")


class SolvCacheTest(CenvTestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="cenv-solv-")
        self.env = {"CONDA_OVERRIDE_CUDA": "", "CENV_OVERRIDE_CUDA": "", "CENV_TIMINGS": "1"}

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def create(self, *channels_and_specs):
        result = run_cenv("create", "-r", self.root, "-n", "t", "--dry-run", "--json",
                          "--platform", "linux-64", *channels_and_specs, env=self.env)
        self.assert_ok(result)
        return json.loads(result.stdout), result.stderr

    def cache_files(self):
        return sorted(glob.glob(os.path.join(self.root, "pkgs", "cache", "*.solv")))

    def test_cold_then_warm_give_the_same_json(self):
        args = ("-c", PYTORCH, "-c", CHANNEL_1, "numpy", "python=2.7")
        cold, cold_err = self.create(*args)
        self.assertIn("cache written", cold_err)
        self.assertNotIn("from the binary cache", cold_err)
        files = self.cache_files()
        # pytorch linux-64 and noarch, channel-1 linux-64 and noarch
        self.assertEqual(len(files), 4, files)
        warm, warm_err = self.create(*args)
        self.assertIn("from the binary cache", warm_err)
        self.assertNotIn("parsed", warm_err)
        self.assertEqual(warm, cold)
        self.assertTrue(cold["success"])
        self.assertGreater(len(cold["actions"]["LINK"]), 3)
        self.assertIn("numpy", {p["name"] for p in cold["actions"]["LINK"]})
        self.assertEqual(self.cache_files(), files)

    def test_damaged_cache_is_rebuilt_with_the_same_answer(self):
        args = ("-c", CHANNEL_1, "numpy")
        cold, _ = self.create(*args)
        for path in self.cache_files():
            size = os.path.getsize(path)
            with open(path, "r+b") as f:
                f.truncate(size // 2)
        rebuilt, err = self.create(*args)
        self.assertIn("corrupt", err)
        self.assertIn("cache written", err)
        self.assertEqual(rebuilt, cold)
        warm, err = self.create(*args)
        self.assertIn("from the binary cache", err)
        self.assertEqual(warm, cold)

    def test_changed_repodata_is_read_again(self):
        channel = os.path.join(self.root, "chan")
        shutil.copytree(CHANNEL_1, channel)
        first, _ = self.create("-c", channel, "numpy")
        linked = {p["name"]: p["version"] for p in first["actions"]["LINK"]}
        self.assertIn("numpy", linked)
        # Drop the numpy builds of the version chosen: the next solve must pick another.
        path = os.path.join(channel, "linux-64", "repodata.json")
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        for section in ("packages", "packages.conda"):
            for fn in [fn for fn, r in data.get(section, {}).items()
                       if r["name"] == "numpy" and r["version"] == linked["numpy"]]:
                del data[section][fn]
        with open(path, "w", encoding="utf-8") as f:
            json.dump(data, f)
        second, err = self.create("-c", channel, "numpy")
        self.assertIn("stale", err)
        versions = {p["name"]: p["version"] for p in second["actions"]["LINK"]}
        self.assertNotEqual(versions["numpy"], linked["numpy"])

    def test_read_only_cache_folder_still_solves(self):
        cache = os.path.join(self.root, "pkgs", "cache")
        os.makedirs(os.path.dirname(cache))
        with open(cache, "w", encoding="utf-8") as f:
            f.write("not a folder")  # the cache cannot be written: the solve goes on
        result, err = self.create("-c", CHANNEL_1, "numpy")
        self.assertTrue(result["success"])
        self.assertIn("parsed", err)


if __name__ == "__main__":
    unittest.main()

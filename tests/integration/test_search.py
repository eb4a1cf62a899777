"""`cenv search` against real channel snapshots: results, order, output formats, errors.

Expected record sets are computed here from the raw repodata with Python's json module and
the independent conda version order of conda-cases/run_cases.py, never from cenv itself.
"""

import json
import os
import shutil
import sys
import tempfile
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from cenv_testing import FIXTURES, CenvTestCase, run_cenv  # noqa: E402

sys.path.insert(0, os.path.join(FIXTURES, "conda-cases"))
import run_cases  # noqa: E402  (its Version class is an independent conda version order)

PYTORCH = os.path.join(FIXTURES, "channels", "pytorch")
BASE_URL = os.path.join(FIXTURES, "channels", "conda-base-url-channel")


def raw_records(channel, subdir):
    with open(os.path.join(channel, subdir, "repodata.json"), encoding="utf-8") as f:
        data = json.load(f)
    merged = dict(data.get("packages", {}))
    merged.update(data.get("packages.conda", {}))
    return merged


def search_json(*args):
    result = run_cenv("search", "--json", *args)
    return result, (json.loads(result.stdout) if result.stdout.strip() else None)


class SearchResults(CenvTestCase):
    def test_fuzzy_version_finds_every_build_of_that_version(self):
        result, data = search_json("pytorch=2.1", "-c", PYTORCH)
        self.assert_ok(result)
        expected = {fn for fn, r in raw_records(PYTORCH, "linux-64").items()
                    if r["name"] == "pytorch" and run_cases.Version(r["version"]).startswith(run_cases.Version("2.1"))}
        got = {p["fn"] for p in data["result"]["pkgs"]}
        self.assertEqual(got, expected)
        self.assertEqual(len(got), 12)  # PROVENANCE: 2.1.0 has 12 builds

    def test_build_glob_selects_cuda_variant(self):
        result, data = search_json("pytorch=2.1=*cuda12.1*", "-c", PYTORCH)
        self.assert_ok(result)
        builds = sorted(p["build"] for p in data["result"]["pkgs"])
        self.assertEqual(builds, sorted(r["build"] for r in raw_records(PYTORCH, "linux-64").values()
                                        if r["name"] == "pytorch" and r["version"] == "2.1.0" and "cuda12.1" in r["build"]))
        self.assertEqual(len(builds), 4)  # py3.8 .. py3.11
        for p in data["result"]["pkgs"]:
            self.assertIn("pytorch-cuda >=12.1,<12.2", p["depends"])

    def test_results_are_newest_first(self):
        result, data = search_json("pytorch", "-c", PYTORCH)
        self.assert_ok(result)
        pkgs = data["result"]["pkgs"]
        self.assertEqual(len(pkgs), sum(1 for r in raw_records(PYTORCH, "linux-64").values() if r["name"] == "pytorch"))
        for a, b in zip(pkgs, pkgs[1:]):
            va, vb = run_cases.Version(a["version"]), run_cases.Version(b["version"])
            self.assertFalse(va < vb, f"{a['fn']} listed before newer {b['fn']}")
            if va == vb:
                self.assertGreaterEqual(a["build_number"], b["build_number"])

    def test_name_glob_and_several_specs(self):
        result, data = search_json("*vision*", "torchaudio>=2", "-c", PYTORCH)
        self.assert_ok(result)
        raw = raw_records(PYTORCH, "linux-64").values()
        expected = sum(1 for r in raw if "vision" in r["name"]) + sum(
            1 for r in raw if r["name"] == "torchaudio" and not run_cases.Version(r["version"]) < run_cases.Version("2"))
        self.assertEqual(len(data["result"]["pkgs"]), expected)
        names = [p["name"] for p in data["result"]["pkgs"]]
        self.assertEqual(names, sorted(names))

    def test_json_layout_follows_micromamba(self):
        result, data = search_json("pytorch==2.1.0=py3.10_cuda12.1_cudnn8.9.2_0", "-c", PYTORCH)
        self.assert_ok(result)
        self.assertEqual(data["query"]["type"], "search")
        self.assertEqual(data["result"]["status"], "OK")
        (pkg,) = data["result"]["pkgs"]
        raw = raw_records(PYTORCH, "linux-64")[pkg["fn"]]
        for key in ("name", "version", "build", "build_number", "depends", "constrains", "md5", "size", "license"):
            self.assertEqual(pkg[key], raw[key], key)
        self.assertEqual(pkg["url"], "file://" + urllib.parse.quote(os.path.abspath(PYTORCH)) + "/linux-64/" + pkg["fn"])

    def test_repodata_v2_base_url_builds_package_urls(self):
        result, data = search_json("ca-certificates", "-c", BASE_URL)
        self.assert_ok(result)
        (pkg,) = data["result"]["pkgs"]
        self.assertEqual(pkg["url"], "https://repo.anaconda.com/pkgs/main/linux-64/" + pkg["fn"])
        self.assertTrue(pkg["fn"].endswith(".conda"))

    def test_channel_flag_takes_one_value(self):
        result, data = search_json("-c", PYTORCH, "pytorch=2.1=*cuda12.1*")
        self.assert_ok(result)
        self.assertEqual(len(data["result"]["pkgs"]), 4)

    def test_platform_selects_subdir(self):
        result, data = search_json("ca-certificates", "-c", BASE_URL, "--platform", "osx-64")
        self.assert_ok(result)
        self.assertEqual([p["subdir"] for p in data["result"]["pkgs"]], ["osx-64"])

    def test_channel_as_file_url_with_non_ascii_path(self):
        with tempfile.TemporaryDirectory() as tmp:
            channel = os.path.join(tmp, "张三 的频道")
            shutil.copytree(BASE_URL, channel)
            url = "file://" + urllib.parse.quote(channel)
            for arg in (url, channel):
                result, data = search_json("ca-certificates", "-c", arg)
                self.assert_ok(result)
                self.assertEqual(len(data["result"]["pkgs"]), 1)


class SearchOutput(CenvTestCase):
    # Human output is compared with golden files, so the channel must have the same URL on
    # every machine: a fixed symlink to the fixture channel.
    CHANNEL = "/tmp/cenv-golden/pytorch"

    @classmethod
    def setUpClass(cls):
        os.makedirs(os.path.dirname(cls.CHANNEL), exist_ok=True)
        if os.path.islink(cls.CHANNEL):
            os.unlink(cls.CHANNEL)
        os.symlink(os.path.abspath(PYTORCH), cls.CHANNEL)

    def human(self, *args):
        result = run_cenv("search", *args)
        self.assert_ok(result)
        return result.stdout

    def test_table(self):
        self.assert_golden("search/table.txt", self.human("pytorch=2.1=*cuda12.1*", "-c", self.CHANNEL))

    def test_info(self):
        self.assert_golden("search/info.txt", self.human("pytorch==2.1.0=py3.10_cuda12.1_cudnn8.9.2_0", "-c", self.CHANNEL, "--info"))

    def test_help_teaches(self):
        result = run_cenv("search", "--help")
        self.assert_ok(result)
        for needle in ("--channel", "--platform", "--json", "--info", "Examples:"):
            self.assertIn(needle, result.stdout)
        top = run_cenv("--help")
        self.assert_ok(top)
        self.assertIn("search", top.stdout)

    def test_version(self):
        result = run_cenv("--version")
        self.assert_ok(result)
        self.assertRegex(result.stdout.strip(), r"^\d+\.\d+\.\d+$")


class SearchErrors(CenvTestCase):
    def test_invalid_spec_names_the_bad_part(self):
        self.assert_fails(run_cenv("search", "numpy >=1.2,,<", "-c", PYTORCH), "numpy >=1.2,,<")
        self.assert_fails(run_cenv("search", "numpy[version=", "-c", PYTORCH), "numpy[version=")

    def test_nothing_found(self):
        self.assert_fails(run_cenv("search", "no-such-package", "-c", PYTORCH), "no-such-package")

    def test_missing_channel_folder(self):
        self.assert_fails(run_cenv("search", "numpy", "-c", "/nonexistent/chan"), "/nonexistent/chan")

    def test_folder_without_repodata(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_fails(run_cenv("search", "numpy", "-c", tmp), "repodata.json")

    def test_remote_channel_offline_without_a_cache_is_refused_clearly(self):
        with tempfile.TemporaryDirectory() as root:
            self.assert_fails(run_cenv("search", "numpy", "-c", "https://conda.anaconda.org/conda-forge",
                                       "--offline", "-r", root), "conda-forge", "offline")

    def test_unknown_platform(self):
        self.assert_fails(run_cenv("search", "numpy", "-c", PYTORCH, "--platform", "linux-65"), "linux-65")

    def test_malformed_repodata_names_file_and_record(self):
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, "linux-64"))
            path = os.path.join(tmp, "linux-64", "repodata.json")
            with open(path, "w") as f:
                f.write('{"packages": {"bad-1.0-0.tar.bz2": {"name": "bad", "version": "1.0", "build": "0", "build_number": "x"}}}')
            self.assert_fails(run_cenv("search", "bad", "-c", tmp), path, "bad-1.0-0.tar.bz2")
            with open(path, "w") as f:
                f.write('{"packages": {"bad-1.0-0.tar.bz2": {"name": "bad"')
            self.assert_fails(run_cenv("search", "bad", "-c", tmp), path)

    def test_usage_errors_exit_2(self):
        self.assert_fails(run_cenv("search", "-c", "./chan"), status=2)
        self.assert_fails(run_cenv("frobnicate"), status=2)

    def test_without_channels_the_configured_ones_are_used(self):
        # An empty HOME configures nothing, so `defaults` is searched, which is remote (and,
        # offline, not cached).
        with tempfile.TemporaryDirectory() as home:
            env = {"HOME": home, "CENV_ROOT_PREFIX": os.path.join(home, "root")}
            self.assert_fails(run_cenv("search", "numpy", "--offline", env=env),
                              "offline: no cached index of https://repo.anaconda.com/pkgs/main/")
            with open(os.path.join(home, ".cenvrc"), "w") as f:
                f.write("channels:\n  - %s\n" % PYTORCH)
            result = run_cenv("search", "pytorch", env=env)
            self.assert_ok(result)
            self.assertIn("pytorch", result.stdout)


if __name__ == "__main__":
    unittest.main()

"""`cenv create / install / update / remove --dry-run` against conda's test channels.

Expected packages come from conda's own test expectations (conda-cases/solver_cases.json),
never from cenv itself.
"""

import json
import os
import re
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cenv_testing import FIXTURES, CenvTestCase, run_cenv  # noqa: E402

CASES_DIR = os.path.join(FIXTURES, "conda-cases")
CHANNEL_1 = os.path.join(CASES_DIR, "channels", "channel-1")
ACTION_KEYS = {"name", "version", "build_string", "build_number", "channel", "subdir", "fn",
               "url", "md5", "sha256"}


def conda_case(case_id):
    with open(os.path.join(CASES_DIR, "solver_cases.json"), encoding="utf-8") as f:
        for case in json.load(f)["cases"]:
            if case["id"] == case_id:
                return case
    raise KeyError(case_id)


def dists(entries):
    return {"%s-%s-%s" % (e["name"], e["version"], e["build_string"]) for e in entries}


def expected_dists(case, key="final"):
    return {d.split("::", 1)[-1] for d in case["expected"][key]}


class EnvCommandTest(CenvTestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="cenv-create-")
        self.env = {"CONDA_OVERRIDE_CUDA": "", "CENV_OVERRIDE_CUDA": ""}

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def create(self, *args, env=None):
        full_env = dict(self.env)
        full_env.update(env or {})
        return run_cenv("create", "-r", self.root, "-n", "t", "-c", CHANNEL_1,
                        "--platform", "linux-64", *args, env=full_env)

    def make_prefix(self, case):
        """A prefix with conda-meta records, history and pins, as conda would leave it."""
        prefix = os.path.join(self.root, "envs", "case")
        meta = os.path.join(prefix, "conda-meta")
        os.makedirs(meta)
        url = "file://" + CHANNEL_1
        for r in case.get("installed", []):
            rec = dict(r)
            fn = "%s-%s-%s.tar.bz2" % (r["name"], r["version"], r["build"])
            rec.update({"channel": url, "fn": fn, "url": "%s/%s/%s" % (url, r["subdir"], fn)})
            with open(os.path.join(meta, fn[:-len(".tar.bz2")] + ".json"), "w") as f:
                json.dump(rec, f)
        with open(os.path.join(meta, "history"), "w") as f:
            f.write("==> 2000-01-01 00:00:00 <==\n# update specs: %s\n"
                    % json.dumps(case.get("history_specs", [])))
        if case.get("pinned"):
            with open(os.path.join(meta, "pinned"), "w") as f:
                f.write("\n".join(case["pinned"]) + "\n")
        return prefix


class Create(EnvCommandTest):
    def test_json_plan_is_condas_solution(self):
        result = self.create("--dry-run", "--json", "numpy")
        self.assert_ok(result)
        data = json.loads(result.stdout)
        self.assertTrue(data["success"])
        self.assertTrue(data["dry_run"])
        self.assertEqual(data["prefix"], os.path.join(self.root, "envs", "t"))
        link = data["actions"]["LINK"]
        self.assertEqual(dists(link), expected_dists(conda_case("test_solve/test_solve_1/1")))
        self.assertEqual(data["actions"]["UNLINK"], [])
        for entry in link:
            self.assertTrue(ACTION_KEYS <= set(entry), entry)
            self.assertTrue(entry["url"].startswith("file://" + CHANNEL_1 + "/"), entry["url"])
            self.assertTrue(entry["url"].endswith("/" + entry["fn"]))
        names = [e["name"] for e in link]
        self.assertLess(names.index("python"), names.index("numpy"))  # dependencies first

    def test_human_plan(self):
        result = self.create("--dry-run", "numpy")
        self.assert_ok(result)
        text = result.stdout.replace(self.root, "<root>").replace(CHANNEL_1, "<channel-1>")
        # The rule under the header is as wide as the real channel path, which differs
        # between checkouts; the columns before it do not depend on it.
        text = re.sub("─+", "─" * 8, text)
        self.assert_golden("create/numpy_channel_1.txt", text)

    def test_missing_archive_fails_and_leaves_no_environment(self):
        # conda's test channel has repodata only: the archives it lists are not there.
        result = self.create("-y", "numpy")
        self.assert_fails(result, "does not exist")
        self.assertFalse(os.path.exists(os.path.join(self.root, "envs", "t")))

    def test_cuda_driver_too_old_is_explained(self):
        result = self.create("--dry-run", "cudatoolkit", env={"CONDA_OVERRIDE_CUDA": "8.0", "CENV_OVERRIDE_CUDA": "8.0"})
        self.assert_fails(result, "cudatoolkit")
        self.assertIn("but this machine provides __cuda 8.0", result.stderr)
        self.assertIn("CONDA_OVERRIDE_CUDA=", result.stderr)

    def test_cuda_override_selects_the_toolkit(self):
        result = self.create("--dry-run", "--json", "cudatoolkit",
                             env={"CONDA_OVERRIDE_CUDA": "9.2", "CENV_OVERRIDE_CUDA": "9.2"})
        self.assert_ok(result)
        self.assertEqual(dists(json.loads(result.stdout)["actions"]["LINK"]),
                         expected_dists(conda_case("test_solve/test_cuda_1/1")))

    def test_missing_package_suggests_a_name(self):
        result = self.create("--dry-run", "numpyy")
        self.assert_fails(result, "numpyy", "channel-1 (linux-64, noarch)")
        self.assertIn("did you mean 'numpy'", result.stderr)

    def test_json_failure_is_json(self):
        result = self.create("--dry-run", "--json", "python =2.7.5", "readline =5.0")
        self.assertEqual(result.returncode, 1)
        data = json.loads(result.stdout)
        self.assertFalse(data["success"])
        self.assertTrue(data["solver_problems"])
        # The same explanation as a tree: requests, the dependency on the way, the conflict.
        steps = data["problem_tree"][0]["steps"]
        self.assertEqual([s["kind"] for s in steps], ["request", "request", "depends", "conflict"])
        self.assertEqual((steps[2]["package"], steps[2]["spec"]), ("python 2.7.5 0", "readline 6.2"))
        self.assertEqual(steps[3]["package"], "readline")
        self.assertEqual([s["text"] for s in steps], data["solver_problems"])

    def test_json_missing_package_names_channels_and_suggestions(self):
        result = self.create("--dry-run", "--json", "numpyy")
        self.assertEqual(result.returncode, 1)
        data = json.loads(result.stdout)
        self.assertEqual(data["packages_not_found"], ["numpyy"])
        self.assertEqual(data["channels_searched"],
                         ["file://" + CHANNEL_1 + " (linux-64, noarch)"])
        self.assertEqual(data["suggestions"], ["numpy"])


class ExistingPrefix(EnvCommandTest):
    def run_in(self, command, prefix, *args):
        return run_cenv(command, "-r", self.root, "-p", prefix, "--dry-run", "--json", *args,
                        env=self.env)

    def test_force_reinstall_relinks_exactly_the_package(self):
        case = conda_case("test_solve/test_force_reinstall_1/3")
        prefix = self.make_prefix(case)
        result = self.run_in("install", prefix, "-c", CHANNEL_1, "--platform", "linux-64",
                             "--force-reinstall", *case["specs"])
        self.assert_ok(result)
        actions = json.loads(result.stdout)["actions"]
        self.assertEqual(dists(actions["LINK"]), expected_dists(case, "link"))
        self.assertEqual(dists(actions["UNLINK"]), expected_dists(case, "unlink"))

    def test_remove_takes_the_dependants_along(self):
        case = conda_case("test_solve/test_remove_with_constrained_dependencies/2")
        prefix = self.make_prefix(case)
        result = self.run_in("remove", prefix, *case["specs"])
        self.assert_ok(result)
        actions = json.loads(result.stdout)["actions"]
        self.assertEqual(actions["LINK"], [])
        self.assertTrue(expected_dists(case, "unlink_includes") <= dists(actions["UNLINK"]))

    def test_update_all_keeps_history_python(self):
        case = conda_case("test_solve/test_update_all_1/3")
        prefix = self.make_prefix(case)
        result = self.run_in("update", prefix, "--all", "-c", CHANNEL_1, "--platform",
                             "linux-64", "--channel-priority", "flexible", *case["specs"])
        self.assert_ok(result)
        actions = json.loads(result.stdout)["actions"]
        installed = {"%s-%s-%s" % (r["name"], r["version"], r["build"]) for r in case["installed"]}
        final = (installed - dists(actions["UNLINK"])) | dists(actions["LINK"])
        self.assertEqual(final, expected_dists(case))

    def test_human_plan_shows_changes(self):
        case = conda_case("test_solve/test_update_all_1/3")
        prefix = self.make_prefix(case)
        result = run_cenv("update", "-r", self.root, "-p", prefix, "--dry-run", "--all", "-c",
                          CHANNEL_1, "--platform", "linux-64", *case["specs"], env=self.env)
        self.assert_ok(result)
        self.assertIn("~ numpy", result.stdout)
        self.assertIn("1.5.1 -> 1.7.1", result.stdout)
        self.assertIn("+ numba", result.stdout)

    def test_history_conflict_is_explained(self):
        case = conda_case("test_solve/test_only_deps_2/3")
        prefix = self.make_prefix(case)
        result = run_cenv("install", "-r", self.root, "-p", prefix, "--dry-run", "-c", CHANNEL_1,
                          "--platform", "linux-64", "--only-deps", *case["specs"], env=self.env)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assert_golden("install/history_conflict.txt", result.stderr)

    def test_not_an_environment(self):
        result = self.run_in("install", os.path.join(self.root, "nothing"), "-c", CHANNEL_1,
                             "numpy")
        self.assert_fails(result, "not an environment")


if __name__ == "__main__":
    unittest.main()

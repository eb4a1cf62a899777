"""Environments from files and what can be read back from them, end to end with the real
binary: `cenv create -f environment.yml` from the fixture channel (tests/fixtures), its pip
section installed by the environment's own pip from a local PyPI-style index, `cenv list`,
`cenv env export` and `cenv list --explicit` round trips, `cenv env update`, `cenv env list`,
`cenv env remove`, and the errors of malformed files."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cenv_testing import CenvTestCase, PypiIndex, fixture_channel, run_cenv  # noqa: E402


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def conda_rows(listing):
    """(name, version, build, channel) of the conda packages of a `list --json`."""
    return sorted((p["name"], p["version"], p["build_string"], p["channel"])
                  for p in listing if p["channel"] != "pypi")


class Environments(CenvTestCase):
    """One root for the class: the environment `t` (python, pip, cenvhello and a pip wheel)
    is created once, and each test works on it or on environments of its own."""

    @classmethod
    def setUpClass(cls):
        cls.channel = fixture_channel()
        cls.home = tempfile.mkdtemp(prefix="cenv-environments-")
        cls.root = os.path.join(cls.home, "root")
        cls.index = PypiIndex(os.path.join(cls.home, "pypi"))
        cls.env = {"HOME": cls.home, "CENV_ROOT_PREFIX": cls.root, "CONDA_PREFIX": None,
                   "CENV_PIP_INDEX_URL": cls.index.url, "CONDA_OVERRIDE_CUDA": "",
                   "CENV_OVERRIDE_CUDA": ""}
        cls.project = os.path.join(cls.home, "project")
        # The pip section names a requirements file next to the environment file: pip must
        # run there, whatever the current folder is.
        write(os.path.join(cls.project, "requirements.txt"), "cenvpipdemo==0.1\n")
        write(os.path.join(cls.project, "environment.yml"),
              f"name: t\nchannels:\n  - {cls.channel}\ndependencies:\n  - python\n  - pip\n"
              "  - cenvhello\n  - pip:\n      - -r requirements.txt\nvariables:\n"
              "  HF_HOME: /data/hf\n")
        cls.created = run_cenv("create", "-f", os.path.join(cls.project, "environment.yml"),
                               "--override-channels", "-y", env=cls.env)
        cls.prefix = os.path.join(cls.root, "envs", "t")

    @classmethod
    def tearDownClass(cls):
        cls.index.__exit__(None, None, None)
        shutil.rmtree(cls.home, ignore_errors=True)

    def cenv(self, *args, env=None):
        full = dict(self.env)
        full.update(env or {})
        return run_cenv(*args, env=full)

    def list_json(self, name):
        result = self.cenv("list", "-n", name, "--json")
        self.assert_ok(result)
        return json.loads(result.stdout)

    def run_in(self, prefix, *argv):
        return subprocess.run([os.path.join(prefix, "bin", argv[0]), *argv[1:]],
                              capture_output=True, text=True, timeout=120,
                              env={"PATH": "/usr/bin:/bin", "HOME": self.home})

    def test_create_from_file_installs_conda_packages_then_the_pip_section(self):
        self.assert_ok(self.created)
        self.assertIn("pip installed: cenvpipdemo-0.1", self.created.stdout)
        demo = self.run_in(self.prefix, "python", "-m", "cenvpipdemo")
        self.assertEqual((demo.returncode, demo.stdout), (0, "cenvpipdemo 0.1\n"), demo.stderr)
        hello = self.run_in(self.prefix, "cenvhello")
        self.assertEqual(hello.stdout, f"cenvhello 1.0 from {self.prefix}\n", hello.stderr)
        self.assertEqual(sorted(os.listdir(self.project)), ["environment.yml", "requirements.txt"])
        with open(os.path.join(self.prefix, "conda-meta", "state")) as f:
            self.assertEqual(json.load(f)["env_vars"], {"HF_HOME": "/data/hf"})

    def test_list_json_has_conda_and_pip_packages_once(self):
        listing = self.list_json("t")
        by_name = {}
        for p in listing:
            by_name.setdefault(p["name"], []).append(p)
        self.assertEqual(sorted(by_name), ["cenvhello", "cenvpipdemo", "pip", "python", "zlib"])
        self.assertEqual(by_name["cenvpipdemo"], [{
            "base_url": "https://pypi.org/", "build_number": 0, "build_string": "pypi_0",
            "channel": "pypi", "dist_name": "cenvpipdemo-0.1-pypi_0", "name": "cenvpipdemo",
            "platform": "pypi", "version": "0.1"}])
        # pip's own .dist-info belongs to the conda package: listed once, from the channel.
        [pip] = by_name["pip"]
        self.assertEqual((pip["channel"], pip["base_url"], pip["platform"]),
                         (f"file://{self.channel}", f"file://{self.channel}", "noarch"))
        self.assertEqual(by_name["python"][0]["dist_name"],
                         f"python-{by_name['python'][0]['version']}-h_cenv_0")

    def test_list_human_output(self):
        result = self.cenv("list", "-n", "t")
        self.assert_ok(result)
        versions = {p["name"]: p["version"] for p in self.list_json("t")}
        text = result.stdout.replace(self.prefix, "<prefix>").replace(
            f"file://{self.channel}", "<channel>")
        for name in ("python", "pip", "zlib"):  # this machine's
            text = re.sub(rf"^( {name} +){re.escape(versions[name])}( +)",
                          lambda m: m.group(1) + "<v>" + " " * (len(versions[name]) - 3)
                          + m.group(2), text, flags=re.M)
        text = re.sub("─+", "───", text)  # the rule is as wide as the channel's path
        self.assert_golden("list/fixture_env.txt", text)

    def test_list_regex_and_no_pip(self):
        result = self.cenv("list", "-n", "t", "--json", "^(PY|cenvp)")
        self.assert_ok(result)
        self.assertEqual(sorted(p["name"] for p in json.loads(result.stdout)),
                         ["cenvpipdemo", "python"])
        no_pip = self.cenv("list", "-n", "t", "--json", "--no-pip")
        self.assertNotIn("cenvpipdemo", [p["name"] for p in json.loads(no_pip.stdout)])
        bad = self.cenv("list", "-n", "t", "(")
        self.assert_fails(bad, "'(' is not a regular expression")

    def test_export_round_trip(self):
        exported = self.cenv("env", "export", "-n", "t")
        self.assert_ok(exported)
        text = exported.stdout
        self.assertTrue(text.startswith(f"name: t\nchannels:\n  - file://{self.channel}\n"),
                        text)
        self.assertIn("  - cenvhello=1.0=pyh_cenv_0\n", text)
        self.assertIn("  - pip:\n      - cenvpipdemo==0.1\nvariables:\n  HF_HOME: /data/hf\n",
                      text)
        self.assertTrue(text.endswith(f"prefix: {self.prefix}\n"), text)
        path = os.path.join(self.home, "exported.yml")
        write(path, text)
        again = self.cenv("env", "create", "-n", "copy", "-f", path, "--override-channels", "-y")
        self.assert_ok(again)
        self.assertEqual(self.list_json("copy"), [
            dict(p) for p in self.list_json("t")])

    def test_export_from_history_and_no_builds(self):
        history = self.cenv("env", "export", "-n", "t", "--from-history")
        self.assert_ok(history)
        self.assertIn("dependencies:\n  - python\n  - pip\n  - cenvhello\n  - pip:\n"
                      "      - cenvpipdemo==0.1\n", history.stdout)
        no_builds = self.cenv("env", "export", "-n", "t", "--no-builds", "--json")
        self.assert_ok(no_builds)
        data = json.loads(no_builds.stdout)
        self.assertEqual(data["name"], "t")
        self.assertIn("cenvhello=1.0", data["dependencies"])
        self.assertEqual(data["dependencies"][-1], {"pip": ["cenvpipdemo==0.1"]})

    def test_explicit_round_trip_without_a_solve(self):
        listed = self.cenv("list", "-n", "t", "--explicit", "--md5")
        self.assert_ok(listed)
        self.assertIn("note: 1 package installed with pip is not in the explicit file",
                      listed.stderr)
        lines = listed.stdout.splitlines()
        self.assertEqual(lines[3:5], ["# platform: linux-64", "@EXPLICIT"])
        urls = [line for line in lines if not line.startswith(("#", "@"))]
        self.assertEqual(len(urls), 4)
        self.assertTrue(urls[0].startswith(f"file://{self.channel}/linux-64/zlib-"))  # deps first
        self.assertTrue(all(re.search(r"#[0-9a-f]{32}$", url) for url in urls), urls)
        path = os.path.join(self.home, "explicit.txt")
        write(path, listed.stdout)
        created = self.cenv("create", "-n", "exact", "--file", path, "-y")
        self.assert_ok(created)
        self.assertEqual(conda_rows(self.list_json("exact")), conda_rows(self.list_json("t")))
        # The records come from the packages themselves: python still depends on zlib.
        meta = os.path.join(self.root, "envs", "exact", "conda-meta")
        [python_record] = [f for f in os.listdir(meta) if f.startswith("python-")]
        with open(os.path.join(meta, python_record)) as f:
            self.assertEqual(json.load(f)["depends"], ["zlib >=1.2"])
        self.assertEqual(self.run_in(os.path.join(self.root, "envs", "exact"), "cenvhello")
                         .returncode, 0)

    def test_explicit_checksum_mismatch_installs_nothing(self):
        listed = self.cenv("list", "-n", "t", "--explicit", "--md5", "cenvhello")
        self.assert_ok(listed)
        path = os.path.join(self.home, "tampered.txt")
        write(path, re.sub(r"#[0-9a-f]{32}", "#" + "0" * 32, listed.stdout))
        result = self.cenv("create", "-n", "tampered", "--file", path, "-y")
        self.assert_fails(result, "cenvhello")
        self.assertFalse(os.path.exists(os.path.join(self.root, "envs", "tampered", "conda-meta")))

    def test_explicit_dry_run_plans_from_the_urls(self):
        listed = self.cenv("list", "-n", "t", "--explicit", "--sha256")
        path = os.path.join(self.home, "sha.txt")
        write(path, listed.stdout)
        self.assertTrue(all("#sha256:" in line for line in listed.stdout.splitlines()
                            if line.startswith("file://")))
        plan = self.cenv("create", "-n", "planned", "--file", path, "--dry-run", "--json")
        self.assert_ok(plan)
        data = json.loads(plan.stdout)
        self.assertEqual(sorted(p["name"] for p in data["actions"]["LINK"]),
                         ["cenvhello", "pip", "python", "zlib"])
        self.assertFalse(os.path.exists(os.path.join(self.root, "envs", "planned")))
        mixed = self.cenv("create", "-n", "mixed", "--file", path, "numpy")
        self.assert_fails(mixed, "explicit file")

    def test_env_update_adds_the_files_packages(self):
        path = os.path.join(self.home, "update.yml")
        write(path, f"name: upd\nchannels: [{self.channel}]\ndependencies:\n  - textprefix\n")
        created = self.cenv("env", "update", "-f", path, "--override-channels", "-y")
        self.assert_ok(created)  # created: it did not exist
        write(path, f"name: upd\nchannels: [{self.channel}]\ndependencies:\n  - textprefix\n"
                    "  - binprefix\n")
        updated = self.cenv("env", "update", "-f", path, "--override-channels", "-y")
        self.assert_ok(updated)
        prefix = os.path.join(self.root, "envs", "upd")
        probe = self.run_in(prefix, "binprefix")
        self.assertEqual(probe.stdout, f"prefix={prefix}\ndata={prefix}/share/binprefix\n")
        self.assertEqual(sorted(p["name"] for p in self.list_json("upd")),
                         ["binprefix", "textprefix"])

    def test_env_list_and_remove(self):
        path = os.path.join(self.home, "gone.yml")
        write(path, f"name: gone\nchannels: [{self.channel}]\ndependencies: [textprefix]\n")
        self.assert_ok(self.cenv("env", "create", "-f", path, "--override-channels", "-y"))
        prefix = os.path.join(self.root, "envs", "gone")
        registry = os.path.join(self.home, ".conda", "environments.txt")
        self.assertIn(prefix, read(registry).splitlines())

        listed = self.cenv("env", "list", "--json")
        self.assert_ok(listed)
        self.assertIn(prefix, json.loads(listed.stdout)["envs"])
        human = self.cenv("env", "list", env={"CONDA_PREFIX": prefix})
        self.assertRegex(human.stdout, rf"(?m)^ gone +\* +{re.escape(prefix)}$")

        active = self.cenv("env", "remove", "-n", "gone", "-y", env={"CONDA_PREFIX": prefix})
        self.assert_fails(active, "is the active environment")
        dry = self.cenv("env", "remove", "-n", "gone", "--dry-run")
        self.assert_ok(dry)
        self.assertEqual(dry.stdout, f"Would remove the environment {prefix} (1 package) "
                                     "(dry run: nothing was removed)\n")
        self.assertTrue(os.path.isdir(os.path.join(prefix, "conda-meta")))
        removed = self.cenv("env", "remove", "-n", "gone", "-y")
        self.assert_ok(removed)
        self.assertFalse(os.path.exists(prefix))
        self.assertEqual([n for n in os.listdir(os.path.dirname(prefix)) if "gone" in n], [])
        self.assertNotIn(prefix, read(registry).splitlines())
        self.assertNotIn(prefix, json.loads(self.cenv("env", "list", "--json").stdout)["envs"])
        again = self.cenv("env", "remove", "-n", "gone", "-y")
        self.assert_fails(again, "is not an environment")

    def test_dry_run_with_a_pip_section_changes_nothing(self):
        result = self.cenv("create", "-n", "dry", "-f",
                           os.path.join(self.project, "environment.yml"), "--override-channels",
                           "--dry-run")
        self.assert_ok(result)
        self.assertIn("note: then pip would install the pip section: -r requirements.txt",
                      result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.root, "envs", "dry")))

    def test_malformed_files_name_file_line_and_column(self):
        bad = os.path.join(self.home, "bad.yml")
        write(bad, "name: bad\ndependencies:\n  - python\n  - numpy >>1\n")
        result = self.cenv("create", "-f", bad, "--dry-run")
        self.assert_fails(result, f"{bad}:4:5:")
        misspelt = os.path.join(self.home, "misspelt.yml")
        write(misspelt, "name: m\ndependecies:\n  - python\n")
        result = self.cenv("env", "create", "-f", misspelt, "--dry-run")
        self.assert_fails(result, f"{misspelt}:2:1: unknown key 'dependecies': did you mean "
                                  "'dependencies'?")
        self.assertIn("hint: the keys of an environment.yml are", result.stderr)
        nameless = os.path.join(self.home, "nameless.yml")
        write(nameless, "dependencies: [python]\n")
        self.assert_fails(self.cenv("env", "create", "-f", nameless, "--dry-run"),
                          "has no name")
        missing = self.cenv("env", "create", "-f", os.path.join(self.home, "nope.yml"))
        self.assert_fails(missing, "nope.yml")


if __name__ == "__main__":
    unittest.main()

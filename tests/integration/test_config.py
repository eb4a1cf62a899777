"""`cenv config ...` against a temporary HOME: listing with sources, editing ~/.cenvrc
(comments kept, atomic, malformed files untouched), mirror presets, token redaction."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cenv_testing import CENV, TUNA_CONDARC, CenvTestCase  # noqa: E402


class ConfigTest(CenvTestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.home = self._tmp.name
        self.env = {"HOME": self.home, "CENV_ROOT_PREFIX": os.path.join(self.home, "root")}
        self.rc = os.path.join(self.home, ".cenvrc")

    def tearDown(self):
        self._tmp.cleanup()

    def cenv(self, *args):
        """Runs cenv with only this test's settings: no CENV_*/CONDA_* variables leak in."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CENV_", "CONDA_")) and k != "CONDARC"}
        env.update(self.env)
        return subprocess.run([CENV, *args], capture_output=True, text=True, env=env, timeout=60)

    def write(self, name, text):
        path = os.path.join(self.home, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def read(self, name=".cenvrc"):
        with open(os.path.join(self.home, name)) as f:
            return f.read()

    def test_list_sources_names_file_and_line(self):
        condarc = self.write(".condarc", TUNA_CONDARC)
        self.write(".cenvrc", "# mine\nchannel_priority: flexible\n")
        result = self.cenv("config", "list", "--sources")
        self.assert_ok(result)
        self.assertIn(f"channel_priority: flexible  # {self.rc}:2:1", result.stdout)
        self.assertIn(f"channels:  # {condarc}:1:1", result.stdout)
        self.assertIn("offline: false  # default", result.stdout)
        data = json.loads(self.cenv("config", "list", "--json", "--sources").stdout)
        self.assertEqual(data["channel_priority"], {"value": "flexible", "source": f"{self.rc}:2:1"})
        self.assertEqual(data["custom_channels"]["value"]["pytorch"], "https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud")

    def test_environment_beats_files(self):
        self.write(".cenvrc", "download_threads: 3\n")
        self.env["CENV_DOWNLOAD_THREADS"] = "7"
        result = self.cenv("config", "get", "download_threads", "--sources")
        self.assert_ok(result)
        self.assertEqual(result.stdout, "7  # env CENV_DOWNLOAD_THREADS\n")

    def test_edits_keep_comments_and_unknown_keys(self):
        original = "# my settings\nchannels:\n  - conda-forge  # the main one\n\n# for conda\nauto_activate_base: false\n"
        self.write(".cenvrc", original)
        self.assert_ok(self.cenv("config", "append", "channels", "bioconda"))
        self.assert_ok(self.cenv("config", "set", "channel_priority", "strict"))
        text = self.read()
        self.assertTrue(text.startswith("# my settings\n"), text)
        self.assertIn("# for conda\nauto_activate_base: false\n", text)
        self.assertIn("channel_priority: strict", text)
        self.assertEqual(self.cenv("config", "get", "channels").stdout, "conda-forge\nbioconda\n")
        self.assert_ok(self.cenv("config", "remove", "channels", "conda-forge"))
        self.assertEqual(self.cenv("config", "get", "channels").stdout, "bioconda\n")
        self.assert_ok(self.cenv("config", "remove-key", "channels"))
        self.assertNotIn("channels", self.read())
        self.assertEqual([f for f in os.listdir(self.home) if f.startswith(".cenvrc.")], [])

    def test_malformed_file_is_reported_and_untouched(self):
        bad = "channels: [conda-forge\noffline: true\n"
        self.write(".cenvrc", bad)
        for args in (("config", "set", "offline", "false"), ("config", "list"), ("config", "mirror", "use", "tuna")):
            result = self.cenv(*args)
            self.assert_fails(result, f"{self.rc}:", "malformed YAML")
        self.assertEqual(self.read(), bad)

    def test_bad_values_are_refused(self):
        self.assert_fails(self.cenv("config", "set", "offline", "perhaps"), "'offline' must be true or false")
        self.assert_fails(self.cenv("config", "set", "nonsense", "1"), "unknown setting 'nonsense'")
        self.assertFalse(os.path.exists(self.rc))

    def test_file_option(self):
        other = os.path.join(self.home, "sub", "rc.yml")
        self.assert_ok(self.cenv("config", "set", "offline", "true", "--file", other))
        with open(other) as f:
            self.assertEqual(f.read(), "offline: true\n")

    def test_mirror_use_list_off(self):
        self.write(".cenvrc", "# keep me\nchannels: [conda-forge]\n")
        result = self.cenv("config", "mirror", "use", "tuna", "sustech", "--pip")
        self.assert_ok(result)
        self.assertIn("tuna, sustech", result.stdout)
        text = self.read()
        self.assertTrue(text.startswith("# keep me\nchannels: [conda-forge]\n"), text)
        mirrors = json.loads(self.cenv("config", "get", "mirrors", "--json").stdout)
        self.assertEqual(mirrors["https://conda.anaconda.org/conda-forge"], ["https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud/conda-forge"])
        self.assertEqual(mirrors["https://conda.anaconda.org/nvidia"], ["https://mirrors.sustech.edu.cn/anaconda-extra/cloud/nvidia"])
        self.assertNotIn("https://conda.anaconda.org/conda-forge/label/dev", mirrors)
        self.assertEqual(self.cenv("config", "get", "pip_index_url").stdout, "https://pypi.tuna.tsinghua.edu.cn/simple\n")
        listed = json.loads(self.cenv("config", "mirror", "list", "--json").stdout)
        in_use = sorted(p["name"] for p in listed if p["in_use"])
        self.assertEqual(in_use, ["sustech", "tuna"])
        table = self.cenv("config", "mirror", "list").stdout
        self.assertIn("* tuna", table)
        self.assert_ok(self.cenv("config", "mirror", "off", "--pip"))
        self.assertEqual(self.read(), "# keep me\nchannels: [conda-forge]\n")
        self.assert_fails(self.cenv("config", "mirror", "use", "nowhere"), "unknown mirror preset 'nowhere'")

    def test_tokens_are_redacted_in_every_output(self):
        secret = "tk-12345-SECRET"
        self.write(".cenvrc", f"channels:\n  - https://conda.anaconda.org/t/{secret}/private\n"
                              f"channel_alias: https://user:pw-SECRET@conda.example.com\n"
                              f"custom_channels:\n  corp: https://conda.anaconda.org/t/{secret}\n"
                              f"mirrors:\n  https://conda.anaconda.org/t/{secret}/private:\n    - https://m/t/{secret}/private\n")
        outputs = [self.cenv("config", "list"), self.cenv("config", "list", "--sources"),
                   self.cenv("config", "list", "--json"), self.cenv("config", "list", "--json", "--sources"),
                   self.cenv("config", "get", "channels"), self.cenv("config", "get", "mirrors", "--json"),
                   self.cenv("config", "get", "channel_alias"),
                   self.cenv("search", "numpy", "--offline"),
                   self.cenv("create", "-p", os.path.join(self.home, "e"), "numpy", "--dry-run", "--offline")]
        for result in outputs:
            self.assertNotIn("SECRET", result.stdout + result.stderr)
        self.assertIn("/t/<TOKEN>/private", outputs[0].stdout)
        self.assertIn("user:<PASSWORD>@conda.example.com", outputs[6].stdout)

    def test_create_takes_channels_and_priority_from_settings(self):
        # Offline with nothing cached, the configured channel and its mirror are named.
        condarc = self.write(".condarc", TUNA_CONDARC)
        result = self.cenv("create", "-p", os.path.join(self.home, "env"), "python", "--dry-run", "--offline")
        self.assert_fails(result, "offline: no cached index", "mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main")
        self.assertTrue(os.path.exists(condarc))

    def test_channels_from_a_tuna_condarc(self):
        self.write(".condarc", TUNA_CONDARC)
        result = self.cenv("config", "channels", "--platform", "linux-64", "--json")
        self.assert_ok(result)
        channels = json.loads(result.stdout)
        self.assertEqual([c["channel"] for c in channels],
                         ["https://repo.anaconda.com/pkgs/main", "https://repo.anaconda.com/pkgs/r", "https://repo.anaconda.com/pkgs/msys2"])
        self.assertEqual(channels[0]["subdirs"]["linux-64"],
                         ["https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main/linux-64", "https://repo.anaconda.com/pkgs/main/linux-64"])
        forge = json.loads(self.cenv("config", "channels", "-c", "conda-forge", "-c", "nvidia", "--override-channels", "--json").stdout)
        self.assertEqual(forge[0]["mirrors"], ["https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud/conda-forge"])
        self.assertEqual(forge[1]["mirrors"], [])
        # mirror_only leaves the canonical URL out where a mirror exists.
        self.env["CENV_MIRROR_ONLY"] = "true"
        only = json.loads(self.cenv("config", "channels", "-c", "pytorch", "--override-channels", "--platform", "osx-arm64", "--json").stdout)
        self.assertEqual(only[0]["subdirs"]["osx-arm64"], ["https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud/pytorch/osx-arm64"])

    def test_mirror_list_golden(self):
        self.assert_golden("config/mirror_list.txt", self.cenv("config", "mirror", "list").stdout)

    def test_help_has_examples(self):
        for args in (("config", "--help"), ("config", "mirror", "--help"), ("config", "set", "--help")):
            result = self.cenv(*args)
            self.assert_ok(result)
            self.assertIn("Examples:", result.stdout)


if __name__ == "__main__":
    unittest.main()

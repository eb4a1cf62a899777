"""`cenv info`: virtual packages with their sources, the driver and GPUs behind __cuda."""

import json
import os
import shutil
import tempfile
import unittest

from cenv_testing import CenvTestCase, run_cenv

STUBS = os.environ.get("CENV_DRIVER_STUBS", "build/tests/unit/system/stubs")


class InfoTest(CenvTestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="cenv-info-")
        self.addCleanup(shutil.rmtree, self.root)
        # No real driver and no nvidia-smi on PATH unless a test provides a stub.
        self.env = {"CENV_ROOT_PREFIX": self.root, "PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": "",
                    "CENV_OVERRIDE_CUDA": None, "CONDA_OVERRIDE_CUDA": None}

    def info_json(self, **extra):
        result = run_cenv("info", "--json", env={**self.env, **extra})
        self.assert_ok(result)
        return json.loads(result.stdout)

    def test_override_names_its_variable(self):
        info = self.info_json(CONDA_OVERRIDE_CUDA="12.1", CENV_OVERRIDE_GLIBC="2.17")
        self.assertIn("__cuda=12.1=0", info["virtual packages"])
        self.assertIn("__glibc=2.17=0", info["virtual packages"])
        self.assertIn(["__cuda", "12.1", "0"], info["virtual_pkgs"])
        self.assertEqual(info["virtual package sources"]["__cuda"], "override CONDA_OVERRIDE_CUDA")
        self.assertEqual(info["virtual package sources"]["__glibc"], "override CENV_OVERRIDE_GLIBC")

    def test_empty_override_means_no_cuda(self):
        info = self.info_json(CENV_OVERRIDE_CUDA="", CONDA_OVERRIDE_CUDA="12.1")
        names = [triple[0] for triple in info["virtual_pkgs"]]
        self.assertNotIn("__cuda", names)
        self.assertIn("__unix", names)
        self.assertIn("__linux", names)

    def test_paths_follow_the_root_prefix(self):
        info = self.info_json()
        self.assertEqual(info["root prefix"], self.root)
        self.assertEqual(info["envs directories"], [os.path.join(self.root, "envs")])
        self.assertEqual(info["package cache"], [os.path.join(self.root, "pkgs")])
        other = os.path.join(self.root, "other")
        result = run_cenv("info", "--json", "-r", other, env=self.env)
        self.assert_ok(result)
        self.assertEqual(json.loads(result.stdout)["root prefix"], other)

    def test_driver_from_stub_nvml_then_cache(self):
        stub = os.path.join(STUBS, "nvml_ok")
        info = self.info_json(LD_LIBRARY_PATH=stub)
        self.assertIn("__cuda=12.2=0", info["virtual packages"])
        self.assertTrue(info["virtual package sources"]["__cuda"].startswith("NVML ("))
        cuda = info["cuda"]
        self.assertEqual(cuda["driver_version"], "535.104.05")
        self.assertEqual(cuda["gpus"], [{"name": "NVIDIA GeForce RTX 3090", "compute_capability": "8.6"}])
        self.assertFalse(cuda["from_cache"])
        again = self.info_json(LD_LIBRARY_PATH=stub)["cuda"]
        self.assertTrue(again["from_cache"])
        self.assertEqual(again["gpus"], cuda["gpus"])

        text = run_cenv("info", "-v", env={**self.env, "LD_LIBRARY_PATH": stub})
        self.assert_ok(text)
        self.assertIn("NVIDIA driver : 535.104.05 (supports CUDA 12.2)", text.stdout)
        self.assertIn("0: NVIDIA GeForce RTX 3090, compute capability 8.6", text.stdout)
        self.assertIn("cache (", text.stdout)

    def test_no_driver_is_said_plainly(self):
        result = run_cenv("info", env=self.env)
        self.assert_ok(result)
        self.assertIn("NVIDIA driver : none found", result.stdout)
        self.assertNotIn("__cuda=", result.stdout)


if __name__ == "__main__":
    unittest.main()

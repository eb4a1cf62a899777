"""`torch=cu121`, `torch=cpu` and a bare `pytorch` on the real pytorch channel snapshot (with
generated deps/nvidia channels, see torch_channels.py) and on a conda-forge-style channel,
under CONDA_OVERRIDE_CUDA = 12.4, 12.1, 12.0, 11.8 and empty (no GPU).

What must hold is asserted here (a CUDA request never yields a CPU build, the driver limit is
never exceeded); the wording of every message is in tests/golden/cuda/.
"""

import json
import os
import re
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cenv_testing import CENV, FIXTURES, CenvTestCase  # noqa: E402
import subprocess  # noqa: E402
import torch_channels  # noqa: E402

PYTORCH = os.path.join(FIXTURES, "channels", "pytorch")
OVERRIDES = ["12.4", "12.1", "12.0", "11.8", ""]
SPECS = ["torch=cu121", "torch=cu118", "torch=cpu", "pytorch"]


DRIVER_STUBS = os.environ.get("CENV_DRIVER_STUBS", "")


def run(root, channels, specs, cuda, *extra, driver=None):
    """cenv create --dry-run; `cuda` is CONDA_OVERRIDE_CUDA, or None for no override, with
    `driver` the stub driver folder (tests/unit/system/stubs) the loader finds first."""
    env = dict(os.environ)
    env.pop("CENV_OVERRIDE_CUDA", None)
    env.pop("CONDA_OVERRIDE_CUDA", None)
    if cuda is not None:
        env["CONDA_OVERRIDE_CUDA"] = cuda
    if driver is not None:
        env["LD_LIBRARY_PATH"] = os.path.join(DRIVER_STUBS, driver)
        env["PATH"] = "/nonexistent"  # no real nvidia-smi
        args_cenv = os.path.abspath(CENV)
    else:
        args_cenv = CENV
    args = [args_cenv, "create", "-r", root, "-n", "t", "--dry-run", "--platform", "linux-64"]
    for c in channels:
        args += ["-c", c]
    return subprocess.run(args + list(extra) + ["python=3.10"] + specs, capture_output=True,
                          text=True, env=env, timeout=120)


class CudaVariants(CenvTestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cenv-cuda-")
        cls.channels = torch_channels.write_all(os.path.join(cls.tmp, "channels"))
        cls.root = os.path.join(cls.tmp, "root")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def normalise(self, text):
        text = text.replace(self.tmp, "<tmp>").replace(PYTORCH, "<pytorch>")
        return re.sub("─+", "─" * 8, text)

    def solve(self, channels, specs, cuda, *extra):
        """(status, {name: (version, build)}, JSON, stderr): a JSON dry run, and the human
        stderr of the same command."""
        result = run(self.root, channels, specs, cuda, "--json", *extra)
        data = json.loads(result.stdout)
        linked = {e["name"]: (e["version"], e["build_string"])
                  for e in data.get("actions", {}).get("LINK", [])}
        human = run(self.root, channels, specs, cuda, *extra)
        self.assertEqual(human.returncode, result.returncode, human.stderr)
        self.assertNotIn("terminate called", human.stderr)
        return result.returncode, linked, data, human.stderr

    def matrix(self, channels, golden):
        lines = []
        for spec in SPECS:
            for cuda in OVERRIDES:
                status, linked, data, stderr = self.solve(channels, [spec], cuda)
                build = linked.get("pytorch", ("-", "-"))
                runtime = linked.get("cuda-version", ("-",))[0]
                lines.append("$ CONDA_OVERRIDE_CUDA=%s cenv create --dry-run python=3.10 %s"
                             % (cuda, spec))
                lines.append("status %d; pytorch %s %s; cuda-version %s"
                             % (status, build[0], build[1], runtime))
                lines.extend(self.normalise(stderr).rstrip("\n").split("\n") if stderr else [])
                lines.append("")
                self.check_invariants(spec, cuda, status, linked, data)
        self.assert_golden(golden, "\n".join(lines))

    def check_invariants(self, spec, cuda, status, linked, data):
        where = "%s with CONDA_OVERRIDE_CUDA=%r" % (spec, cuda)
        if status != 0:
            self.assertFalse(data["success"], where)
            return
        build = linked["pytorch"][1]
        if spec.startswith("torch=cu"):
            wanted = {"cu121": "12.1", "cu118": "11.8"}[spec.split("=")[1]]
            self.assertIn("cuda", build, where)  # never a silent CPU build
            self.assertTrue(data["spec_expansions"], where)
            if "cuda-version" in linked:
                self.assertTrue(linked["cuda-version"][0].startswith(wanted), where)
        if spec == "torch=cpu":
            self.assertIn("cpu", build, where)
        if "cuda-version" in linked:
            # The driver limit: never a runtime of a newer major than __cuda.
            self.assertTrue(cuda, where)
            self.assertLessEqual(int(linked["cuda-version"][0].split(".")[0]),
                                 int(cuda.split(".")[0]), where)
        if spec == "pytorch":
            self.assertEqual("cuda" in build, bool(cuda), where)  # fits the machine
            # One line says which variant was chosen and how to choose another.
            chosen = [n for n in data["variant_notes"] if n.startswith("pytorch: chose the ")]
            self.assertEqual(len(chosen), 1, where)
            self.assertIn("pytorch=c", chosen[0], where)

    def test_pytorch_channel(self):
        self.matrix([PYTORCH, self.channels["nvidia"], self.channels["deps"]],
                    "cuda/pytorch_channel.txt")

    def test_conda_forge_route(self):
        self.matrix([self.channels["cf"], self.channels["deps"]], "cuda/conda_forge.txt")

    def test_mirror_without_nvidia_points_at_conda_forge(self):
        status, _, data, stderr = self.solve([PYTORCH, self.channels["deps"]], ["torch=cu121"],
                                             "12.4")
        self.assertEqual(status, 1)
        self.assertIn("conda-forge", data["variant_problem"]["hint"])
        self.assertNotIn("cuda-cudart not found", stderr)
        self.assert_golden("cuda/mirror_without_nvidia.txt", self.normalise(stderr))

    def test_strict_priority_hiding_conda_forge_is_said(self):
        channels = [PYTORCH, self.channels["cf"], self.channels["deps"]]
        status, _, data, stderr = self.solve(channels, ["torch=cu121"], "12.4")
        self.assertEqual(status, 1)
        self.assertIn("strict channel priority hides", data["variant_problem"]["message"])
        self.assert_golden("cuda/strict_priority.txt", self.normalise(stderr))
        status, linked, data, _ = self.solve(channels, ["torch=cu121"], "12.4",
                                             "--channel-priority", "flexible")
        self.assertEqual(status, 0)
        self.assertEqual(data["spec_expansions"][0]["route"], "conda-forge")
        self.assertTrue(linked["pytorch"][1].startswith("cuda120_"))
        status, linked, _, _ = self.solve([self.channels["cf"], PYTORCH, self.channels["deps"]],
                                          ["torch=cu121"], "12.4")
        self.assertEqual(status, 0)
        self.assertTrue(linked["pytorch"][1].startswith("cuda120_"))

    def test_variant_missing_from_channels(self):
        status, _, data, stderr = self.solve(
            [PYTORCH, self.channels["nvidia"], self.channels["deps"]], ["torch=cu124"], "12.4")
        self.assertEqual(status, 1)
        self.assertEqual(data["variant_problem"]["message"],
                         "'torch=cu124': no CUDA 12.4 build of pytorch in the channels in use")
        self.assert_golden("cuda/missing_variant.txt", self.normalise(stderr))

    def test_version_and_variant(self):
        status, linked, data, _ = self.solve(
            [PYTORCH, self.channels["nvidia"], self.channels["deps"]], ["torch=2.0=cu118"], "12.4")
        self.assertEqual(status, 0)
        self.assertEqual(linked["pytorch"][0], "2.0.1")
        self.assertIn("cuda11.8", linked["pytorch"][1])
        self.assertEqual(data["spec_expansions"][0]["solved_as"],
                         ["pytorch=2.0[build=*_cuda11.8*]", "pytorch-cuda=11.8"])

    @unittest.skipUnless(DRIVER_STUBS and os.path.isdir(os.path.join(DRIVER_STUBS, "driver_525")),
                         "stub drivers not built (CENV_DRIVER_STUBS)")
    def test_detected_driver_is_named(self):
        channels = [PYTORCH, self.channels["nvidia"], self.channels["deps"]]
        out = []
        for driver in ("driver_525", "driver_520"):
            result = run(self.root, channels, ["torch=cu121"], None, driver=driver)
            self.assertNotIn("terminate called", result.stderr)
            out.append("$ %s: cenv create --dry-run python=3.10 torch=cu121" % driver)
            out.append("status %d" % result.returncode)
            out.extend(self.normalise(result.stderr).rstrip("\n").split("\n"))
            out.append("")
        text = "\n".join(out)
        self.assertIn("driver 525.60.13 -> CUDA 12.0", text)
        self.assertIn("detected: driver 520.61.05 -> CUDA 11.8", text)
        self.assert_golden("cuda/detected_driver.txt", text)

    def test_remove_understands_the_alias(self):
        prefix = os.path.join(self.tmp, "env-remove")
        os.makedirs(os.path.join(prefix, "conda-meta"), exist_ok=True)
        for name, version, build in (("pytorch", "2.1.0", "py3.10_cpu_0"),
                                     ("python", "3.10.13", "h955ad1f_0")):
            rec = torch_channels.record(name, version, build)
            rec.update({"channel": "file://" + PYTORCH, "fn": "%s-%s-%s.conda" % (name, version, build)})
            with open(os.path.join(prefix, "conda-meta", "%s-%s-%s.json" % (name, version, build)), "w") as f:
                json.dump(rec, f)
        result = subprocess.run([CENV, "remove", "-p", prefix, "--dry-run", "--json", "torch"],
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        data = json.loads(result.stdout)
        self.assertEqual([e["name"] for e in data["actions"]["UNLINK"]], ["pytorch"])
        self.assertEqual(data["spec_expansions"][0]["solved_as"], ["pytorch"])

    def test_help_has_an_example(self):
        for command in ("create", "install"):
            result = subprocess.run([CENV, command, "--help"], capture_output=True, text=True)
            self.assertIn("torch=cu121", result.stdout, command)


if __name__ == "__main__":
    unittest.main()

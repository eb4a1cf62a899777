"""`cenv doctor` on fixture environments written here (conda records, pip dist-info, torch's
version.py and a stub libtorch_python.so, nvidia wheels), stub NVIDIA drivers
(tests/unit/system/stubs), a stub nvcc on PATH and fixture LD_LIBRARY_PATH directories.

The human report is compared with golden files (tests/golden/doctor); --json is asserted
field by field.
"""

import json
import os
import shutil
import stat
import subprocess
import tempfile
import unittest

from cenv_testing import CENV, CenvTestCase, run_cenv
from served_channels import RemoteTestCase, refused_url

DRIVERS = os.environ.get("CENV_DRIVER_STUBS", "build/tests/unit/system/stubs")
TORCH_LIBS = os.environ.get("CENV_TORCH_STUBS", "build/tests/unit/doctor/stubs")
SP = "lib/python3.10/site-packages"


def write(path, text=""):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class Env:
    """A fixture environment: conda records, pip distributions, torch's files."""

    def __init__(self, prefix):
        self.prefix = prefix
        os.makedirs(os.path.join(prefix, "conda-meta"), exist_ok=True)

    def conda(self, name, version, build, channel="https://conda.anaconda.org/pytorch/linux-64",
              files=()):
        record = {"name": name, "version": version, "build": build, "build_number": 0,
                  "channel": channel, "files": list(files)}
        write(os.path.join(self.prefix, "conda-meta", f"{name}-{version}-{build}.json"),
              json.dumps(record))
        for f in files:
            if not os.path.exists(os.path.join(self.prefix, f)):
                write(os.path.join(self.prefix, f))
        return self

    def pip(self, name, version, installer="pip", files=()):
        info = f"{SP}/{name.replace('-', '_')}-{version}.dist-info"
        write(os.path.join(self.prefix, info, "METADATA"),
              f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        if installer is not None:
            write(os.path.join(self.prefix, info, "INSTALLER"), installer + "\n")
        rows = [f + ",," for f in files] + [f"{os.path.basename(info)}/RECORD,,"]
        write(os.path.join(self.prefix, info, "RECORD"), "\n".join(rows) + "\n")
        return info

    def torch_files(self, version, cuda, lib=None, where=SP + "/torch/lib"):
        """torch/version.py (cuda None for a CPU build) and a stub libtorch_python.so."""
        write(os.path.join(self.prefix, SP, "torch/version.py"),
              "from typing import Optional\n\n"
              f"__version__ = '{version}'\ndebug = False\n"
              f"cuda: Optional[str] = {repr(cuda) if cuda else 'None'}\n"
              "hip: Optional[str] = None\n")
        if lib:
            os.makedirs(os.path.join(self.prefix, where), exist_ok=True)
            shutil.copyfile(os.path.join(TORCH_LIBS, lib, "libtorch_python.so"),
                            os.path.join(self.prefix, where, "libtorch_python.so"))
        return self

    def libraries(self, folder, *names):
        for name in names:
            write(os.path.join(self.prefix, folder, name))
        return self


class DoctorTest(CenvTestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cenv-doctor-")
        self.addCleanup(shutil.rmtree, self.tmp)
        self.root = os.path.join(self.tmp, "root")
        self.bin = os.path.join(self.tmp, "bin")
        os.makedirs(self.bin)
        os.makedirs(os.path.join(self.tmp, "home"))
#No real driver, nvidia - smi or nvcc unless a test provides a stub; no user settings.
        self.env = {"CENV_ROOT_PREFIX": self.root, "HOME": os.path.join(self.tmp, "home"),
                    "PATH": self.bin + ":/usr/bin:/bin", "LD_LIBRARY_PATH": "",
                    "CENV_OVERRIDE_CUDA": None, "CONDA_OVERRIDE_CUDA": None, "CONDA_PREFIX": None,
                    "CONDARC": None}

    def environment(self, name):
        return Env(os.path.join(self.root, "envs", name))

    def driver(self, scenario, *more):
        self.env["LD_LIBRARY_PATH"] = ":".join([os.path.join(DRIVERS, scenario), *more])

    def nvcc(self, release, version):
        path = os.path.join(self.bin, "nvcc")
        write(path, "#!/bin/sh\necho 'nvcc: NVIDIA (R) Cuda compiler driver'\n"
                    f"echo 'Cuda compilation tools, release {release}, V{version}'\n")
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)

    def doctor(self, *args, status=None, **extra):
        result = run_cenv("doctor", *args, env={**self.env, **extra})
        self.assertNotIn("terminate called", result.stderr)
        if status is not None:
            self.assertEqual(result.returncode, status, result.stdout + result.stderr)
        return result

    def doctor_json(self, *args, status=0):
        result = self.doctor("--json", *args, status=status)
        return json.loads(result.stdout)

    def golden(self, name, result):
        text = (result.stdout.replace(self.tmp, "<tmp>")
                .replace(os.path.abspath(DRIVERS), "<drivers>").replace(DRIVERS, "<drivers>"))
        self.assert_golden("doctor/" + name, text)

    @staticmethod
    def finding(data, check, index=0):
        found = [f for f in data["findings"] if f["check"] == check]
        return found[index] if len(found) > index else None

    def test_machine_without_gpu(self):
        result = self.doctor(status=0)
        self.golden("no_gpu_machine.txt", result)
        data = self.doctor_json()
        self.assertTrue(data["success"])
        self.assertIsNone(data["machine"]["driver"])
        self.assertIsNone(data["environment"])
        gpu = self.finding(data, "gpu")
        self.assertEqual(gpu["status"], "info")
        self.assertIn("`CONDA_OVERRIDE_CUDA=12.1 cenv create -n NAME torch=cu121`", gpu["fix"])

    def test_a_driver_that_is_not_loaded(self):
        self.driver("nvml_init_error")
        result = self.doctor(status=0)
        self.golden("driver_not_loaded.txt", result)
        data = self.doctor_json()
        driver = self.finding(data, "driver")
        self.assertEqual(driver["status"], "warning")
        self.assertIn("NVML_ERROR_DRIVER_NOT_LOADED", driver["text"])
        self.assertIn("`sudo modprobe nvidia`", driver["fix"])
        self.assertIsNone(data["machine"]["driver"])

    def test_cpu_torch_on_a_gpu_machine(self):
        self.driver("nvml_ok")
        self.environment("cpu").conda("python", "3.10.14", "h955ad1f_0") \
            .conda("pytorch", "2.1.0", "py3.10_cpu_0").torch_files("2.1.0", None)
        result = self.doctor("-n", "cpu", status=1)
        self.golden("cpu_torch_on_gpu.txt", result)
        data = self.doctor_json("-n", "cpu", status=1)
        self.assertFalse(data["success"])
        self.assertEqual(data["errors"], 1)
        torch = self.finding(data, "torch")
        self.assertEqual(torch["status"], "error")
        self.assertIn("torch.cuda.is_available() will be False", torch["text"])
        self.assertEqual(torch["fix"], "`cenv install -n cpu torch=cu121`")
        self.assertEqual(data["machine"]["driver"]["driver_version"], "535.104.05")
        self.assertEqual(data["machine"]["driver"]["gpus"],
                         [{"name": "NVIDIA GeForce RTX 3090", "compute_capability": "8.6"}])
        self.assertEqual(data["environment"]["torch"][0]["kind"], "CPU")
        self.assertEqual(data["environment"]["torch_imported"]["cuda"], None)

    def test_runtime_newer_than_the_driver(self):
        self.driver("driver_530")
        self.environment("cu124").conda("python", "3.10.14", "h955ad1f_0") \
            .conda("pytorch", "2.4.0", "py3.10_cuda12.4_cudnn9.1.0_0") \
            .conda("pytorch-cuda", "12.4", "hc786d27_7") \
            .conda("cuda-cudart", "12.4.127", "0", channel="https://conda.anaconda.org/nvidia") \
            .libraries("lib", "libcudart.so.12", "libcudart.so.12.4.127") \
            .torch_files("2.4.0", "12.4", lib="cu121")
        result = self.doctor("-n", "cu124", status=0)
        self.golden("runtime_newer_than_driver.txt", result)
        data = self.doctor_json("-n", "cu124")
        runtime = self.finding(data, "cuda_runtime")
        self.assertEqual(runtime["status"], "warning")
        self.assertTrue(runtime["text"].startswith(
            "the environment's CUDA runtime 12.4 (conda cuda-cudart 12.4.127) needs driver ≥ "
            "550.54.14; this driver (530.30.02) supports CUDA 12.1"), runtime["text"])
        self.assertEqual(runtime["fix"],
                         "upgrade the driver to ≥ 550.54.14 or `cenv install -n cu124 torch=cu121`")
        env = data["environment"]
        self.assertEqual(env["cuda_runtime"], {"release": "12.4",
                                               "source": "conda cuda-cudart 12.4.127"})
        self.assertEqual(env["torch_archs"]["source"],
                         "lib/python3.10/site-packages/torch/lib/libtorch_python.so")
        self.assertIn("sm_86", env["torch_archs"]["archs"])
        self.assertEqual(self.finding(data, "torch_arch")["status"], "ok")

    def test_runtime_the_driver_matches_or_exceeds(self):
        self.environment("cu121").conda("pytorch", "2.1.0", "py3.10_cuda12.1_cudnn8.9.2_0") \
            .conda("pytorch-cuda", "12.1", "ha16c6d3_5").torch_files("2.1.0", "12.1", lib="cu121")
        for scenario, driver_cuda in (("driver_530", "12.1"), ("nvml_ok", "12.2")):
            self.driver(scenario)
            data = self.doctor_json("-n", "cu121", status=0)
            self.assertEqual(data["machine"]["driver"]["cuda_version"], driver_cuda)
            runtime = self.finding(data, "cuda_runtime")
            self.assertEqual(runtime["status"], "ok", scenario)
            self.assertEqual(runtime["text"], "CUDA runtime 12.1 (conda pytorch-cuda 12.1); the "
                                              "driver supports CUDA " + driver_cuda)
            self.assertEqual(data["errors"] + data["warnings"], 0, data["findings"])

    def test_runtime_of_a_newer_major_than_the_driver(self):
        self.driver("driver_520")
        self.environment("cu121").conda("pytorch", "2.1.0", "py3.10_cuda12.1_cudnn8.9.2_0") \
            .conda("pytorch-cuda", "12.1", "ha16c6d3_5")
        data = self.doctor_json("-n", "cu121", status=1)
        runtime = self.finding(data, "cuda_runtime")
        self.assertEqual(runtime["status"], "error")
        self.assertIn("(≥ 525.60.13 for any CUDA 12.x through minor-version compatibility)",
                      runtime["text"])
        self.assertEqual(runtime["fix"],
                         "upgrade the driver to ≥ 530.30.02 or `cenv install -n cu121 torch=cu118`")
#Without torch / version.py or the library, the table knows the build's architectures.
        self.assertEqual(data["environment"]["torch_archs"]["source"],
                         "cenv's table of pytorch.org CUDA 12.1 builds")
        self.assertEqual(data["environment"]["torch_archs"]["failure"], "no libtorch_python.so")

    def test_rtx_5090_and_a_build_without_sm_120(self):
        self.driver("driver_570_rtx5090")
        env = self.environment("blackwell")
        env.conda("python", "3.10.14", "h955ad1f_0")
        env.pip("torch", "2.5.1+cu124")
        env.pip("nvidia-cuda-runtime-cu12", "12.4.127",
                files=["nvidia/cuda_runtime/lib/libcudart.so.12"])
        env.libraries(SP + "/nvidia/cuda_runtime/lib", "libcudart.so.12")
        env.torch_files("2.5.1+cu124", "12.4", lib="cu121")
        result = self.doctor("-n", "blackwell", status=1)
        self.golden("rtx5090_old_build.txt", result)
        data = self.doctor_json("-n", "blackwell", status=1)
        arch = self.finding(data, "torch_arch")
        self.assertEqual(arch["status"], "error")
        self.assertIn("GPU 0 (NVIDIA GeForce RTX 5090, sm_120) is not among", arch["text"])
        self.assertEqual(arch["fix"], "install a build with sm_120: `pip uninstall torch`, then "
                                      "`cenv install -n blackwell torch=cu128`")
        env_json = data["environment"]
        self.assertEqual(env_json["cuda_runtime"]["source"],
                         "pip nvidia-cuda-runtime-cu12 12.4.127")
        self.assertEqual([t["installer"] for t in env_json["torch"]], ["pip"])
        self.assertEqual(env_json["torch"][0]["where"],
                         SP + "/torch-2.5.1+cu124.dist-info")
        self.assertEqual(env_json["cuda_libraries"], ["libcudart.so.12"])

#A newer build of the same torch, with sm_120 : nothing left to say about the GPU.
        env.torch_files("2.7.0+cu128", "12.8", lib="cu128")
        data = self.doctor_json("-n", "blackwell", status=0)
        self.assertEqual(self.finding(data, "torch_arch")["status"], "ok")

    def test_conda_forge_ptx_is_a_warning(self):
        self.driver("driver_570_rtx5090")
        self.environment("cf").conda("pytorch", "2.5.1", "cuda126_mkl_py312_h1234567_304",
                                     channel="https://conda.anaconda.org/conda-forge/linux-64") \
            .conda("cuda-version", "12.6", "h7480c83_3",
                   channel="https://conda.anaconda.org/conda-forge/noarch") \
            .torch_files("2.5.1", "12.6", lib="cf120", where="lib")
        data = self.doctor_json("-n", "cf", status=0)
        arch = self.finding(data, "torch_arch")
        self.assertEqual(arch["status"], "warning")
        self.assertIn("through PTX", arch["text"])
        self.assertEqual(data["environment"]["torch_archs"]["source"], "lib/libtorch_python.so")
        self.assertEqual(data["environment"]["torch"][0]["family"], "conda-forge")

    def test_torch_from_conda_and_pip(self):
        self.driver("nvml_ok")
        env = self.environment("mixed")
        egg = SP + "/torch-2.1.0-py3.10.egg-info/PKG-INFO"
        write(os.path.join(env.prefix, egg), "Metadata-Version: 1.1\nName: torch\nVersion: 2.1.0\n")
        env.conda("pytorch", "2.1.0", "py3.10_cuda12.1_cudnn8.9.2_0", files=[egg])
        env.conda("numpy", "1.26.4", "py310h5f9d8c6_0",
                  files=[SP + "/numpy-1.26.4.dist-info/RECORD"])
        env.pip("numpy", "1.26.4", installer="conda")
        env.pip("torch", "2.3.0+cu121")
        env.torch_files("2.3.0+cu121", "12.1", lib="cu121")
        result = self.doctor("-n", "mixed", status=1)
        self.golden("conda_and_pip_torch.txt", result)
        data = self.doctor_json("-n", "mixed", status=1)
        dup = self.finding(data, "torch_duplicates")
        self.assertEqual(dup["status"], "error")
        self.assertIn("conda pytorch 2.1.0 py3.10_cuda12.1_cudnn8.9.2_0 and pip torch 2.3.0+cu121",
                      dup["text"])
        self.assertIn("`pip uninstall torch`", dup["fix"])
        self.assertEqual([t["installer"] for t in data["environment"]["torch"]], ["conda", "pip"])

    def test_cuda_torch_without_a_gpu(self):
        self.environment("gpuenv").conda("pytorch", "2.1.0", "py3.10_cuda12.1_cudnn8.9.2_0") \
            .conda("pytorch-cuda", "12.1", "ha16c6d3_5")
        result = self.doctor("-n", "gpuenv", status=0)
        self.golden("cuda_torch_without_gpu.txt", result)
        data = self.doctor_json("-n", "gpuenv")
        torch = self.finding(data, "torch")
        self.assertEqual(torch["status"], "warning")
        self.assertIn("`cenv install -n gpuenv torch=cpu`", torch["fix"])
        self.assertEqual(self.finding(data, "cuda_runtime")["status"], "info")

    def test_nvcc_and_a_system_cuda_on_ld_library_path(self):
        system_cuda = os.path.join(self.tmp, "usr/local/cuda-12.0/lib64")
        for name in ("libcudart.so.12", "libcudart.so.12.0.107", "libcublas.so.12"):
            write(os.path.join(system_cuda, name))
        self.driver("nvml_ok", system_cuda, "/opt/other")
        self.nvcc("11.8", "11.8.89")
        self.environment("tool").conda("pytorch", "2.1.0", "py3.10_cuda12.1_cudnn8.9.2_0") \
            .conda("cuda-cudart", "12.1.105", "0", channel="https://conda.anaconda.org/nvidia") \
            .libraries("lib", "libcudart.so.12", "libcudart.so.12.1.105")
        result = self.doctor("-n", "tool", status=0)
        self.golden("nvcc_and_ld_library_path.txt", result)
        data = self.doctor_json("-n", "tool")
        nvcc = self.finding(data, "nvcc")
        self.assertEqual(nvcc["status"], "warning")
        self.assertIn("PyTorch refuses to build CUDA extensions", nvcc["text"])
        self.assertEqual(data["machine"]["nvcc"]["release"], "11.8")
        self.assertEqual(data["machine"]["nvcc"]["path"], os.path.join(self.bin, "nvcc"))
        shadow = self.finding(data, "ld_library_path")
        self.assertEqual(shadow["status"], "warning")
        self.assertIn(system_cuda + " (CUDA 12.0) ahead of the environment's libcudart.so.12",
                      shadow["text"])
        self.assertEqual(shadow["fix"], "`export LD_LIBRARY_PATH=%s:/opt/other`"
                         % os.path.join(DRIVERS, "nvml_ok"))
        dirs = data["machine"]["library_dirs"]
        self.assertEqual([d["dir"] for d in dirs], [system_cuda])
        self.assertEqual(dirs[0]["cudart"], "12.0")

    def test_active_environment_is_the_default(self):
        env = self.environment("active").conda("python", "3.10.14", "h955ad1f_0")
        result = self.doctor("--json", status=0, CONDA_PREFIX=env.prefix)
        data = json.loads(result.stdout)
        self.assertEqual(data["environment"]["prefix"], env.prefix)
        self.assertEqual(data["environment"]["selector"], "-n active")
        other = Env(os.path.join(self.tmp, "elsewhere"))
        result = self.doctor("--json", "-p", other.prefix, status=0)
        self.assertEqual(json.loads(result.stdout)["environment"]["selector"], "-p " + other.prefix)

        # Not active: the project's environment (.cenv in this folder or above).
        project = os.path.join(self.tmp, "proj")
        write(os.path.join(project, ".cenv"), "active\n")
        os.makedirs(os.path.join(project, "src"))
        full_env = dict(os.environ)
        full_env.update({k: v for k, v in self.env.items() if v is not None})
        for k in [k for k, v in self.env.items() if v is None]:
            full_env.pop(k, None)
        result = subprocess.run([os.path.abspath(CENV), "doctor", "--json"], capture_output=True,
                                text=True, env=full_env, cwd=os.path.join(project, "src"),
                                timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout)["environment"]["prefix"], env.prefix)

    def test_missing_environment_is_an_error(self):
        result = self.doctor("-n", "nope")
        self.assert_fails(result, "no environment at", "nope")
        self.assertIn("hint: create it with `cenv create -n nope ...`", result.stderr)
        self.assertEqual(result.stdout, "")

    def test_mirrors_are_skipped_offline(self):
        write(os.path.join(self.tmp, "home", ".condarc"),
              "custom_channels:\n  conda-forge: https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud\n")
        data = self.doctor_json("--offline")
        offline = self.finding(data, "mirrors")
        self.assertEqual(offline["status"], "skipped")
        self.assertEqual(offline["text"], "mirrors not checked (--offline): "
                                          "mirrors.tuna.tsinghua.edu.cn")
        self.assertEqual(data["mirrors"]["targets"][0]["url"],
                         "https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud/conda-forge/noarch/"
                         "repodata.json")
        self.assertFalse(data["mirrors"]["checked"])

    def test_override_is_reported(self):
        self.driver("nvml_ok")
        result = self.doctor("--json", status=0, CONDA_OVERRIDE_CUDA="11.8")
        data = json.loads(result.stdout)
        self.assertEqual(data["machine"]["cuda_override"],
                         {"variable": "CONDA_OVERRIDE_CUDA", "value": "11.8"})
        override = self.finding(data, "driver", 1)
        self.assertEqual(override["status"], "warning")
        self.assertEqual(override["text"],
                         "CONDA_OVERRIDE_CUDA=11.8: solves assume CUDA 11.8, not the driver's 12.2")


class DoctorMirrorTest(RemoteTestCase):
    """The configured mirrors, asked through cenv's downloader: one served on 127.0.0.1, one
    where nothing listens."""

    def test_each_mirror_host_is_asked_once(self):
        index = "/conda-forge/noarch/repodata.json"
        os.makedirs(os.path.join(self.served, "conda-forge", "noarch"))
        with open(os.path.join(self.served, index.lstrip("/")), "w") as f:
            f.write("{}")
        good = self.server("good")
        dead = refused_url()
        self.write_home(".cenvrc", "mirrors:\n  https://conda.anaconda.org/conda-forge:\n"
                                   "    - %s/conda-forge\n    - %s/conda-forge\n"
                                   % (good.url(), dead))
        result = self.cenv("doctor", "--json", env={"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": ""})
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        data = json.loads(result.stdout)
        self.assertTrue(data["mirrors"]["checked"])
        results = {r["name"]: r for r in data["mirrors"]["results"]}
        good_host = good.url()[len("http://"):]
        dead_host = dead[len("http://"):]
        self.assertTrue(results[good_host]["ok"])
        self.assertEqual(results[good_host]["url"], good.url(index))
        self.assertFalse(results[dead_host]["ok"])
        self.assertTrue(results[dead_host]["error"])
        self.assertEqual([r["path"] for r in good.requests()], [index])
        statuses = {f["text"].split(" ")[0]: f["status"] for f in data["findings"]
                    if f["check"] == "mirrors"}
        self.assertEqual(statuses, {good_host: "ok", dead_host: "warning"})

        offline = json.loads(self.cenv("doctor", "--json", "--offline").stdout)
        self.assertEqual(offline["mirrors"]["skipped_because"], "--offline")
        self.assertEqual(len(good.requests()), 1)


if __name__ == "__main__":
    unittest.main()

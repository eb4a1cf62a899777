"""CUDA runtime matching through the hook in every shell: an environment with CUDA runtime
records takes /usr/local/cuda-11.8/lib64 out of LD_LIBRARY_PATH and sets CUDA_HOME and
CUDA_PATH while active, and deactivation puts all of it back; a driver too old for the
runtime (a stub NVIDIA library, detected once by `cenv info` into the cache) gives one
warning line; an environment without CUDA changes nothing and warns about nothing."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from shell_testing import CENV, SHELLS, Workspace, make_env  # noqa: E402

STUBS = os.environ.get("CENV_DRIVER_STUBS", "")
WARNING = ("warning: NVIDIA driver 520.61.05 supports CUDA 11.8, but environment 'gpu' uses "
           "CUDA 12.1 (cuda-cudart 12.1.105), which needs driver >= 530.30.02 (>= 525.60.13 "
           "with minor-version compatibility): update the driver or install a CUDA 11.8 build")


class CudaRuntime(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.driver = os.path.join(STUBS, "driver_520")
        if not os.path.exists(os.path.join(cls.driver, "libnvidia-ml.so.1")):
            raise RuntimeError("the stub driver is missing: build the tests (CENV_DRIVER_STUBS=%r)"
                               % STUBS)
        cls.ws = Workspace()
        ws = cls.ws
        cls.gpu = make_env(os.path.join(ws.envs, "gpu"),
                           ["cuda-cudart-12.1.105-0", "cuda-version-12.1-h0_3",
                            "pytorch-cuda-12.1-ha16c6d3_5", "python-3.10.13-h0_0"])
        cls.cpu = make_env(os.path.join(ws.envs, "cpu"), ["python-3.10.13-h0_0"])
        cls.ld = "/usr/local/cuda-11.8/lib64:" + cls.driver
        cls.env = ws.base_env(LD_LIBRARY_PATH=cls.ld, CUDA_HOME="/usr/local/cuda-11.8")
        # The detection runs once (as any solving command would) and is cached in the root.
        info = subprocess.run([CENV, "info", "--json"], capture_output=True, text=True,
                              env=cls.env, timeout=120)
        assert info.returncode == 0, info.stderr
        assert '"driver_version": "520.61.05"' in info.stdout, info.stdout
        assert os.path.exists(os.path.join(ws.root, "cache", "cuda"))

    @classmethod
    def tearDownClass(cls):
        cls.ws.cleanup()

    def test_every_shell(self):
        ws = self.ws
        for shell in SHELLS:
            err = os.path.join(ws.dir, "err")
            body = ("snap 0\n"
                    "cenv activate gpu 2> %s/1.err\nsnap 1\ncenv deactivate\nsnap 2\n"
                    "cenv activate cpu 2> %s/3.err\nsnap 3\ncenv deactivate\nsnap 4\n"
                    % (err, err))
            os.makedirs(err, exist_ok=True)
            result = ws.run(shell, body, env=self.env)
            self.assertEqual(result.returncode, 0, shell + result.stderr)
            start, active, after, cpu, end = (ws.snapshot(i)[0] for i in range(5))
            self.assertEqual(active["LD_LIBRARY_PATH"], self.driver, shell)
            self.assertEqual(active["CUDA_HOME"], self.gpu, shell)
            self.assertEqual(active["CUDA_PATH"], self.gpu, shell)
            self.assertEqual(after, start, shell)
            with open(os.path.join(err, "1.err")) as f:
                self.assertEqual(f.read(), WARNING + "\n", shell)
            # Without CUDA: nothing CUDA changes, no warning.
            self.assertEqual(cpu["LD_LIBRARY_PATH"], self.ld, shell)
            self.assertEqual(cpu["CUDA_HOME"], "/usr/local/cuda-11.8", shell)
            self.assertNotIn("CUDA_PATH", cpu)
            with open(os.path.join(err, "3.err")) as f:
                self.assertEqual(f.read(), "", shell)
            self.assertEqual(end, start, shell)

    def test_run_applies_the_same(self):
        result = subprocess.run([CENV, "run", "-n", "gpu", "sh", "-c",
                                 'echo "$LD_LIBRARY_PATH|$CUDA_HOME"'],
                                capture_output=True, text=True, env=self.env, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "%s|%s\n" % (self.driver, self.gpu))
        self.assertEqual(result.stderr, WARNING + "\n")

    def test_no_cache_no_check(self):
        # Without a cached detection, activation loads no driver: no warning, no delay.
        env = dict(self.env, CENV_ROOT_PREFIX=os.path.join(self.ws.dir, "fresh-root"))
        result = subprocess.run([CENV, "shell", "activate", "-s", "bash",
                                 self.gpu], capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        self.assertFalse(os.path.exists(os.path.join(self.ws.dir, "fresh-root", "cache")))


if __name__ == "__main__":
    unittest.main()

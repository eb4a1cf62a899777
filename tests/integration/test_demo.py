"""scripts/demo.sh, the end of README's first set-up command: it must keep working as the
commands it shows change. Run with this build's cenv and a demo folder of its own; the
assertions are on what the demo's environment really does (Python and an entry point run
from the prefix), not on its wording.
"""

import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cenv_testing import CENV  # noqa: E402

DEMO = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "demo.sh")


class Demo(unittest.TestCase):
    def test_the_demo_creates_an_environment_that_runs(self):
        with tempfile.TemporaryDirectory(prefix="cenv-demo-") as work:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("CENV_", "CONDA_"))}
            env.update({"CENV_BIN": CENV, "CENV_DEMO_DIR": work, "CONDA_OVERRIDE_CUDA": ""})
            result = subprocess.run(["bash", DEMO], capture_output=True, text=True, env=env,
                                    timeout=600)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            prefix = os.path.join(work, "root", "envs", "demo")
            self.assertIn("python 3.", result.stdout)
            self.assertIn("from %s with zlib" % prefix, result.stdout)
            self.assertIn("cenvhello 1.0 from %s" % prefix, result.stdout)
            self.assertIn("CUDA runtime 12.1", result.stdout)  # doctor read the environment
            # Everything stayed inside the demo folder: its own HOME got the registry.
            with open(os.path.join(work, "home", ".conda", "environments.txt")) as f:
                self.assertIn(prefix, f.read().split())


if __name__ == "__main__":
    unittest.main()

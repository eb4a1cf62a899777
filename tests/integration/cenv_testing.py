"""Helpers for integration tests: run the built cenv, compare with golden files."""

import os
import subprocess
import sys
import unittest

CENV = os.environ.get("CENV_BIN", "build/cenv")
FIXTURES = os.environ.get("CENV_FIXTURES_DIR", os.path.join(os.path.dirname(__file__), "../../../shared/fixtures"))
GOLDEN = os.environ.get("CENV_GOLDEN_DIR", os.path.join(os.path.dirname(__file__), "../golden"))
UPDATE_GOLDEN = os.environ.get("CENV_UPDATE_GOLDEN") == "1"
MAKE_CHANNEL = os.path.join(os.path.dirname(__file__), "../fixtures/make_channel.py")
FIXTURE_CHANNEL = os.environ.get("CENV_FIXTURE_CHANNEL") or os.path.join(
    os.path.dirname(__file__), "../../build/tests/fixture-channel")


class PypiIndex:
    """A PyPI-style index on 127.0.0.1 serving a wheel of `name` `version` built by
    tests/fixtures/pypi_index.py, for the lifetime of the `with` block; `url` is its
    `/simple` URL."""

    def __init__(self, folder, name="cenvpipdemo", version="0.1"):
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(os.path.dirname(MAKE_CHANNEL), "pypi_index.py"), folder,
             "--name", name, "--version", version], stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.process.kill()
            raise RuntimeError(f"pypi_index.py did not start: {self.url!r}")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.kill()
        self.process.wait()


def fixture_channel():
    """The folder of the fixture channel (tests/fixtures/make_channel.py: a relocated python,
    pip, noarch and prefix-placeholder packages), built when missing or out of date."""
    built = subprocess.run([sys.executable, MAKE_CHANNEL, FIXTURE_CHANNEL], capture_output=True,
                           text=True, timeout=900)
    if built.returncode != 0:
        raise RuntimeError(f"make_channel.py failed:\n{built.stdout}{built.stderr}")
    return FIXTURE_CHANNEL

# The .condarc TUNA publishes for its users (https://mirrors.tuna.tsinghua.edu.cn/help/anaconda/).
TUNA_CONDARC = """channels:
  - defaults
show_channel_urls: true
default_channels:
  - https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/main
  - https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/r
  - https://mirrors.tuna.tsinghua.edu.cn/anaconda/pkgs/msys2
custom_channels:
  conda-forge: https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud
  pytorch: https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud
"""


def run_cenv(*args, env=None):
    """Runs cenv with `args`; returns the CompletedProcess (text, never raises on status).
    Variables in `env` are set, or unset where the value is None."""
    full_env = dict(os.environ)
    for key, value in (env or {}).items():
        if value is None:
            full_env.pop(key, None)
        else:
            full_env[key] = value
    return subprocess.run([CENV, *args], capture_output=True, text=True, env=full_env, timeout=120)


class CenvTestCase(unittest.TestCase):
    def assert_ok(self, result):
        self.assertEqual(result.returncode, 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")

    def assert_fails(self, result, *needles, status=1):
        """The command failed with `status` and one clear 'error:' line naming each needle."""
        self.assertEqual(result.returncode, status, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
        error_lines = [l for l in result.stderr.splitlines() if l.startswith("error: ")]
        self.assertEqual(len(error_lines), 1, result.stderr)
        for needle in needles:
            self.assertIn(needle, error_lines[0])
        self.assertNotIn("Traceback", result.stderr)
        self.assertNotIn("terminate called", result.stderr)

    def assert_golden(self, name, text):
        path = os.path.join(GOLDEN, name)
        if UPDATE_GOLDEN:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        with open(path, encoding="utf-8") as f:
            expected = f.read()
        self.assertEqual(text, expected, f"golden file {name} differs; rerun with CENV_UPDATE_GOLDEN=1 and review the diff")

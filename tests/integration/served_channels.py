"""Channels served over HTTP on 127.0.0.1 for the integration tests: starts
tests/servers/channel_server.py (ETag, 304, Range, injected faults, proxy and CONNECT modes)
and reads its request log; builds channel folders from the fixtures; makes TLS certificates.
"""

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile

from cenv_testing import CENV, CenvTestCase

SERVER = os.path.join(os.path.dirname(__file__), "..", "servers", "channel_server.py")


class ChannelServer:
    """One server process; `with ChannelServer(root, work, "m1") as s: s.url("/chan")`."""

    def __init__(self, root, work, name, *extra):
        self.faults = os.path.join(work, name + ".faults.json")
        self.log = os.path.join(work, name + ".log")
        self.set_faults([])
        if os.path.exists(self.log):
            os.remove(self.log)
        self.process = subprocess.Popen(
            [sys.executable, SERVER, "--root", root, "--faults", self.faults, "--log", self.log, *extra],
            stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            self.process.kill()
            raise RuntimeError("the channel server did not start: %r" % line)
        self.port = int(line.split()[1])

    def url(self, path=""):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def set_faults(self, rules):
        temp = self.faults + ".tmp"
        with open(temp, "w", encoding="utf-8") as f:
            json.dump(rules, f)
        os.replace(temp, self.faults)

    def requests(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def clear_log(self):
        if os.path.exists(self.log):
            os.remove(self.log)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def refused_url(path=""):
    """A URL on 127.0.0.1 where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return "http://127.0.0.1:%d%s" % (port, path)


def copy_channel(source, destination, zst_subdirs=()):
    """Copies a fixture channel folder; `zst_subdirs` also get repodata.json.zst (zstd CLI)."""
    shutil.copytree(source, destination)
    for subdir in zst_subdirs:
        path = os.path.join(destination, subdir, "repodata.json")
        subprocess.run(["zstd", "-q", "-3", "-f", path, "-o", path + ".zst"], check=True)


def make_certificate(directory, *names):
    """A self-signed certificate (and key) for DNS names / IP addresses; returns the paths."""
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    san = ",".join(("IP:" if n[0].isdigit() else "DNS:") + n for n in names)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=" + names[0], "-addext", "subjectAltName=" + san,
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key


class RemoteTestCase(CenvTestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="cenv-remote-")
        self.work = self._tmp.name
        self.home = os.path.join(self.work, "home")
        self.root = os.path.join(self.work, "root")
        self.served = os.path.join(self.work, "served")
        os.makedirs(self.home)
        os.makedirs(self.served)
        self.servers = []
        self.env = {"HOME": self.home, "CENV_ROOT_PREFIX": self.root,
                    "CONDA_OVERRIDE_CUDA": "", "CENV_OVERRIDE_CUDA": "",
                    # short enough for a refused port, generous for a loaded machine
                    "CENV_REMOTE_BACKOFF_FACTOR": "0"}

    def tearDown(self):
        for server in self.servers:
            server.stop()
        self._tmp.cleanup()

    def server(self, name, *extra, root=None):
        server = ChannelServer(root or self.served, self.work, name, *extra)
        self.servers.append(server)
        return server

    def cenv(self, *args, env=None, timeout=120):
        """cenv with only this test's settings: no CENV_/CONDA_ variable or proxy leaks in."""
        full = {k: v for k, v in os.environ.items()
                if not k.startswith(("CENV_", "CONDA_")) and k != "CONDARC"
                and k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
        full.update(self.env)
        full.update(env or {})
        return subprocess.run([CENV, *args], capture_output=True, text=True, env=full, timeout=timeout)

    def search(self, *args, env=None):
        result = self.cenv("search", "--json", "--platform", "linux-64", *args, env=env)
        data = json.loads(result.stdout) if result.stdout.strip() else None
        return result, data

    def write_home(self, name, text):
        with open(os.path.join(self.home, name), "w", encoding="utf-8") as f:
            f.write(text)

    def cache_files(self, suffix):
        return sorted(glob.glob(os.path.join(self.root, "pkgs", "cache", "*" + suffix)))

    def assert_no_secret(self, result, *secrets):
        for secret in secrets:
            self.assertNotIn(secret, result.stdout)
            self.assertNotIn(secret, result.stderr)

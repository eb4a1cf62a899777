"""Channels served over HTTP on 127.0.0.1 for the integration tests: starts
tests/servers/channel_server.py (ETag, 304, Range, injected faults, proxy and CONNECT modes)
and reads its request log; builds channel folders from the fixtures; makes TLS certificates.
"""

import json
import os
import shutil
import socket
import subprocess
import sys

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

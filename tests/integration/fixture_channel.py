"""Local channels for the install tests, built at test time from real package archives.

`make_channel(root, archives)` copies archives into `root/<subdir>/` and writes each subdir's
repodata.json from the packages' own info/index.json, with their real md5, sha256 and size,
as conda-index would. `.conda` members are read with the `zstd` command (scripts/bootstrap.sh
installs it). Every channel has a noarch subdir, empty when no package is noarch.
"""

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import zipfile


def read_index(archive):
    """The info/index.json of a .conda or .tar.bz2 archive, as a dict."""
    if archive.endswith(".conda"):
        with zipfile.ZipFile(archive) as z:
            member = next(n for n in z.namelist() if os.path.basename(n).startswith("info-"))
            raw = subprocess.run(["zstd", "-dcq"], input=z.read(member), capture_output=True,
                                 check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(raw)) as t:
            return json.load(t.extractfile("info/index.json"))
    with tarfile.open(archive) as t:
        return json.load(t.extractfile("info/index.json"))


def digests(path):
    md5, sha256 = hashlib.md5(), hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            md5.update(block)
            sha256.update(block)
    return md5.hexdigest(), sha256.hexdigest(), os.path.getsize(path)


def make_channel(root, archives, overrides=None, subdir=None):
    """Copies `archives` into the channel at `root` and (re)writes its repodata.json files.
    `overrides` maps a file name to record fields to replace (e.g. {"depends": []} for a
    dependency the fixtures lack). `subdir` forces the subdir (default: the package's own).
    Returns the channel's file:// URL."""
    overrides = overrides or {}
    index = {}
    for archive in archives:
        record = read_index(archive)
        sub = subdir or record.get("subdir") or "noarch"
        os.makedirs(os.path.join(root, sub), exist_ok=True)
        name = os.path.basename(archive)
        dest = os.path.join(root, sub, name)
        shutil.copyfile(archive, dest)
        record["subdir"] = sub
        record["md5"], record["sha256"], record["size"] = digests(dest)
        record.update(overrides.get(name, {}))
        key = "packages.conda" if name.endswith(".conda") else "packages"
        index.setdefault(sub, {"packages": {}, "packages.conda": {}})[key][name] = record
    index.setdefault("noarch", {"packages": {}, "packages.conda": {}})
    for sub, packages in index.items():
        path = os.path.join(root, sub, "repodata.json")
        existing = {"packages": {}, "packages.conda": {}}
        if os.path.exists(path):
            with open(path) as f:
                existing = json.load(f)
        for key in ("packages", "packages.conda"):
            existing.setdefault(key, {}).update(packages[key])
        existing["info"] = {"subdir": sub}
        existing["repodata_version"] = 1
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            json.dump(existing, f, indent=1, sort_keys=True)
    return "file://" + os.path.abspath(root)

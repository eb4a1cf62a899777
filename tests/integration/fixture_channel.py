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


PLACEHOLDER = "/opt/anaconda1anaconda2anaconda3"


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


def build_package(out_dir, name, version, build="0", files=None, symlinks=None, noarch=None,
                  depends=None, entry_points=None, subdir=None, index_extra=None):
    """Writes a small real `.tar.bz2` package into `out_dir` and returns its path.

    `files` maps a path to its text (str/bytes) or to (text, mode, placeholder, file_mode):
    info/paths.json records the placeholder like conda-build does. `symlinks` maps a path
    to its target. `noarch` is None, "generic" or "python" (with `entry_points`, a list of
    "NAME = MODULE:FUNC", in info/link.json)."""
    files = files or {}
    symlinks = symlinks or {}
    subdir = subdir or ("noarch" if noarch else "linux-64")
    index = {"name": name, "version": version, "build": build, "build_number": 0,
             "depends": depends or [], "subdir": subdir}
    if noarch:
        index["noarch"] = noarch
    index.update(index_extra or {})
    paths = []
    members = []
    for path, spec in sorted(files.items()):
        if not isinstance(spec, tuple):
            spec = (spec,)
        text, mode, placeholder, file_mode = (tuple(spec) + (0o644, None, None))[:4]
        data = text.encode() if isinstance(text, str) else text
        entry = {"_path": path, "path_type": "hardlink",
                 "sha256": hashlib.sha256(data).hexdigest(), "size_in_bytes": len(data)}
        if placeholder:
            entry.update({"prefix_placeholder": placeholder, "file_mode": file_mode or "text"})
        paths.append(entry)
        members.append((path, data, mode, None))
    for path, target in sorted(symlinks.items()):
        paths.append({"_path": path, "path_type": "softlink"})
        members.append((path, None, 0o777, target))
    info = {"info/index.json": json.dumps(index, indent=2),
            "info/paths.json": json.dumps({"paths": paths, "paths_version": 1}, indent=2),
            "info/files": "".join(p["_path"] + "\n" for p in paths)}
    if noarch == "python":
        info["info/link.json"] = json.dumps({"noarch": {"type": "python", "entry_points":
                                                        entry_points or []},
                                             "package_metadata_version": 1})
    os.makedirs(out_dir, exist_ok=True)
    archive = os.path.join(out_dir, "%s-%s-%s.tar.bz2" % (name, version, build))
    with tarfile.open(archive, "w:bz2") as t:
        for path, text in info.items():
            members.append((path, text.encode(), 0o644, None))
        for path, data, mode, target in members:
            ti = tarfile.TarInfo(path)
            ti.mtime = 1700000000
            ti.mode = mode
            if target is not None:
                ti.type = tarfile.SYMTYPE
                ti.linkname = target
                t.addfile(ti)
            else:
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
    return archive


def machine_python():
    """The real interpreter running this test (pyenv shims resolved) and its X.Y version."""
    import sys
    return os.path.realpath(sys.executable), "%d.%d" % sys.version_info[:2]


def build_python_package(out_dir):
    """A `python` package for this machine: bin/pythonX.Y runs the machine's interpreter
    with the environment's site-packages on its path (a wrapper script whose prefix
    placeholder the install rewrites; the relocated interpreter of tests/fixtures comes
    later)."""
    real, version = machine_python()
    wrapper = ("#!/bin/sh\nPYTHONPATH=\"%s/lib/python%s/site-packages${PYTHONPATH:+:$PYTHONPATH}\" "
               "exec %s \"$@\"\n" % (PLACEHOLDER, version, real))
    return build_package(out_dir, "python", version + ".0", "0",
                         files={"bin/python" + version: (wrapper, 0o755, PLACEHOLDER, "text")},
                         symlinks={"bin/python": "python" + version,
                                   "bin/python3": "python" + version})

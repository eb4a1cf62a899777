"""Test channels around the real pytorch channel snapshot (../shared/fixtures/channels/pytorch).

The snapshot holds pytorch's own packages only. These generated channels provide what it
depends on, shaped like the real ones (versions and dependency ranges as published):

- deps:   python 3.8-3.11, mkl, blas, llvm-openmp, pytorch-mutex and pytorch's pure-python deps
          (what `defaults` provides to `-c pytorch` users);
- nvidia: NVIDIA's cuda-* and lib* packages for CUDA 11.8 and 12.1 (what pytorch-cuda needs),
          each depending on cuda-version, which constrains __cuda (as in the real channel);
- cf:     conda-forge-style pytorch 2.3.1 builds `cuda120_py310_*` / `cuda118_py310_*` depending
          on __cuda and cuda-version, and `cpu_generic_py310_*` with track_features, plus
          cuda-version.

Run as a script to write them to a folder: python3 torch_channels.py OUT_DIR
"""

import hashlib
import json
import os
import sys

TIMESTAMP = 1700000000000


def record(name, version, build, depends=(), subdir="linux-64", build_number=0, **extra):
    digest = hashlib.sha256(f"{name}-{version}-{build}".encode()).hexdigest()
    r = {"name": name, "version": version, "build": build, "build_number": build_number,
         "depends": list(depends), "subdir": subdir, "md5": digest[:32], "sha256": digest,
         "size": 1000, "timestamp": TIMESTAMP, "license": "test"}
    r.update(extra)
    return r


def deps_records():
    out = []
    for minor, patch in ((8, 18), (9, 18), (10, 13), (11, 5)):
        out.append(record("python", f"3.{minor}.{patch}", "h955ad1f_0"))
    out.append(record("mkl", "2023.1.0", "h213fc3f_46344", ["llvm-openmp"]))
    out.append(record("blas", "1.0", "mkl", ["mkl"]))
    out.append(record("llvm-openmp", "14.0.6", "h9e868ea_0"))
    out.append(record("pytorch-mutex", "1.0", "cuda", subdir="noarch"))
    out.append(record("pytorch-mutex", "1.0", "cpu", subdir="noarch"))
    for name in ("filelock", "jinja2", "networkx", "pyyaml", "sympy", "typing_extensions",
                 "pillow", "numpy", "requests"):
        out.append(record(name, "1.0", "pyhd3eb1b0_0", ["python"], subdir="noarch"))
    return out


# (name, version) per CUDA release, inside the ranges pytorch-cuda 11.8 / 12.1 ask for.
NVIDIA = {
    "11.8": [("cuda-cudart", "11.8.89"), ("cuda-cupti", "11.8.87"), ("cuda-libraries", "11.8.0"),
             ("cuda-nvrtc", "11.8.89"), ("cuda-nvtx", "11.8.86"), ("cuda-runtime", "11.8.0"),
             ("libcublas", "11.11.3.6"), ("libcufft", "10.9.0.58"), ("libcusolver", "11.4.1.48"),
             ("libcusparse", "11.7.5.86"), ("libnpp", "11.8.0.86"), ("libnvjpeg", "11.9.0.86")],
    "12.1": [("cuda-cudart", "12.1.105"), ("cuda-cupti", "12.1.105"), ("cuda-libraries", "12.1.0"),
             ("cuda-nvrtc", "12.1.105"), ("cuda-nvtx", "12.1.105"), ("cuda-runtime", "12.1.0"),
             ("libcublas", "12.1.0.26"), ("libcufft", "11.0.2.4"), ("libcusolver", "11.4.4.55"),
             ("libcusparse", "12.0.2.55"), ("libnpp", "12.0.2.50"), ("libnvjitlink", "12.1.105"),
             ("libnvjpeg", "12.1.0.39")],
}


def cuda_version_records(releases):
    out = []
    for release in releases:
        major = release.split(".")[0]
        out.append(record("cuda-version", release, "h0" + release.replace(".", "") + "abc_3",
                          subdir="noarch",
                          constrains=[f"__cuda >={major}", f"cudatoolkit {release}|{release}.*"]))
    return out


def nvidia_records():
    out = cuda_version_records(["11.8", "12.0", "12.1"])
    for release, packages in NVIDIA.items():
        major, minor = release.split(".")
        upper = f"{major}.{int(minor) + 1}" if release != "11.8" else "12.0"
        for name, version in packages:
            out.append(record(name, version, "0",
                              [f"cuda-version >={release},<{upper}.0a0"]))
    return out


def conda_forge_records():
    out = cuda_version_records(["11.8", "12.0", "12.1", "12.4", "12.6"])
    common = ["python >=3.10,<3.11.0a0", "filelock", "sympy", "typing_extensions"]
    out.append(record("pytorch", "2.3.1", "cuda120_py310h2c91c31_300",
                      ["__cuda", "cuda-version >=12.0,<13"] + common, build_number=300))
    out.append(record("pytorch", "2.3.1", "cuda118_py310h954aa82_300",
                      ["__cuda", "cuda-version >=11.8,<12"] + common, build_number=300))
    out.append(record("pytorch", "2.3.1", "cpu_generic_py310h1dbc3a2_300", common,
                      build_number=300, track_features="pytorch-cpu"))
    return out


def write_channel(folder, records):
    by_subdir = {"linux-64": {}, "noarch": {}}
    for r in records:
        fn = "%s-%s-%s.conda" % (r["name"], r["version"], r["build"])
        by_subdir[r["subdir"]][fn] = r
    for subdir, packages in by_subdir.items():
        os.makedirs(os.path.join(folder, subdir), exist_ok=True)
        with open(os.path.join(folder, subdir, "repodata.json"), "w", encoding="utf-8") as f:
            json.dump({"info": {"subdir": subdir}, "packages": {}, "packages.conda": packages},
                      f, indent=1, sort_keys=True)


def write_all(out_dir):
    """Writes deps/, nvidia/ and cf/ under out_dir; returns their paths by name."""
    paths = {}
    for name, records in (("deps", deps_records()), ("nvidia", nvidia_records()),
                          ("cf", conda_forge_records())):
        paths[name] = os.path.join(out_dir, name)
        write_channel(paths[name], records)
    return paths


if __name__ == "__main__":
    print(json.dumps(write_all(sys.argv[1]), indent=1))

#!/usr/bin/env bash
# `cenv doctor` and `--help` wall time: fresh processes, medians over RUNS rounds, against
# `true` (the cost of starting any process) and `cenv --version` (cenv's own start) measured
# in the same rounds; the cases alternate within each round.
#
#   tests/bench/doctor_help.sh [RUNS]          (default 30)
#
# doctor cases: no GPU and no environment; a stub NVIDIA driver (NVML, one RTX 3090) with
# the detection cache warm, and cold (the cache removed before each run: the driver library
# is loaded in a child process); the stub driver and an environment holding pip's torch,
# nvidia wheels, torch/version.py and a stub libtorch_python.so (the architecture list is
# read from it). nvcc is not on PATH, the mirrors are not configured: what is timed is cenv.
# help cases: `cenv --help` and `cenv COMMAND --help` for every command and subcommand.
#
# Environment: CENV_BUILD_DIR, the build folder holding cenv and the test stubs (default:
# <repo>/build).
set -euo pipefail

runs="${1:-30}"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$script_dir/../.." && pwd)"
build="${CENV_BUILD_DIR:-$root/build}"
cenv="$build/cenv"
driver="$build/tests/unit/system/stubs/nvml_ok"
torch_lib="$build/tests/unit/doctor/stubs/cu121/libtorch_python.so"

for needed in "$cenv" "$driver/libnvidia-ml.so.1" "$torch_lib"; do
    if [[ ! -e "$needed" ]]; then
        echo "error: $needed not found; build first (tests included):" >&2
        echo "  cmake -S $root -B $build -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C $build" >&2
        exit 1
    fi
done

exec python3 - "$cenv" "$driver" "$torch_lib" "$runs" <<'PY'
import os, re, shutil, statistics, subprocess, sys, tempfile, time

cenv, driver, torch_lib, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
tmp = tempfile.mkdtemp(prefix="cenv-bench-doctor-")
root = os.path.join(tmp, "root")
home = os.path.join(tmp, "home")
os.makedirs(home)

def write(path, text=""):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)

# An environment as `pip install torch` leaves it (plus conda's python).
prefix = os.path.join(root, "envs", "bench")
sp = os.path.join(prefix, "lib/python3.11/site-packages")
write(os.path.join(prefix, "conda-meta/python-3.11.9-h955ad1f_0.json"),
      '{"name": "python", "version": "3.11.9", "build": "h955ad1f_0", "build_number": 0}')
for name, version in [("torch", "2.5.1+cu124"), ("nvidia_cuda_runtime_cu12", "12.4.127"),
                      ("nvidia_cublas_cu12", "12.4.5.8"), ("nvidia_cudnn_cu12", "9.1.0.70")]:
    info = os.path.join(sp, f"{name}-{version}.dist-info")
    write(os.path.join(info, "METADATA"), f"Name: {name}\nVersion: {version}\n")
    write(os.path.join(info, "INSTALLER"), "pip\n")
    write(os.path.join(info, "RECORD"), "")
write(os.path.join(sp, "torch/version.py"), "__version__ = '2.5.1+cu124'\ncuda = '12.4'\n")
os.makedirs(os.path.join(sp, "torch/lib"))
shutil.copyfile(torch_lib, os.path.join(sp, "torch/lib/libtorch_python.so"))
for lib in ("cuda_runtime/lib/libcudart.so.12", "cublas/lib/libcublas.so.12"):
    write(os.path.join(sp, "nvidia", lib))

base = {k: v for k, v in os.environ.items()
        if not k.startswith(("CENV_", "CONDA_")) and k not in ("LD_LIBRARY_PATH",)}
base.update({"CENV_ROOT_PREFIX": root, "HOME": home, "PATH": "/usr/bin:/bin"})
gpu = dict(base, LD_LIBRARY_PATH=driver)
cache = os.path.join(root, "cache", "cuda")

def drop_cache():
    if os.path.exists(cache):
        os.remove(cache)

cases = [("true", ["true"], base, None), ("cenv --version", [cenv, "--version"], base, None),
         ("doctor, no GPU", [cenv, "doctor"], base, None),
         ("doctor, GPU stub, cache warm", [cenv, "doctor"], gpu, None),
         ("doctor, GPU stub, cache cold", [cenv, "doctor"], gpu, drop_cache),
         ("doctor -n bench, GPU stub, warm", [cenv, "doctor", "-n", "bench"], gpu, None)]

def subcommands(args):
    out = subprocess.run(args + ["--help"], capture_output=True, text=True, env=base).stdout
    if "Subcommands:" not in out:
        return []
    names = []
    for line in out.split("Subcommands:")[1].splitlines()[1:]:
        m = re.match(r"  (\S+)\s{2,}", line)
        if not m:
            break
        names.append(m.group(1))
    return names

helps = [["--help"]]
for command in subcommands([cenv]):
    helps.append([command, "--help"])
    helps += [[command, sub, "--help"] for sub in subcommands([cenv, command])]
for args in helps:
    cases.append(("help: cenv " + " ".join(args[:-1]) if len(args) > 1 else "help: cenv",
                  [cenv] + args, base, None))

# The first doctor with the GPU stub fills the cache; the status of each case is checked.
for name, args, env, before in cases:
    if before:
        before()
    r = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    if r.returncode != 0:
        sys.exit(f"error: {name} exited with {r.returncode}: {r.stderr.decode()[:300]}")

def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])

# Wall time, and the CPU time (user + system) of the process and its children (doctor's
# probes), which a loaded machine inflates much less than the wall time.
times = {name: [] for name, *_ in cases}
cpu = {name: [] for name, *_ in cases}
load_before = load()
for _ in range(runs):
    for name, args, env, before in cases:
        if before:
            before()
        start = time.perf_counter()
        child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env=env)
        _, _, usage = os.wait4(child.pid, 0)
        times[name].append(time.perf_counter() - start)
        child.returncode = 0
        cpu[name].append(usage.ru_utime + usage.ru_stime)
load_after = load()

floor = statistics.median(times["true"])
print(f"{runs} rounds; load average {load_before} -> {load_after}; {time.strftime('%Y-%m-%d %H:%M')}")
print(f"{'case':<44} {'median':>9} {'p90':>9} {'minus true':>11} {'CPU':>8}")
for name, *_ in cases:
    t = sorted(times[name])
    med = statistics.median(t)
    p90 = t[min(len(t) - 1, int(0.9 * len(t)))]
    print(f"{name:<44} {med * 1000:7.1f} ms {p90 * 1000:7.1f} ms {(med - floor) * 1000:8.1f} ms "
          f"{statistics.median(cpu[name]) * 1000:5.1f} ms")
helps_only = [statistics.median(times[n]) for n, *_ in cases if n.startswith("help:")]
print(f"help: {len(helps_only)} commands, slowest median {max(helps_only) * 1000:.1f} ms "
      f"(goal: under 20 ms each)")
shutil.rmtree(tmp)
PY

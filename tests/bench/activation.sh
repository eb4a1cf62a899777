#!/usr/bin/env bash
# Activation through the hook in bash (issue 6): `cenv activate NAME` and `cenv deactivate`
# as a user types them, and the per-prompt cost of per-project auto-activation, against
# `source`-ing an empty file in the same bash process and the same rounds. Medians.
#
#   tests/bench/activation.sh [RUNS]          (default 200 activations; 20000 prompts)
#
# Environment:
#   CENV_BUILD_DIR   the build folder holding cenv and cenv-shell (default: <repo>/build)
#
# The environment activated is realistic for AI work: 250 conda-meta records including a CUDA
# runtime (cuda-cudart 12.1, so the CUDA part of activation runs: LD_LIBRARY_PATH cleaning
# and the cached driver check, against the stub driver of tests/unit/system/stubs when it is
# built, detected once by `cenv info` beforehand as any solve would), two environment
# variables and an activate.d / deactivate.d script each.
set -euo pipefail

runs="${1:-200}"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$script_dir/../.." && pwd)"
build="${CENV_BUILD_DIR:-$root/build}"
cenv="$build/cenv"
if [[ ! -x "$cenv" ]]; then
    echo "error: $cenv not found; build first (cmake --build build)" >&2
    exit 1
fi

work="$(mktemp -d /tmp/cenv-bench-activation-XXXXXX)"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" CENV_ROOT_PREFIX="$work/home/.cenv"
env_dir="$CENV_ROOT_PREFIX/envs/bench"
mkdir -p "$env_dir/conda-meta" "$env_dir/bin" "$env_dir/etc/conda/activate.d" \
    "$env_dir/etc/conda/deactivate.d" "$work/empty" "$work/deep/a/b/c/d/e/f/g/h"
for i in $(seq 1 246); do echo '{}' > "$env_dir/conda-meta/pkg$i-1.0.$i-h0_0.json"; done
for dist in cuda-cudart-12.1.105-0 cuda-version-12.1-h0_3 pytorch-cuda-12.1-ha16c6d3_5 \
    python-3.10.13-h0_0; do echo '{}' > "$env_dir/conda-meta/$dist.json"; done
echo '{"env_vars": {"HF_HOME": "/data/hf", "CUDA_VISIBLE_DEVICES": "0"}}' > "$env_dir/conda-meta/state"
echo 'export BENCH_ACTIVE=1' > "$env_dir/etc/conda/activate.d/bench.sh"
echo 'unset BENCH_ACTIVE' > "$env_dir/etc/conda/deactivate.d/bench.sh"
: > "$work/empty.sh"
stubs="$build/tests/unit/system/stubs/driver_525"
driver="none (no stub driver built)"
if [[ -e "$stubs/libnvidia-ml.so.1" ]]; then
    export LD_LIBRARY_PATH="/usr/local/cuda-11.8/lib64:$stubs"
    "$cenv" info > /dev/null
    driver="stub driver 525.60.13 (CUDA 12.0), cached"
fi

exec python3 - "$cenv" "$runs" "$work" "$driver" <<'PY'
import os, statistics, subprocess, sys

cenv, runs, work, driver = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
prompts = 100 * runs

def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])

# One bash process; EPOCHREALTIME (bash 5) around each step. The three alternate per round.
script = r'''
set -u
eval "$('%(cenv)s' shell hook -s bash --auto-activate)"
now() { local t=${EPOCHREALTIME/./}; echo "${t}"; }
for ((i = 0; i < %(runs)d; i++)); do
    s=${EPOCHREALTIME/./}; source '%(work)s/empty.sh'; e=${EPOCHREALTIME/./}; echo "source $((e - s))"
    s=${EPOCHREALTIME/./}; cenv activate bench; e=${EPOCHREALTIME/./}; echo "activate $((e - s))"
    [ "$CONDA_DEFAULT_ENV" = bench ] && [ "$BENCH_ACTIVE" = 1 ] || exit 3
    s=${EPOCHREALTIME/./}; cenv deactivate; e=${EPOCHREALTIME/./}; echo "deactivate $((e - s))"
    [ -z "${CONDA_PREFIX-}" ] || exit 4
    s=${EPOCHREALTIME/./}; '%(cenv)s' --version > /dev/null; e=${EPOCHREALTIME/./}; echo "version $((e - s))"
    s=${EPOCHREALTIME/./}; /bin/true; e=${EPOCHREALTIME/./}; echo "true $((e - s))"
done
# Per prompt, the directory unchanged (what almost every prompt is).
cd '%(work)s/empty'; __cenv_auto
s=${EPOCHREALTIME/./}; for ((i = 0; i < %(prompts)d; i++)); do __cenv_auto; done; e=${EPOCHREALTIME/./}
echo "prompt-total $((e - s))"
s=${EPOCHREALTIME/./}; for ((i = 0; i < %(prompts)d; i++)); do source '%(work)s/empty.sh'; done; e=${EPOCHREALTIME/./}
echo "source-total $((e - s))"
# After a cd, outside any project: the walk up to / in shell code, no cenv process.
cd '%(work)s/deep/a/b/c/d/e/f/g/h'
for ((i = 0; i < %(runs)d; i++)); do
    __cenv_auto_pwd=; s=${EPOCHREALTIME/./}; __cenv_auto; e=${EPOCHREALTIME/./}; echo "walk $((e - s))"
done
[ -z "${CONDA_PREFIX-}" ] || exit 5
''' % {"cenv": cenv, "runs": runs, "work": work, "prompts": prompts}

print(f"machine: {os.cpu_count()} cores, {os.uname().sysname} {os.uname().release}")
with open("/proc/cpuinfo") as f:
    print("cpu:     " + next(l.split(": ", 1)[1].strip() for l in f if l.startswith("model name")))
bash_version = subprocess.run(["bash", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
print(f"bash:    {bash_version}")
print(f"driver:  {driver}")
print(f"runs:    {runs} activate/deactivate rounds, {prompts} prompts")
print(f"load:    {loadavg()} (1, 5, 15 min) at the start")
p = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], capture_output=True,
                   text=True, cwd=work)
if p.returncode != 0:
    sys.exit(f"error: the benchmark shell exited {p.returncode}:\n{p.stderr[-3000:]}")
times = {}
for line in p.stdout.splitlines():
    key, value = line.split()
    times.setdefault(key, []).append(int(value) / 1000.0)  # ms
print(f"load:    {loadavg()} (1, 5, 15 min) at the end\n")
src = statistics.median(times["source"])
print("| step | median | p90 | vs source of an empty file |")
print("|---|---|---|---|")
for key, label in (("source", "`source` an empty file"), ("activate", "`cenv activate bench`"),
                   ("deactivate", "`cenv deactivate`"), ("version", "`cenv --version` (process start)"),
                   ("true", "`/bin/true` (starting any process)")):
    xs = sorted(times[key])
    med = statistics.median(xs)
    p90 = xs[int(0.9 * (len(xs) - 1))]
    print(f"| {label} | {med:.2f} ms | {p90:.2f} ms | {med / src:.0f}x |")
prompt = times["prompt-total"][0] / prompts * 1000  # us
source_each = times["source-total"][0] / prompts * 1000
walk = statistics.median(times["walk"]) * 1000
print(f"| prompt, auto-activation on, folder unchanged | {prompt:.1f} us | | {prompt / source_each:.1f}x ({source_each:.1f} us) |")
print(f"| prompt after `cd` outside a project (walk of 12 folders) | {walk:.0f} us | | {walk / source_each:.0f}x |")

# CPU time (user + system) of the binary alone, less sensitive to a loaded machine than wall
# time: the processes the hook starts, run directly.
def cpu_ms(cmd, n):
    out = []
    env = dict(os.environ)
    for _ in range(n):
        pid = os.fork()
        if pid == 0:
            fd = os.open(os.devnull, os.O_WRONLY)
            os.dup2(fd, 1)
            os.execve(cmd[0], cmd, env)
        _, _, usage = os.wait4(pid, 0)
        out.append((usage.ru_utime + usage.ru_stime) * 1000)
    return statistics.median(out)
n = max(20, runs // 2)
lean = os.path.join(os.path.dirname(cenv), "cenv-shell")
rows = [("`cenv-shell activate -s bash bench` (what the hook runs)", [lean, "activate", "-s", "bash", "bench"]),
        ("`cenv shell activate -s bash bench` (the hook without cenv-shell)", [cenv, "shell", "activate", "-s", "bash", "bench"]),
        ("`cenv --version`", [cenv, "--version"]),
        ("`/bin/true`", ["/bin/true"])]
print(f"\nCPU time (user + system) of one process, median of {n}:\n")
print("| process | CPU time |")
print("|---|---|")
for label, cmd in rows:
    if os.access(cmd[0], os.X_OK):
        print(f"| {label} | {cpu_ms(cmd, n):.1f} ms |")
PY

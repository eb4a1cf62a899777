#!/usr/bin/env bash
# `cenv create --dry-run` on generated conda-forge-sized channels: total time and peak RSS,
# split into load and solve (CENV_TIMINGS=1), cold (no binary cache: the repodata.json is
# parsed and the cache written) and warm (the cache is valid), against python3's json.load of
# the same main/linux-64/repodata.json in the same run. Medians over RUNS fresh processes;
# python, cold and warm alternate within each round.
#
#   tests/bench/create_dry_run.sh [RUNS]          (default 5)
#
# Environment:
#   CENV_SHARED_DIR   the project's shared/ folder (default: <repo>/../shared)
#   CENV_BUILD_DIR    the build folder holding cenv (default: <repo>/build)
#   BENCH_SIZES       channel sizes (default: "50k 600k"); each is /tmp/bench-chan-<size>,
#                     made by scale_channel.py when missing (600k: ~40 s, 350 MB)
#   BENCH_WORKLOADS   ids from shared/bench/workloads.json (default: "py36-scipy-stack
#                     py36-data-science cudatoolkit-no-driver"; "all" for every one)
#
# Each run's status is checked against the workload's `expect` (sat: 0, unsat: 1), and the
# cold and warm plans (--json) must be identical.
set -euo pipefail

runs="${1:-5}"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$script_dir/../.." && pwd)"
shared="${CENV_SHARED_DIR:-$root/../shared}"
build="${CENV_BUILD_DIR:-$root/build}"
cenv="$build/cenv"
sizes="${BENCH_SIZES:-50k 600k}"
workloads="${BENCH_WORKLOADS:-py36-scipy-stack py36-data-science cudatoolkit-no-driver}"

if [[ ! -x "$cenv" ]]; then
    echo "error: $cenv not found; build first:" >&2
    echo "  cmake -S $root -B $build -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C $build cenv" >&2
    exit 1
fi
for size in $sizes; do
    if [[ ! -f "/tmp/bench-chan-$size/main/linux-64/repodata.json" ]]; then
        echo "generating /tmp/bench-chan-$size ..." >&2
        python3 "$shared/bench/scale_channel.py" --records "$size" --out "/tmp/bench-chan-$size" >&2
    fi
done

exec python3 - "$cenv" "$shared/bench/workloads.json" "$runs" "$sizes" "$workloads" <<'PY'
import json, os, re, shutil, statistics, subprocess, sys, time

cenv, workloads_file, runs, sizes, wanted = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split(), sys.argv[5].split()
with open(workloads_file) as f:
    spec = json.load(f)
by_id = {w["id"]: w for w in spec["workloads"]}
chosen = list(by_id) if wanted == ["all"] else wanted
for w in chosen:
    if w not in by_id:
        sys.exit(f"error: unknown workload {w}; known: {', '.join(by_id)}")

def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])

def steal():
    with open("/proc/stat") as f:
        return int(f.readline().split()[8])

def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time; returns (status, wall s, peak RSS MB, stdout, stderr)."""
    full = dict(os.environ)
    full.update(env or {})
    p = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M", *cmd], capture_output=True,
                       text=True, env=full)
    m = re.search(r"TIME ([\d.]+) (\d+)\s*$", p.stderr)
    if not m:
        sys.exit(f"error: no timing from {' '.join(cmd)}:\n{p.stderr}")
    return p.returncode, float(m.group(1)), int(m.group(2)) / 1024, p.stdout, p.stderr

def phases(stderr):
    load = sum(float(x) for x in re.findall(r"timing: ([\d.]+) s load ", stderr))
    solve = sum(float(x) for x in re.findall(r"timing: ([\d.]+) s solve", stderr))
    return load, solve

print(f"machine: {os.cpu_count()} cores, {os.uname().sysname} {os.uname().release}")
with open("/proc/cpuinfo") as f:
    print("cpu:     " + next(l.split(": ", 1)[1].strip() for l in f if l.startswith("model name")))
print(f"python:  {sys.version.split()[0]}")
print(f"runs:    {runs} per measurement (fresh processes; python, cold and warm alternate)")
print(f"load:    {loadavg()} (1, 5, 15 min) at the start")
start, steal0 = time.time(), steal()
rows = []
loads_seen = []
for size in sizes:
    chan = f"/tmp/bench-chan-{size}"
    main_json = f"{chan}/main/linux-64/repodata.json"
    with open(main_json, "rb") as f:  # warm the page cache for every tool
        while f.read(1 << 24):
            pass
    broot = f"/tmp/cenv-bench-root-{size}"
    cache = f"{broot}/pkgs/cache"
    py = {"t": [], "rss": []}
    res = {w: {m: {"t": [], "rss": [], "load": [], "solve": []} for m in ("cold", "warm")} for w in chosen}
    for r in range(runs):
        _, t, rss, _, _ = timed(["python3", "-c", "import json; json.load(open('%s'))" % main_json])
        py["t"].append(t); py["rss"].append(rss)
        loads_seen.append(float(loadavg().split()[0]))
        for wid in chosen:
            w = by_id[wid]
            env = dict(spec["default_env"]); env.update(w.get("env") or {})
            env["CENV_TIMINGS"] = "1"
            cmd = [cenv, "create", "-r", broot, "-n", "bench", "--dry-run", "--json",
                   "--platform", spec["subdir"], "--channel-priority", w.get("channel_priority", spec["channel_priority"])]
            for c in w["channels"]:
                cmd += ["-c", f"{chan}/{c}"]
            cmd += w["specs"]
            want = 0 if w["expect"] == "sat" else 1
            shutil.rmtree(cache, ignore_errors=True)
            outs = {}
            for mode in ("cold", "warm"):
                status, t, rss, out, err = timed(cmd, env)
                if status != want:
                    sys.exit(f"error: {wid} on {size} ({mode}) exited {status}, expected {want}:\n{err[-2000:]}")
                if mode == "warm" and "parsed" in err:
                    sys.exit(f"error: {wid} on {size}: the warm run parsed JSON:\n{err}")
                outs[mode] = out
                load, solve = phases(err)
                d = res[wid][mode]
                d["t"].append(t); d["rss"].append(rss); d["load"].append(load); d["solve"].append(solve)
            if outs["cold"] != outs["warm"]:
                sys.exit(f"error: {wid} on {size}: cold and warm plans differ")
    pm = statistics.median(py["t"])
    rows.append((size, "python json.load (main/linux-64)", pm, None, None, max(py["rss"]), 1.0))
    for wid in chosen:
        for mode in ("cold", "warm"):
            d = res[wid][mode]
            m = statistics.median(d["t"])
            rows.append((size, f"{wid}, {mode}", m, statistics.median(d["load"]),
                         statistics.median(d["solve"]), max(d["rss"]), m / pm))
    print(f"\n{size}: python runs {' '.join(f'{t:.2f}' for t in py['t'])} s")
    for wid in chosen:
        for mode in ("cold", "warm"):
            print(f"  {wid} {mode}: {' '.join(f'{t:.2f}' for t in res[wid][mode]['t'])} s")
elapsed = time.time() - start
stolen = (steal() - steal0) / 100
print(f"\nload:    {loadavg()} (1, 5, 15 min) at the end; 1-min load sampled per round: "
      f"{min(loads_seen):.1f} to {max(loads_seen):.1f}")
print(f"steal:   {100 * stolen / (elapsed * os.cpu_count()):.0f}% of the CPU time taken by the hypervisor during the run")
print("\n| channel | run | median | load | solve | peak RSS | ratio to json.load |")
print("|---|---|---|---|---|---|---|")
for size, what, m, load, solve, rss, ratio in rows:
    l = "" if load is None else f"{load:.2f} s"
    s = "" if solve is None else f"{solve:.2f} s"
    print(f"| {size} | {what} | {m:.2f} s | {l} | {s} | {rss:.0f} MB | {ratio:.2f}x |")
PY

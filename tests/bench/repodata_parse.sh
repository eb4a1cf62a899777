#!/usr/bin/env bash
# Repodata parsing: cenv's load_repodata against python3's json.load, on the same files, in
# the same run. Prints medians, records/s, peak RSS and the ratio python/cenv.
#
#   tests/bench/repodata_parse.sh [RUNS]          (default 5)
#
# Environment:
#   CENV_SHARED_DIR   the project's shared/ folder (default: <repo>/../shared)
#   CENV_BUILD_DIR    the build folder holding tests/bench/cenv_repodata_bench (default: <repo>/build)
#   BENCH_CHANNEL     the generated channel (default: /tmp/bench-chan-600k; made if missing, ~40 s)
#   BENCH_THREADS     passed to cenv_repodata_bench --threads (default 0: automatic)
#
# Each run is a fresh process for both tools, alternating, so that neither inherits the
# other's warm heap; the page cache is warm for both (every file is read once beforehand).
# The time measured is the load alone (reading the file included, process start excluded).
set -euo pipefail

runs="${1:-5}"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$script_dir/../.." && pwd)"
shared="${CENV_SHARED_DIR:-$root/../shared}"
build="${CENV_BUILD_DIR:-$root/build}"
channel="${BENCH_CHANNEL:-/tmp/bench-chan-600k}"
threads="${BENCH_THREADS:-0}"
bench="$build/tests/bench/cenv_repodata_bench"

if [[ ! -x "$bench" ]]; then
    echo "error: $bench not found; build first:" >&2
    echo "  cmake -S $root -B $build -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C $build" >&2
    exit 1
fi
if [[ ! -f "$channel/main/linux-64/repodata.json" ]]; then
    echo "generating $channel (600k records, ~40 s) ..." >&2
    python3 "$shared/bench/scale_channel.py" --records 600k --out "$channel" >&2
fi

files=(
    "pytorch|$shared/fixtures/channels/pytorch/linux-64/repodata.json"
    "600k linux-64|$channel/main/linux-64/repodata.json"
)

python_load='
import json, resource, sys, time
path = sys.argv[1]
start = time.perf_counter()
with open(path) as f:
    data = json.load(f)
seconds = time.perf_counter() - start
records = len(data.get("packages") or {}) + len(data.get("packages.conda") or {})
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"RESULT records={records} seconds={seconds:.4f} peak_rss_kb={rss}")
'

# value KEY LINE: the value of KEY=... in a RESULT line.
value() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$2"; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
echo "cpu:     $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
echo "python:  $(python3 --version 2>&1)"
echo "runs:    $runs per tool and file (fresh processes, alternating), threads=$threads"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the start"
echo

rows=()
for entry in "${files[@]}"; do
    label="${entry%%|*}"
    file="${entry#*|}"
    cat "$file" >/dev/null  # warm the page cache for both
    cenv_times=()
    python_times=()
    cenv_rss=0
    python_rss=0
    for ((i = 1; i <= runs; i++)); do
        line="$("$bench" "$file" --runs 1 --threads "$threads" | grep '^RESULT')"
        cenv_times+=("$(value median_s "$line")")
        cenv_records="$(value records "$line")"
        cenv_records=$((cenv_records + $(value fallbacks "$line")))
        rss="$(value peak_rss_kb "$line")"
        ((rss > cenv_rss)) && cenv_rss=$rss

        line="$(python3 -c "$python_load" "$file")"
        python_times+=("$(value seconds "$line")")
        python_records="$(value records "$line")"
        rss="$(value peak_rss_kb "$line")"
        ((rss > python_rss)) && python_rss=$rss
    done
    if [[ "$cenv_records" != "$python_records" ]]; then
        echo "error: $label: cenv read $cenv_records records, python $python_records" >&2
        exit 1
    fi
    cenv_median="$(printf '%s\n' "${cenv_times[@]}" | median)"
    python_median="$(printf '%s\n' "${python_times[@]}" | median)"
    echo "$label ($file, $(du -h "$file" | cut -f1)), $cenv_records records"
    echo "  cenv   runs: ${cenv_times[*]} s"
    echo "  python runs: ${python_times[*]} s"
    rows+=("$(awk -v l="$label" -v n="$cenv_records" -v c="$cenv_median" -v p="$python_median" \
        -v cr="$cenv_rss" -v pr="$python_rss" 'BEGIN {
            printf "| %s | %d | %.3f s | %.0f | %.0f MB | %.3f s | %.0f | %.0f MB | %.1fx |",
                l, n, c, (c > 0 ? n / c : 0), cr / 1024, p, (p > 0 ? n / p : 0), pr / 1024,
                (c > 0 ? p / c : 0) }')")
done

echo
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the end"
echo
echo "| file | records | cenv median | cenv records/s | cenv peak RSS | python median | python records/s | python peak RSS | python/cenv |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"

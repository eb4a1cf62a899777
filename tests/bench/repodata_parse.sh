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
#
# cenv runs three times per round: with its default threads (two, unless the 1-minute load
# average reaches a job per core), and with one and two forced.
# Each run is a fresh process, and the tools alternate, so that none inherits another's
# warm heap; the page cache is warm for all (every file is read once beforehand). The time
# measured is the load alone (reading the file included, process start excluded).
set -euo pipefail

runs="${1:-5}"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$script_dir/../.." && pwd)"
shared="${CENV_SHARED_DIR:-$root/../shared}"
build="${CENV_BUILD_DIR:-$root/build}"
channel="${BENCH_CHANNEL:-/tmp/bench-chan-600k}"
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
print(f"RESULT records={records} median_s={seconds:.4f} peak_rss_kb={rss}")
'

# value KEY LINE: the value of KEY=... in a RESULT line.
value() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$2"; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

steal() { awk '/^cpu / { print $9 }' /proc/stat; }

tools=("cenv" "cenv, 1 thread" "cenv, 2 threads" "python json.load")
python_tool=3
run_tool() {  # run_tool INDEX FILE -> a RESULT line
    case "$1" in
        0) "$bench" "$2" --runs 1 | grep '^RESULT' ;;
        1) "$bench" "$2" --runs 1 --threads 1 | grep '^RESULT' ;;
        2) "$bench" "$2" --runs 1 --threads 2 | grep '^RESULT' ;;
        3) python3 -c "$python_load" "$2" ;;
    esac
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
echo "cpu:     $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
echo "python:  $(python3 --version 2>&1)"
echo "runs:    $runs per tool and file (fresh processes, alternating)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the start"
steal_start=$(steal)
start_s=$(date +%s)
echo

rows=()
for entry in "${files[@]}"; do
    label="${entry%%|*}"
    file="${entry#*|}"
    cat "$file" >/dev/null  # warm the page cache for all
    declare -A times=() rss=() records=()
    for ((i = 1; i <= runs; i++)); do
        for t in 0 1 2 3; do
            line="$(run_tool "$t" "$file")"
            times[$t]+="$(value median_s "$line") "
            n="$(value records "$line")"
            if [[ $t -ne $python_tool ]]; then
                n=$((n + $(value fallbacks "$line")))
            fi
            records[$t]=$n
            kb="$(value peak_rss_kb "$line")"
            if [[ -z "${rss[$t]:-}" || $kb -gt ${rss[$t]} ]]; then
                rss[$t]=$kb
            fi
        done
    done
    for t in 0 1 2; do
        if [[ "${records[$t]}" != "${records[$python_tool]}" ]]; then
            echo "error: $label: ${tools[$t]} read ${records[$t]} records, python ${records[$python_tool]}" >&2
            exit 1
        fi
    done
    echo "$label ($file, $(du -h "$file" | cut -f1)), ${records[$python_tool]} records"
    python_median="$(tr ' ' '\n' <<<"${times[$python_tool]}" | grep . | median)"
    for t in 0 1 2 3; do
        echo "  ${tools[$t]} runs: ${times[$t]}s"
        m="$(tr ' ' '\n' <<<"${times[$t]}" | grep . | median)"
        rows+=("$(awk -v l="$label" -v tool="${tools[$t]}" -v n="${records[$python_tool]}" -v m="$m" \
            -v r="${rss[$t]}" -v p="$python_median" 'BEGIN {
                printf "| %s | %s | %d | %.3f s | %.0f | %.0f MB | %.1fx |",
                    l, tool, n, m, (m > 0 ? n / m : 0), r / 1024, (m > 0 ? p / m : 0) }')")
    done
    unset times rss records
done

elapsed=$(($(date +%s) - start_s))
stolen=$(($(steal) - steal_start))
echo
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the end"
echo "steal:   $(awk -v s="$stolen" -v e="$elapsed" -v c="$(nproc)" \
    'BEGIN { printf "%.0f%%", (e > 0 ? 100 * s / 100 / (e * c) : 0) }') of the CPU time taken by the hypervisor during the run"
echo
echo "| file | tool | records | median | records/s | peak RSS | python/tool |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"

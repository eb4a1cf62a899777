#!/usr/bin/env bash
# Download figures, all against tests/servers/channel_server.py on 127.0.0.1 in the same run:
#  1. 200 package-like files of mixed sizes (made here, fixed seed): cenv's Downloader with 1
#     and N transfers at once (checked by size and sha256 as they stream), against one curl
#     process fetching the same files one after another (connection reused, no checks);
#     without added latency, and with BENCH_LATENCY_MS per request (a distant mirror).
#  2. Revalidating 10 cached subdirs (every one answers 304) through the repodata cache.
# Medians of BENCH_ROUNDS rounds (default 5). Prints figures; asserts nothing.
#
#   tests/bench/download.sh                 # BENCH_ROUNDS=5 BENCH_THREADS=5 BENCH_LATENCY_MS=20
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bench="$root/build/tests/bench/cenv_download_bench"
server="$root/tests/servers/channel_server.py"
rounds=${BENCH_ROUNDS:-5}
threads=${BENCH_THREADS:-5}
latency=${BENCH_LATENCY_MS:-20}
work=$(mktemp -d /tmp/cenv-download-bench-XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

python3 - "$work/files" <<'EOF'
import hashlib, os, random, sys
out = sys.argv[1]
os.makedirs(out)
rng = random.Random(4)
with open(os.path.join(out, "..", "manifest"), "w") as manifest:
    for i in range(200):
        kind = rng.random()
        if kind < 0.5:
            size = rng.randint(5_000, 100_000)          # noarch python packages
        elif kind < 0.85:
            size = rng.randint(100_000, 1_000_000)      # libraries
        else:
            size = rng.randint(1_000_000, 6_000_000)    # big binaries
        data = rng.randbytes(size)
        name = "pkg-%03d.conda" % i
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        manifest.write("%s %d %s\n" % (name, size, hashlib.sha256(data).hexdigest()))
EOF
total=$(awk '{s += $2} END {print s}' "$work/manifest")

start_server() {  # root, extra args...; sets $port
    local log="$work/server-$RANDOM.out"
    python3 "$server" --root "$@" > "$log" &
    pids+=($!)
    until [[ -s "$log" ]]; do sleep 0.05; done
    port=$(awk '{print $2}' "$log")
}

median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

measure_files() {  # base URL; prints "label median" lines
    local base=$1
    : > "$work/times"
    for ((r = 0; r < rounds; r++)); do
        for t in 1 "$threads"; do
            "$bench" files "$work/manifest" "$base" "$work/out" --threads "$t" |
                awk -v t="$t" '{print "cenv-" t, $(NF-1)}' >> "$work/times"
        done
        awk -v base="$base" -v out="$work/curl" \
            '{printf "url = \"%s/%s\"\noutput = \"%s/%s\"\n", base, $1, out, $1}' \
            "$work/manifest" > "$work/curl.cfg"
        rm -rf "$work/curl" && mkdir -p "$work/curl"
        s=$(date +%s.%N)
        curl -s --fail -K "$work/curl.cfg"
        e=$(date +%s.%N)
        echo "curl $(echo "$e - $s" | bc)" >> "$work/times"
    done
    for label in cenv-1 "cenv-$threads" curl; do
        printf "%s %s\n" "$label" "$(awk -v l="$label" '$1 == l {print $2}' "$work/times" | median)"
    done
}

report() {  # title
    local c1 cn cu
    c1=$(awk '$1 == "cenv-1" {print $2}' "$work/medians")
    cn=$(awk -v l="cenv-$threads" '$1 == l {print $2}' "$work/medians")
    cu=$(awk '$1 == "curl" {print $2}' "$work/medians")
    echo "== $1: 200 files, $total bytes, medians of $rounds rounds"
    printf "  cenv, 1 transfer at once:   %8.3f s\n" "$c1"
    printf "  cenv, %d transfers at once:  %8.3f s   (%.2fx faster than 1)\n" "$threads" "$cn" \
        "$(echo "$c1 / $cn" | bc -l)"
    printf "  curl, one after another:    %8.3f s   (cenv with %d is %.2fx faster)\n" "$cu" \
        "$threads" "$(echo "$cu / $cn" | bc -l)"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"
start_server "$work/files"
measure_files "http://127.0.0.1:$port" > "$work/medians"
report "no added latency"
start_server "$work/files" --latency "$latency"
measure_files "http://127.0.0.1:$port" > "$work/medians"
report "${latency} ms added per request"

# 10 channels with one subdir each, every one cached, all asked again with ttl 0.
mkdir -p "$work/channels"
for i in $(seq 0 9); do
    mkdir -p "$work/channels/chan$i/noarch"
    cp "$root/../shared/fixtures/channels/conda-anaconda-main/noarch/repodata.json" \
        "$work/channels/chan$i/noarch/repodata.json"
done
start_server "$work/channels"
"$bench" revalidate "http://127.0.0.1:$port" "$work/cache" 10 --rounds $((rounds * 2 + 1)) |
    tee "$work/reval"
echo "== revalidation of 10 cached subdirs (all 304): median wall $(awk '{print $(NF-4)}' "$work/reval" | median) s, cpu of cenv $(awk '{print $(NF-1)}' "$work/reval" | median) s"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

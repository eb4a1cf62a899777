#!/usr/bin/env bash
# Cold-cache figures (issue 5): `cenv create -p ENV bench-all` with an empty package cache,
# the channel of ../shared/bench/make_packages.py served over HTTP on 127.0.0.1
# (tests/servers/channel_server.py), against the two floors measured in the same run:
#   download   curl fetching the same 100 archives, as many at once as cenv (5)
#   local      the same create from the file:// channel: extraction and linking, no download
# Without overlap a cold create costs download + local; with downloads, extraction and
# linking running in parallel it approaches max(download, local). Prints each run, the
# medians, both ratios and the load average.
#
#   tests/bench/link_cold.sh [RUNS] [CHANNEL_DIR]     # default 5 runs, /tmp/bench-pkgs
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cenv="$root/build/cenv"
runs=${1:-5}
channel=${2:-/tmp/bench-pkgs}
if [[ ! -d "$channel/linux-64" ]]; then
    python3 "$root/../shared/bench/make_packages.py" --out "$channel" --zstd-level 3
fi
work=$(mktemp -d)
server_pid=
cleanup() {
    [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
export HOME="$work/home" CONDA_OVERRIDE_CUDA= CENV_OVERRIDE_CUDA=
unset CONDARC CONDA_PKGS_DIRS CENV_PKGS_DIRS

python3 "$root/tests/servers/channel_server.py" --root "$channel" >"$work/server.out" 2>/dev/null &
server_pid=$!
for _ in $(seq 100); do
    grep -q '^PORT' "$work/server.out" 2>/dev/null && break
    sleep 0.05
done
url="http://127.0.0.1:$(awk '/^PORT/ {print $2}' "$work/server.out")"
archives=("$channel"/linux-64/*.conda)
echo "channel: $channel (${#archives[@]} packages, $(du -shL "$channel/linux-64" | cut -f1)), served at $url"

curl_args=()
for archive in "${archives[@]}"; do
    curl_args+=("$url/linux-64/$(basename "$archive")" -o "$(basename "$archive")")
done

now() { date +%s.%N; }
# create_cold KIND CHANNEL_URL: a fresh root (empty cache), prints the seconds.
create_cold() {
    local dir="$work/$1-$i"
    local start end
    start=$(now)
    CENV_ROOT_PREFIX="$dir/root" "$cenv" create -y -c "$2" --override-channels \
        --platform linux-64 -p "$dir/env" bench-all >/dev/null 2>"$dir.log" ||
        { cat "$dir.log" >&2; return 1; }
    end=$(now)
    echo "$end - $start" | bc
}
http_times=()
local_times=()
curl_times=()
for i in $(seq "$runs"); do
    # Alternating which create goes first; nothing is deleted until the end (see link.sh:
    # ext4 slows down creating files while it has recently freed inodes to scan).
    sync
    if ((i % 2)); then
        http_times+=("$(create_cold http "$url")")
        sync
        local_times+=("$(create_cold local "file://$channel")")
    else
        local_times+=("$(create_cold local "file://$channel")")
        sync
        http_times+=("$(create_cold http "$url")")
    fi
    sync
    mkdir -p "$work/curl-$i"
    start=$(now)
    curl -sS --no-progress-meter --fail --parallel --parallel-max 5 --output-dir "$work/curl-$i" "${curl_args[@]}"
    end=$(now)
    curl_times+=("$(echo "$end - $start" | bc)")
    echo "run $i: cenv create over http ${http_times[-1]} s, from file:// ${local_times[-1]} s, curl download ${curl_times[-1]} s"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
hm=$(median "${http_times[@]}")
lm=$(median "${local_times[@]}")
dm=$(median "${curl_times[@]}")
serial=$(echo "$dm + $lm" | bc)
overlap=$(echo "if ($dm > $lm) $dm else $lm" | bc)
echo "median: cenv create over http (cold cache) $hm s; floors: download $dm s, extract+link $lm s"
echo "ratio to download + extract+link (no overlap): $(echo "scale=2; $hm / $serial" | bc)"
echo "ratio to max(download, extract+link) (full overlap): $(echo "scale=2; $hm / $overlap" | bc)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

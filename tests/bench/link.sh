#!/usr/bin/env bash
# Linking figures (issue 5): `cenv create -p ENV bench-all` from a warm package cache (every
# package of ../shared/bench/make_packages.py's channel already extracted) against `cp -al`
# of the same extracted trees into an empty folder, alternating, in the same run. Prints
# each run, the medians and their ratio, the transaction's phases (CENV_TIMINGS) of the
# median cenv run, and the load average.
#
#   tests/bench/link.sh [RUNS] [CHANNEL_DIR]     # default 7 runs, /tmp/bench-pkgs
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cenv="$root/build/cenv"
runs=${1:-7}
channel=${2:-/tmp/bench-pkgs}
if [[ ! -d "$channel/linux-64" ]]; then
    python3 "$root/../shared/bench/make_packages.py" --out "$channel" --zstd-level 3
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" CENV_ROOT_PREFIX="$work/root" CONDA_OVERRIDE_CUDA= CENV_OVERRIDE_CUDA=
unset CONDARC CONDA_PKGS_DIRS CENV_PKGS_DIRS
create=("$cenv" create -y -c "file://$channel" --override-channels --platform linux-64 bench-all)

# Warm the cache: extract everything once. Nothing is deleted until the end: ext4 scans past
# inodes freed in the last minute when it allocates new ones, which would slow down every
# file the next run creates (cenv's rewritten files more than cp -al's hard links).
"${create[@]}" -p "$work/warm" >/dev/null
trees=()
for tree in "$work"/root/pkgs/bench-*/; do
    trees+=("$tree.")
done
files=$(find "$work/root/pkgs" -mindepth 2 \( -type f -o -type l \) -path '*/bench-*' | wc -l)
echo "channel: $channel ($(ls "$channel"/linux-64/*.conda | wc -l) packages, $files files and links in the extracted trees)"

now() { date +%s.%N; }
cenv_times=()
cp_times=()
for i in $(seq "$runs"); do
    sync
    start=$(now)
    CENV_TIMINGS=1 "${create[@]}" -p "$work/env-$i" >/dev/null 2>"$work/timings-$i"
    end=$(now)
    cenv_times+=("$(echo "$end - $start" | bc)")
    sync
    start=$(now)
    mkdir "$work/cp-$i"
    cp -al "${trees[@]}" "$work/cp-$i/"
    end=$(now)
    cp_times+=("$(echo "$end - $start" | bc)")
    echo "run $i: cenv create ${cenv_times[-1]} s, cp -al ${cp_times[-1]} s"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
cm=$(median "${cenv_times[@]}")
pm=$(median "${cp_times[@]}")
echo "median: cenv create (warm cache) $cm s, cp -al $pm s, ratio $(echo "scale=2; $cm / $pm" | bc)"
# The phases of the run closest to the median.
best=1
for i in $(seq "$runs"); do
    if [[ "${cenv_times[$((i - 1))]}" == "$cm" ]]; then best=$i; fi
done
grep 'transaction:' "$work/timings-$best" | sed 's/^/  /'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

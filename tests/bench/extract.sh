#!/usr/bin/env bash
# Extraction figures: cenv's extract_package (one thread, then two) against the plain
# command-line pipeline `unzip -p | zstd -dc | tar -x` for each .conda, in the same run, over
# the channel that ../shared/bench/make_packages.py generates (made when missing).
#
#   tests/bench/extract.sh [CHANNEL_DIR]      # default /tmp/bench-pkgs
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bench="$root/build/tests/bench/cenv_extract_bench"
channel=${1:-/tmp/bench-pkgs}
if [[ ! -d "$channel/linux-64" ]]; then
    python3 "$root/../shared/bench/make_packages.py" --out "$channel"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for jobs in 1 2; do
    sync
    "$bench" "$channel/linux-64" "$work/cenv-$jobs" --jobs "$jobs" | head -1
    rm -rf "$work/cenv-$jobs"
done

sync
start=$(date +%s.%N)
for archive in "$channel"/linux-64/*.conda; do
    stem=$(basename "$archive" .conda)
    mkdir -p "$work/cli/$stem"
    for member in info pkg; do
        unzip -p "$archive" "$member-$stem.tar.zst" | zstd -dcq | tar -x -C "$work/cli/$stem"
    done
done
end=$(date +%s.%N)
count=$(ls "$channel"/linux-64/*.conda | wc -l)
echo "unzip | zstd | tar, one package at a time: $count archives: $(echo "$end - $start" | bc) s"

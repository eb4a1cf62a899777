#!/usr/bin/env bash
# Sets cenv up on a fresh Debian 12 / Ubuntu 22.04+ machine: installs the Debian packages
# the build and tests need, builds cenv in Release into build/, and runs the demo
# (scripts/demo.sh: a local channel built from this machine, an environment created from it,
# Python run inside it, cenv doctor), offline and under build/demo.
#
#   scripts/bootstrap.sh           everything
#   scripts/bootstrap.sh --deps    only the packages (scripts/test.sh calls this)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(
    build-essential cmake ninja-build pkg-config git python3 python3-pip-whl zlib1g-dev zstd
    libsolv-dev libarchive-dev libcurl4-openssl-dev libyaml-cpp-dev libssl-dev
    libgtest-dev libgmock-dev libsimdjson-dev nlohmann-json3-dev libcli11-dev libfmt-dev
    libzstd-dev
    zsh fish dash
    clang clang-format clang-tidy
)
# libFuzzer's runtime: its package name differs between releases.
fuzzer_runtime=(libclang-rt-dev libclang-rt-14-dev libclang-common-14-dev)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
have_fuzzer_runtime=no
for p in "${fuzzer_runtime[@]}"; do
    if dpkg -s "$p" >/dev/null 2>&1; then have_fuzzer_runtime=yes; fi
done

if [ ${#missing[@]} -gt 0 ] || [ "$have_fuzzer_runtime" = no ]; then
    echo "bootstrap: installing ${missing[*]:-} (and libFuzzer's runtime)"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    if [ ${#missing[@]} -gt 0 ]; then
        "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
    if [ "$have_fuzzer_runtime" = no ]; then
        for p in "${fuzzer_runtime[@]}"; do
            if "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$p"; then break; fi
        done
    fi
fi

if [ "${1:-}" = "--deps" ]; then
    exit 0
fi

cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCENV_TESTS=OFF
cmake --build "$root/build"

"$root/scripts/demo.sh"

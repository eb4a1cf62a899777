#!/usr/bin/env bash
# The demo that scripts/bootstrap.sh ends with: builds a small local channel from what this
# machine has (tests/fixtures/make_channel.py: a relocated python3 with pip, zlib, a noarch
# package with an entry point, CUDA-style packages), creates an environment from it, runs
# Python inside it, and asks `cenv doctor` about it. Offline, and away from your own setup:
# everything lives under build/demo (its own root prefix and HOME), so ~/.cenv, ~/.condarc
# and ~/.conda stay as they are.
#
#   scripts/demo.sh            after a build (build/cenv)
#   CENV_BIN=... CENV_DEMO_DIR=... scripts/demo.sh   another binary / folder (the tests do)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cenv="${CENV_BIN:-$root/build/cenv}"
demo="${CENV_DEMO_DIR:-$root/build/demo}"

# The demo's own world: no settings of yours leak in, none of its state leaks out.
rm -rf "$demo/root" "$demo/home"
mkdir -p "$demo/home"
export HOME="$demo/home" CENV_ROOT_PREFIX="$demo/root"
unset CONDARC CONDA_PREFIX CONDA_DEFAULT_ENV CONDA_SHLVL

# step TITLE CENV_ARGS...: shows the command as a user would type it, then runs it.
step() {
    printf '\n== %s\n$ cenv' "$1"
    local arg
    for arg in "${@:2}"; do
        if [[ $arg =~ ^[A-Za-z0-9_./=:@+-]*$ ]]; then printf ' %s' "$arg"; else printf " '%s'" "$arg"; fi
    done
    printf '\n'
    "$cenv" "${@:2}"
}

printf '== cenv %s: a demo channel built from this machine (python3, pip, zlib, CUDA-style packages)\n' \
    "$("$cenv" --version)"
python3 "$root/tests/fixtures/make_channel.py" "$demo/channel" >/dev/null

step "the CUDA 12.1 builds of PyTorch 2.1 in the bundled (real) pytorch channel snapshot" \
    search 'pytorch=2.1=*cuda12.1*' -c "$root/demo/channels/pytorch"
step "an environment from the demo channel" \
    create -n demo -y -c "$demo/channel" --override-channels python pip cenvhello zlib cuda-cudart
step "Python inside it, no activation needed" \
    run -n demo python -c 'import sys, zlib; print("python", sys.version.split()[0], "from", sys.prefix, "with zlib", zlib.ZLIB_RUNTIME_VERSION)'
step "a package's entry point" run -n demo cenvhello
step "what it holds" list -n demo
# A problem doctor finds on this machine (an old driver, a stray nvcc) is news, not a failure.
step "driver, CUDA runtime, PyTorch and PATH checked together" doctor -n demo --offline || true

cat <<TXT

== Next, with real channels
  build/cenv config mirror use tuna --pip             # domestic mirrors for conda channels and pip
  build/cenv create -n comfy python=3.10 torch=cu121  # a CUDA 12.1 PyTorch, checked against your driver
  eval "\$(build/cenv shell hook -s bash)"            # then: cenv activate comfy
  build/cenv doctor -n comfy                          # what is wrong, and how to fix it

The demo lives in $demo (root prefix and HOME of its own); delete it when you like.
TXT

#!/usr/bin/env bash
# Style checks: clang-format on every C++ file (fails on a diff), and clang-tidy on the
# sources (needs build/compile_commands.json, made by any cmake configure).
#   scripts/lint.sh            both
#   scripts/lint.sh --format   only clang-format (fast; scripts/test.sh runs this)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
clang-format --dry-run --Werror "${files[@]}"
echo "clang-format: ${#files[@]} files clean"
if [ "${1:-}" = "--format" ]; then
    exit 0
fi
mapfile -t sources < <(git ls-files 'src/*.cpp')
clang-tidy -p build --quiet "${sources[@]}"
echo "clang-tidy: ${#sources[@]} sources checked"

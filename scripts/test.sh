#!/usr/bin/env bash
# The whole test suite: installs what it needs (scripts/bootstrap.sh --deps), builds with
# warnings as errors and runs every test (ctest), then builds and runs the suite again
# under AddressSanitizer + UndefinedBehaviorSanitizer, then runs each libFuzzer target for
# a bounded time. Exits non-zero on any failure; the last line is "N passed, M failed".
#
#   scripts/test.sh                 everything
#   CENV_FUZZ_SECONDS=60 scripts/test.sh   a longer time cap (default 20 s per target)
#   CENV_FUZZ_SEED=$RANDOM CENV_FUZZ_RUNS=-1 scripts/test.sh   explore: another seed, no run cap
#   CENV_TEST_STAGES="release" scripts/test.sh   only some stages (format release asan fuzz)
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
fuzz_seconds=${CENV_FUZZ_SECONDS:-20}
fuzz_seed=${CENV_FUZZ_SEED:-1}  # fixed, so that a run can be repeated; set another to explore
fuzz_runs=${CENV_FUZZ_RUNS:-15000}  # with the seed, the same inputs on every machine
stages=${CENV_TEST_STAGES:-format release asan fuzz}
jobs=$(nproc 2>/dev/null || echo 2)

"$root/scripts/bootstrap.sh" --deps || { echo "test: installing dependencies failed"; exit 1; }

passed=0
failed=0
failures=()

# ctest_stage NAME BUILD_DIR CMAKE_ARGS...: configure, build, run ctest, add up the counts.
ctest_stage() {
    local name=$1 dir=$2
    shift 2
    echo "== [$name] configure and build ($dir)"
    if ! cmake -S "$root" -B "$dir" -G Ninja -DCENV_WERROR=ON "$@" >"$dir.configure.log" 2>&1; then
        cat "$dir.configure.log"
        failures+=("$name: configure")
        failed=$((failed + 1))
        return
    fi
    if ! cmake --build "$dir" -j "$jobs"; then
        failures+=("$name: build")
        failed=$((failed + 1))
        return
    fi
    echo "== [$name] ctest"
    local log="$dir/ctest.log"
    ctest --test-dir "$dir" --output-on-failure -j "$jobs" 2>&1 | tee "$log"
    local summary
    summary=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
    if [ -z "$summary" ]; then
        failures+=("$name: ctest did not finish")
        failed=$((failed + 1))
        return
    fi
    local n_failed n_total
    n_failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$summary")
    n_total=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$summary")
    if [ "$n_total" -eq 0 ]; then
        failures+=("$name: ran no test")
        failed=$((failed + 1))
        return
    fi
    passed=$((passed + n_total - n_failed))
    failed=$((failed + n_failed))
    if [ "$n_failed" -ne 0 ]; then failures+=("$name: $n_failed test(s) failed"); fi
}

fuzz_stage() {
    local dir="$root/build-fuzz"
    echo "== [fuzz] configure and build ($dir)"
    if ! CC=clang CXX=clang++ cmake -S "$root" -B "$dir" -G Ninja -DCENV_WERROR=ON \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCENV_FUZZ=ON -DCENV_TESTS=OFF >"$dir.configure.log" 2>&1 ||
        ! cmake --build "$dir" -j "$jobs" --target version_fuzz match_spec_fuzz repodata_fuzz; then
        cat "$dir.configure.log" 2>/dev/null
        failures+=("fuzz: build")
        failed=$((failed + 1))
        return
    fi
    local corpus="$dir/corpus"
    "$root/tests/fuzz/make_corpus.sh" "$corpus"
    for target in version_fuzz match_spec_fuzz repodata_fuzz; do
        echo "== [fuzz] $target: $fuzz_runs runs from seed $fuzz_seed, at most ${fuzz_seconds}s"
        mkdir -p "$dir/artifacts/$target"
        if "$dir/tests/fuzz/$target" -seed="$fuzz_seed" -runs="$fuzz_runs" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=0 -artifact_prefix="$dir/artifacts/$target/" \
            "$corpus/$target" >"$dir/$target.log" 2>&1; then
            tail -n 1 "$dir/$target.log"
            passed=$((passed + 1))
        else
            tail -n 40 "$dir/$target.log"
            failures+=("fuzz: $target crashed (see $dir/artifacts/$target)")
            failed=$((failed + 1))
        fi
    done
}

for stage in $stages; do
    case "$stage" in
        format)
            echo "== [format] clang-format"
            if "$root/scripts/lint.sh" --format; then
                passed=$((passed + 1))
            else
                failures+=("format: run clang-format -i on the files above")
                failed=$((failed + 1))
            fi
            ;;
        release) ctest_stage release "$root/build" -DCMAKE_BUILD_TYPE=Release ;;
        asan) ctest_stage asan+ubsan "$root/build-asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
            -DCENV_SANITIZE=ON -DCENV_BENCH=OFF ;;
        fuzz) fuzz_stage ;;
        *) echo "test: unknown stage '$stage'"; exit 2 ;;
    esac
done

echo
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env python3
"""Crash-safety figures (issue 5): N install/remove transactions on make_packages.py's
channel, each killed with SIGKILL after a random delay, then the next cenv run on the
prefix; counts the prefixes found exactly in their old state, their new state, in neither
(inconsistent), or unusable (the next command failed). The procedure is the integration
test's (tests/integration/crash_trials.py); this prints the counts for docs/benchmarks.md.

    tests/bench/crash_safety.py [TRIALS] [--packages N --files F]   # default 50, 10, 600
"""

import argparse
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from crash_trials import Trials, make_bench_channel  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("trials", nargs="?", type=int, default=50)
    parser.add_argument("--packages", type=int, default=10)
    parser.add_argument("--files", type=int, default=600)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    cenv = os.path.join(ROOT, "build", "cenv")
    shared = os.path.join(ROOT, "..", "shared")
    work = tempfile.mkdtemp(prefix="cenv-crash-bench-")
    try:
        channel, names = make_bench_channel(shared, os.path.join(work, "chan"), args.packages,
                                            args.files)
        env = dict(os.environ, HOME=os.path.join(work, "home"), CONDA_OVERRIDE_CUDA="",
                   CENV_OVERRIDE_CUDA="")
        env.pop("CONDARC", None)
        trials = Trials(cenv, work, channel, names, env, seed=args.seed)
        counts = {"old": 0, "new": 0, "inconsistent": 0, "unusable": 0}
        recovered = {"rolled back": 0, "completed": 0}
        start = time.monotonic()
        for i in range(args.trials):
            outcome, command, detail = trials.trial()
            counts[outcome] += 1
            if detail in recovered:
                recovered[detail] += 1
            elif detail:
                print("trial %d: %s %s: %s" % (i, outcome, command[0], detail))
        print("%d kills (%d packages, %d files, seed %d) in %.0f s" %
              (args.trials, args.packages, args.files, args.seed, time.monotonic() - start))
        print("old state: %d, new state: %d, inconsistent: %d, unusable: %d" %
              (counts["old"], counts["new"], counts["inconsistent"], counts["unusable"]))
        print("the next run rolled back %d and completed %d interrupted transactions" %
              (recovered["rolled back"], recovered["completed"]))
        print("load average: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

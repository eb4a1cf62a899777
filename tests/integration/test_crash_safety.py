"""Crash safety: 50 install/remove transactions killed with SIGKILL at random moments; after
the next cenv run each prefix is exactly its old or its new state (crash_trials.py)."""

import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cenv_testing import CENV, FIXTURES  # noqa: E402
from crash_trials import Trials, make_bench_channel  # noqa: E402

TRIALS = int(os.environ.get("CENV_CRASH_TRIALS", "50"))


class CrashSafety(unittest.TestCase):
    def test_killed_transactions_leave_the_old_or_the_new_state(self):
        work = tempfile.mkdtemp(prefix="cenv-crash-")
        self.addCleanup(shutil.rmtree, work, True)
        channel, names = make_bench_channel(os.path.dirname(FIXTURES), os.path.join(work, "chan"))
        env = dict(os.environ, HOME=os.path.join(work, "home"), CONDA_OVERRIDE_CUDA="",
                   CENV_OVERRIDE_CUDA="")
        env.pop("CONDARC", None)
        trials = Trials(CENV, work, channel, names, env)
        outcomes = {"old": 0, "new": 0, "inconsistent": 0, "unusable": 0, "rolled back": 0,
                    "completed": 0}
        failures = []
        for _ in range(TRIALS):
            outcome, args, detail = trials.trial()
            outcomes[outcome] += 1
            if outcome in ("inconsistent", "unusable"):
                failures.append("%s: %s %s" % (outcome, " ".join(args[:3]), detail))
            elif detail:
                outcomes[detail] += 1
        print("crash trials:", outcomes, file=sys.stderr)
        self.assertEqual(failures, [])
        # Kills landed on both sides of the commit: the test did test something.
        self.assertGreater(outcomes["old"], 0)
        self.assertGreater(outcomes["new"], 0)
        self.assertGreater(outcomes["rolled back"], 0)  # some kills hit a transaction midway


if __name__ == "__main__":
    unittest.main()

# SPDX-License-Identifier: Apache-2.0
"""What the Python peer tests (t_cose_interop.py, t_eat_interop.py) share:
counting checks and the last line they print.

check() counts a check as passed or failed and prints "FAIL name: detail"
for each failure (and "ok   name" for each pass with -v on the command
line); summary() prints "N passed, N failed" and gives the exit status.
"""
import sys


class Checks:
    def __init__(self, detail_max=None):
        """detail_max: failure details longer than this are cut (None: never)."""
        self.passed = 0
        self.failed = 0
        self.verbose = "-v" in sys.argv[1:]
        self.detail_max = detail_max

    def check(self, name, cond, detail=""):
        if cond:
            self.passed += 1
            if self.verbose:
                print("ok   %s" % name)
        else:
            self.failed += 1
            print("FAIL %s%s" % (name, ": " + str(detail)[:self.detail_max] if detail else ""))
        return cond

    def summary(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0

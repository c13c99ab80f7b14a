"""Benchmark of ``import segtools`` against a bare interpreter start (``make bench``; not a test).

Starts fresh interpreters, alternating ``python -c pass`` (the baseline: interpreter start-up
and site) and ``python -c "import segtools"``, and compares the medians of their wall-clock
times, both measured in this run on this machine. Prints both medians, what segtools adds and
the ratio, and exits 1 when segtools adds more than 0.3 s.

``tests/test_package.py`` checks the cause of a slow import (pandas, scikit-learn or
matplotlib loaded by ``import segtools``) without a clock; this script measures the time.

Usage: ``python bench/import_time.py [--repeat N] [--budget SECONDS]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

BUDGET_SECONDS = 0.3


def run_once(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="interpreters started for each (default 15)")
    parser.add_argument("--budget", type=float, default=BUDGET_SECONDS,
                        help=f"most seconds segtools may add (default {BUDGET_SECONDS})")
    args = parser.parse_args(argv)

    run_once("import segtools")  # warm the file cache and write the .pyc files; not counted
    baseline, segtools = [], []
    for _ in range(args.repeat):  # alternate, so a slow spell of the machine hits both alike
        baseline.append(run_once("pass"))
        segtools.append(run_once("import segtools"))
    base, seg = statistics.median(baseline), statistics.median(segtools)
    added = seg - base
    print(f"python -c pass:              {base * 1000:7.1f} ms (median of {args.repeat})")
    print(f'python -c "import segtools": {seg * 1000:7.1f} ms (median of {args.repeat})')
    print(f"segtools adds {added * 1000:.1f} ms ({seg / base:.2f}x the bare start); budget {args.budget * 1000:.0f} ms")
    if added > args.budget:
        print(f"FAILED: import segtools adds {added:.3f} s, more than {args.budget} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

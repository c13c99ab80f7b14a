"""Benchmark: generating a case world at a million customers.

Target (issue 2): a world with 1,000,000 customers and about 10,000,000 transactions generates in
well under a minute here, with memory proportional to the output. Each size runs in its own
process so that peak memory (max RSS) is its own; the ratio of peak memory to the size of the
tables produced shows memory stays proportional to the output. Exits non-zero on a missed target.

    .venv/bin/python bench/generate.py
"""

import json
import subprocess
import sys

CHILD = """
import json, resource, sys, time
from segtools.data import make_case
name, n = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
case = make_case(name, random_state=1, n_customers=n)
seconds = time.perf_counter() - start
output = sum(int(df.memory_usage(deep=True).sum()) for df in case.tables.values())
print(json.dumps({"seconds": seconds, "rows": {k: len(v) for k, v in case.tables.items()},
                  "output_mb": output / 2**20, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(name: str, n: int) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, name, str(n)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> int:
    missed = []
    for name in ("retail", "startup"):
        small, large = run(name, 100_000), run(name, 1_000_000)
        growth = (large["peak_mb"] - small["peak_mb"]) / (large["output_mb"] - small["output_mb"])
        print(f"{name}: 1,000,000 customers, {large['rows']['transactions']:,} transactions in {large['seconds']:.1f} s "
              f"(100,000 customers: {small['seconds']:.1f} s, ratio {large['seconds'] / small['seconds']:.1f}x); "
              f"output {large['output_mb']:,.0f} MB, peak {large['peak_mb']:,.0f} MB, "
              f"extra peak per extra output MB {growth:.1f}")
        if large["seconds"] > 45:
            missed.append(f"{name}: {large['seconds']:.0f} s is not well under a minute")
        if growth > 4:
            missed.append(f"{name}: memory grows {growth:.1f}x faster than the output")
    for line in missed:
        print("MISSED:", line)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

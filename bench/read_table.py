"""Benchmark of :func:`segtools.data.io.read_table` against what a competent pandas user writes (not a test).

The baseline, measured in the same run on the same file, is ``pd.read_csv(path)`` followed by
``pd.to_datetime(df["date"], format="ISO8601")`` and ``pd.to_numeric(df["amount"])``: the
fastest correct read of the file, without any of read_table's checks (encoding and delimiter
detection, line numbers, contract, duplicates, overflow). Each measurement runs in a fresh
child process, so peak memory (the resident high-water mark ``VmHWM``, reset after the imports,
minus the resident size then) is the read's own; time is the median of ``--repeat`` runs. The
runs of the two alternate (baseline, read_table, baseline, ...), so a machine that gets busier
or quieter during the run weighs on both alike. Imports are made before the clock starts, on
both sides: pandas for the baseline, the modules read_table uses (pyarrow's CSV reader among
them) for read_table.

Also timed, for the record (``--old``): read_table forced through its two slower readers, pandas'
C parser (its fast path before the Arrow one) and the csv module (for files neither can take).

The file: ``make_case("retail", n_customers=...).transactions`` (250,000 customers, or more when
``--rows`` asks for more than they buy) cut to ``--rows`` rows (1,000,000 by default), written
once to a temporary folder.

Exit status 1 when read_table takes more than 1.5x the baseline's time or 1.3x its peak memory.

Usage: ``python bench/read_table.py [--rows N] [--repeat N] [--old]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

MAX_TIME_RATIO = 1.5
MAX_MEMORY_RATIO = 1.3

CHILD = r"""
import json, sys, time
import pandas as pd
import segtools.data.io as io_module, segtools.data.csv_text as csv_text, segtools.data.contracts  # imports first
import segtools.data.arrow_csv as arrow_csv, segtools.data.arrow_text, pyarrow.csv
import pandera.pandas
mode, path = sys.argv[1], sys.argv[2]
if mode in ("c-parser", "csv-module"):
    arrow_csv.arrow_frame = lambda *a, **k: None
if mode == "csv-module":
    csv_text.fast_frame = lambda *a, **k: None
def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith(key + ":"))
try:  # reset the high-water mark left by the imports (Linux >= 4.0)
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
except OSError:
    pass
before = status("VmRSS")
start = time.perf_counter()
if mode == "pandas":
    df = pd.read_csv(path)
    df["date"] = pd.to_datetime(df["date"], format="ISO8601")
    df["amount"] = pd.to_numeric(df["amount"])
else:
    df = io_module.read_table(path, "transactions")
seconds = time.perf_counter() - start
peak = status("VmHWM") - before
print(json.dumps({"seconds": seconds, "peak": peak, "rows": len(df)}))
"""


def _run(mode: str, path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, mode, str(path)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _measure(modes, path: Path, repeat: int) -> dict:
    """Each mode's median time and peak over ``repeat`` runs, the modes taking turns."""
    runs = {mode: [] for mode in modes}
    for _ in range(repeat):
        for mode in modes:
            runs[mode].append(_run(mode, path))
    return {mode: {"seconds": statistics.median(r["seconds"] for r in rs),
                   "peak": statistics.median(r["peak"] for r in rs), "rows": rs[0]["rows"]} for mode, rs in runs.items()}


def _write(rows: int, folder: Path) -> Path:
    from segtools.data import make_case

    customers = max(250_000, rows // 4)  # a retail customer buys about four times
    tx = make_case("retail", n_customers=customers).transactions
    while len(tx) < rows:
        customers = customers * 5 // 4
        tx = make_case("retail", n_customers=customers).transactions
    path = folder / "transactions.csv"
    tx.iloc[:rows].to_csv(path, index=False)
    return path


def main(argv=None) -> int:
    """Run the benchmark; return 0 when within the targets, 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--old", action="store_true", help="also time the slower readers")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="segtools-bench-") as tmp:
        path = _write(args.rows, Path(tmp))
        print(f"file: {args.rows:,} transactions, {path.stat().st_size / 1e6:.1f} MB")
        measured = _measure(["pandas", "segtools"], path, args.repeat)
        base, ours = measured["pandas"], measured["segtools"]
        old = _measure(["c-parser", "csv-module"], path, 1) if args.old else None
    if base["rows"] != ours["rows"]:
        print(f"row counts differ: pandas {base['rows']:,}, read_table {ours['rows']:,}")
        return 1
    time_ratio, memory_ratio = ours["seconds"] / base["seconds"], ours["peak"] / max(base["peak"], 1)
    print(f"pd.read_csv + to_datetime + to_numeric: {base['seconds']:.3f} s, peak {base['peak'] / 1e6:.0f} MB")
    print(f"read_table:                             {ours['seconds']:.3f} s, peak {ours['peak'] / 1e6:.0f} MB")
    for mode, run in (old or {}).items():
        print(f"read_table, {mode} path:{' ' * (27 - len(mode))}{run['seconds']:.3f} s, peak {run['peak'] / 1e6:.0f} MB")
    print(f"ratios: time {time_ratio:.2f}x (target <= {MAX_TIME_RATIO}x), "
          f"memory {memory_ratio:.2f}x (target <= {MAX_MEMORY_RATIO}x)")
    return int(time_ratio > MAX_TIME_RATIO or memory_ratio > MAX_MEMORY_RATIO)


if __name__ == "__main__":
    sys.exit(main())

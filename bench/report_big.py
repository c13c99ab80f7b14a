"""Benchmark of ``segtools report`` on big transaction files (not a test): time and peak memory.

Writes ``--rows`` transactions (20 a customer, 3 % refunds, 1 % zero amounts, customers who come
and go) as Parquet files in chunks (never held in memory at once), then, each in a fresh child process:

1. ``segtools report --transactions 'DIR/*.parquet' --engine duckdb --out OUT``: the whole
   command (checks, the kernel, the per-customer summary in DuckDB, scoring, naming,
   clustering, predicted value, HTML). Peak RSS is the largest of the command and its kernel
   (``resource.getrusage(RUSAGE_CHILDREN)`` in a process that runs only the command: Linux keeps it over
   waited-for descendants).
2. The hand-written DuckDB queries a competent user would write for the same per-customer
   numbers (classic RFM by day with the purchase rhythm's inputs, and the weekly repeat-purchase
   summary, refunds netted as the report nets them), in two ways: one query per grain (one scan
   each), and both grains in one pass (one scan; the weekly numbers from the daily rows, as the
   engine computes them). Same memory budget (3 GB, spilling to a temporary folder), results
   fetched as Arrow tables (faster than ``.df()``). The faster of the two is the baseline. Their
   totals must equal the engine's (checked).

3. The report's transaction-level work alone (``TransactionSource``: checks, RFM and the weekly
   summary in DuckDB), for information: what the engine costs against the hand-written queries.

Targets (issue 16): peak RSS <= 4 GB and report time <= 1.2 x the faster hand-written queries.
Prints the ratios; exits 1 on a miss. Default 10M rows (about a minute); the real target is
``--rows 100_000_000``.

Usage: ``python bench/report_big.py [--rows N] [--keep DIR] [--rounds N]`` (``--rounds 3``: medians of three
runs of each side, in turn; one run of 100M rows varies by a few seconds on a 2-core machine)
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAX_RATIO = 1.2
PEAK_MB = 4 * 1024
TX_PER_CUSTOMER = 20
CHUNK = 5_000_000
SNAPSHOT = "2026-01-01"

# The hand-written queries compute the same per-customer numbers the report needs (checked against the engine's
# in ``main``), as a competent user would write them: one scan and one GROUP BY per grain (day, week), and the
# running count ``k`` of purchase days or weeks so far (a ROWS frame: the cheapest window here) where the refund
# rules need it. Classic RFM by day with refunds netted from the spend once the customer has bought (``k >= 1``;
# a refund before the first purchase undoes nothing), plus the purchase days and their span (the purchase rhythm
# behind the recency windows) and the first day; the weekly repeat-purchase summary with refunds netted into the
# purchase week they undo (from the second purchase week on, ``k >= 2``, a refund lowers the repeat spend).
# Simpler queries (refunds as purchases of their own) would be faster but give other numbers. The snapshot is
# the day after the last date (found first, as the report finds it), so no row is after it and the queries
# need no date filter.
HAND_LAST_DAY = "SELECT max(CAST(date AS DATE)) AS last_day FROM {src}"
HAND_RFM = """
WITH per AS (SELECT customer_id, CAST(date AS DATE) AS day, sum(amount) FILTER (WHERE amount >= 0) AS buy,
                    count(*) FILTER (WHERE amount >= 0) AS n, sum(amount) FILTER (WHERE amount < 0) AS ref,
                    max(amount) AS top
             FROM {src} GROUP BY customer_id, day),
k AS (SELECT *, count(*) FILTER (WHERE n > 0) OVER (PARTITION BY customer_id ORDER BY day
                                                  ROWS UNBOUNDED PRECEDING) AS k FROM per)
SELECT customer_id, DATE '{snap}' - max(day) FILTER (WHERE n > 0) AS recency, sum(n) AS frequency,
       coalesce(sum(buy), 0) + coalesce(sum(ref) FILTER (WHERE k >= 1), 0) AS monetary,
       max(top) > 0 AS paid, count(*) FILTER (WHERE n > 0) AS buy_days,
       max(day) FILTER (WHERE n > 0) - min(day) FILTER (WHERE n > 0) AS buy_span, min(day) AS first_day
FROM k GROUP BY customer_id ORDER BY customer_id
"""
HAND_WEEKLY = """
WITH per AS (SELECT customer_id, CAST(date_trunc('week', CAST(date AS DATE)) AS DATE) AS wk,
                    sum(amount) FILTER (WHERE amount >= 0) AS buy, count(*) FILTER (WHERE amount >= 0) AS n,
                    sum(amount) FILTER (WHERE amount < 0) AS ref
             FROM {src} GROUP BY customer_id, wk),
k AS (SELECT *, count(*) FILTER (WHERE n > 0) OVER (PARTITION BY customer_id ORDER BY wk
                                                  ROWS UNBOUNDED PRECEDING) AS k FROM per)
SELECT customer_id, count(*) FILTER (WHERE n > 0) - 1 AS frequency,
       (max(wk) FILTER (WHERE n > 0) - min(wk) FILTER (WHERE n > 0)) // 7 AS recency,
       (DATE '{snap_week}' - min(wk) FILTER (WHERE n > 0)) // 7 AS T,
       CASE WHEN count(*) FILTER (WHERE n > 0) > 1
            THEN (coalesce(sum(buy) FILTER (WHERE k >= 2), 0) + coalesce(sum(ref) FILTER (WHERE k >= 2), 0))
                 / (count(*) FILTER (WHERE n > 0) - 1) ELSE 0 END AS monetary_value
FROM k GROUP BY customer_id HAVING count(*) FILTER (WHERE n > 0) > 0 ORDER BY customer_id
"""
# Both grains in one pass, as the report's engine now computes them (segtools.engines._sql.report_sql), written by
# hand: one GROUP BY by day, and three window columns over each customer's days that stand in for both running
# counts: the first and the last purchase day so far (d1, dl) and the next purchase day after the row's (dn). A
# refund counts in the daily spend once d1 is set; a week is a repeat-purchase week when it comes after the first
# purchase week; a refund in it counts when a purchase on or before its day, or later in its week, is in a week
# after the first; a purchase day is the last of its week's when dn is in a later week (so they count the weeks).
# A competent user who knows the trick writes this; it reads the files once instead of twice.
HAND_ONE = """
WITH per AS (SELECT customer_id, CAST(date AS DATE) AS day, sum(amount) FILTER (WHERE amount >= 0) AS buy,
                    count(*) FILTER (WHERE amount >= 0) AS n, sum(amount) FILTER (WHERE amount < 0) AS ref,
                    max(amount) AS top
             FROM {src} GROUP BY customer_id, day),
w AS (SELECT *, CAST(date_trunc('week', day) AS DATE) AS wk,
             min(CASE WHEN n > 0 THEN day END) OVER (c ROWS UNBOUNDED PRECEDING) AS d1,
             max(CASE WHEN n > 0 THEN day END) OVER (c ROWS UNBOUNDED PRECEDING) AS dl,
             min(CASE WHEN n > 0 THEN day END) OVER (c ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS dn
      FROM per WINDOW c AS (PARTITION BY customer_id ORDER BY day)),
x AS (SELECT *, CAST(date_trunc('week', d1) AS DATE) AS w1, CAST(date_trunc('week', dl) AS DATE) AS wl,
             CAST(date_trunc('week', dn) AS DATE) AS wn FROM w)
SELECT customer_id, DATE '{snap}' - max(day) FILTER (WHERE n > 0) AS recency, sum(n) AS frequency,
       coalesce(sum(buy), 0) + coalesce(sum(ref) FILTER (WHERE d1 IS NOT NULL), 0) AS monetary,
       max(top) > 0 AS paid, count(*) FILTER (WHERE n > 0) AS buy_days,
       max(day) FILTER (WHERE n > 0) - min(day) FILTER (WHERE n > 0) AS buy_span, min(day) AS first_day,
       count(*) FILTER (WHERE n > 0 AND (dn IS NULL OR wn > wk)) - 1 AS w_frequency,
       (max(wk) FILTER (WHERE n > 0) - min(wk) FILTER (WHERE n > 0)) // 7 AS w_recency,
       (DATE '{snap_week}' - min(wk) FILTER (WHERE n > 0)) // 7 AS w_T,
       CASE WHEN count(*) FILTER (WHERE n > 0 AND (dn IS NULL OR wn > wk)) > 1
            THEN (coalesce(sum(buy) FILTER (WHERE n > 0 AND wk > w1), 0)
                  + coalesce(sum(ref) FILTER (WHERE d1 IS NOT NULL AND (wl > w1 OR (wn = wk AND wk > w1))), 0))
                 / (count(*) FILTER (WHERE n > 0 AND (dn IS NULL OR wn > wk)) - 1) ELSE 0 END AS w_monetary_value
FROM x GROUP BY customer_id ORDER BY customer_id
"""


def totals(rfm, weekly) -> dict:
    """Sums over the customers of both per-customer tables, to check that two sides computed the same numbers."""
    return {"customers": len(rfm), "weekly": len(weekly), "frequency": int(rfm["frequency"].fillna(0).sum()),
            "monetary": float(rfm["monetary"].fillna(0).sum()), "paid": int(rfm["paid"].sum()),
            "buy_days": int(rfm["buy_days"].fillna(0).sum()), "buy_span": int(rfm["buy_span"].fillna(0).sum()),
            "weekly_frequency": int(weekly["frequency"].sum()), "weekly_T": int(weekly["T"].sum()),
            "weekly_spend": float((weekly["monetary_value"] * weekly["frequency"]).sum())}


def same_totals(a: dict, b: dict) -> bool:
    """Whole numbers equal, sums of money within 1e-9 relative (the order of addition differs)."""
    return all(abs(a[k] - b[k]) <= 1e-9 * max(1.0, abs(b[k])) if isinstance(b[k], float) else a[k] == b[k]
               for k in b)


def write_parquet(folder: Path, rows: int) -> float:
    """``rows`` transactions as Parquet chunks in ``folder``; returns the size in MB.

    The log of :func:`segtools.engines.synthetic.order_log` with ``lifetimes=True``: customers come
    and go, so the report's predicted-value models fit and predict for every customer, as on a real
    shop's log (without dropout they find no fit, and the report would skip that work).
    """
    import numpy as np
    import pyarrow.parquet as pq

    from segtools.engines.synthetic import order_log

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(100)
    for i, lo in enumerate(range(0, rows, CHUNK)):
        pq.write_table(order_log(min(CHUNK, rows - lo), n_customers=max(1, rows // TX_PER_CUSTOMER),
                                 snapshot_date=SNAPSHOT, rng=rng, lifetimes=True), folder / f"part-{i:03d}.parquet")
    return sum(p.stat().st_size for p in folder.glob("*.parquet")) / 2**20


def hand_child(folder: str, variant: str) -> None:
    """Fresh process: the hand-written queries on the folder (``two``: one per grain; ``one``: both grains in one
    pass); prints JSON with seconds, peak RSS and totals."""
    import datetime

    import duckdb

    start = time.perf_counter()
    spill = tempfile.mkdtemp(prefix="bench-spill-")
    con = duckdb.connect(config={"memory_limit": "3GB", "temp_directory": spill, "preserve_insertion_order": False})
    src = f"read_parquet('{folder}/*.parquet')"
    snap = con.sql(HAND_LAST_DAY.format(src=src)).fetchall()[0][0] + datetime.timedelta(days=1)  # as the report
    snap_week = snap - datetime.timedelta(days=snap.weekday())
    # fetched as Arrow tables (the fastest way out of DuckDB: no Python object per customer id)
    if variant == "two":
        rfm = con.sql(HAND_RFM.format(src=src, snap=snap)).to_arrow_table()
        weekly = con.sql(HAND_WEEKLY.format(src=src, snap=snap, snap_week=snap_week)).to_arrow_table()
    else:
        rfm = con.sql(HAND_ONE.format(src=src, snap=snap, snap_week=snap_week)).to_arrow_table()
    seconds = time.perf_counter() - start
    rfm = rfm.to_pandas()  # for the totals, after the clock stopped
    if variant == "two":
        weekly = weekly.to_pandas()
    else:  # the buyers' weekly columns
        weekly = rfm.loc[rfm["w_frequency"] >= 0, [c for c in rfm.columns if c.startswith("w_")]]
        weekly = weekly.rename(columns=lambda c: c.removeprefix("w_"))
    con.close()
    shutil.rmtree(spill, ignore_errors=True)  # leave no spill folder behind (after the clock stopped)
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
    print(json.dumps({"seconds": seconds, "peak_mb": peak, **totals(rfm, weekly)}))


def engine_child(folder: str) -> None:
    """Fresh process: the report's transaction-level work alone (checks, RFM, weekly summary) in DuckDB."""
    from segtools.engines import TransactionSource

    start = time.perf_counter()
    source = TransactionSource(f"{folder}/*.parquet")
    snapshot = source.last_date + __import__("pandas").Timedelta(days=1)
    rfm, weekly = source.customer_tables(snapshot)
    seconds = time.perf_counter() - start
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
    print(json.dumps({"seconds": seconds, "peak_mb": peak, **totals(rfm, weekly)}))


def _child(flag: str, *args) -> dict:
    done = subprocess.run([sys.executable, __file__, flag, *map(str, args)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report_child(folder: str, out: str) -> None:
    """Fresh process: ``segtools report`` on the folder's glob; prints JSON with seconds, peak RSS and its output.

    Peak RSS is the largest of the command and its kernel (``RUSAGE_CHILDREN``, which Linux keeps over
    waited-for descendants): this process has no other child, so no other run counts in it.
    """
    cmd = [sys.executable, "-m", "segtools.cli", "report", "--transactions", f"{folder}/*.parquet",
           "--engine", "duckdb", "--out", out, "--force"]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"segtools report failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "stdout": done.stdout}))


def _median_side(runs: list) -> dict:
    """One side over its rounds: the first round's totals, the median time, the largest peak."""
    return {**runs[0], "seconds": statistics.median(r["seconds"] for r in runs),
            "peak_mb": max(r["peak_mb"] for r in runs)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=lambda s: int(s.replace("_", "")), default=10_000_000)
    parser.add_argument("--keep", metavar="DIR", help="write (or reuse) the Parquet files here instead of a temp dir")
    parser.add_argument("--rounds", type=int, default=1,
                        help="run the three sides this many times, in turn, and compare their medians")
    parser.add_argument("--hand-child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--engine-child", help=argparse.SUPPRESS)
    parser.add_argument("--report-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.report_child:
        report_child(*args.report_child)
        return 0
    if args.hand_child:
        hand_child(*args.hand_child)
        return 0
    if args.engine_child:
        engine_child(args.engine_child)
        return 0
    reports, twos, ones, engines = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="report-big-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp) / "orders"
        start = time.perf_counter()
        if not list(folder.glob("*.parquet")):
            size = write_parquet(folder, args.rows)
            print(f"wrote {args.rows:,} transactions ({size:,.0f} MB Parquet) in {time.perf_counter() - start:.0f} s")
        for i in range(max(1, args.rounds)):
            reports.append(_child("--report-child", folder, Path(tmp) / "report"))
            twos.append(_child("--hand-child", folder, "two"))
            ones.append(_child("--hand-child", folder, "one"))
            engines.append(_child("--engine-child", folder))
            if args.rounds > 1:
                print(f"round {i + 1}: report {reports[-1]['seconds']:.1f} s, hand-written {twos[-1]['seconds']:.1f} "
                      f"s (two queries) and {ones[-1]['seconds']:.1f} s (one pass), engine part "
                      f"{engines[-1]['seconds']:.1f} s", flush=True)
    report, engine = _median_side(reports), _median_side(engines)
    two, one = _median_side(twos), _median_side(ones)
    base = min(two, one, key=lambda side: side["seconds"])  # the best hand-written baseline of this run
    ratio = report["seconds"] / base["seconds"]
    print(report["stdout"].rstrip())
    what = f"   (medians of {len(reports)} rounds, largest peaks)" if len(reports) > 1 else ""
    print(f"segtools report (duckdb)      {report['seconds']:7.1f} s   peak RSS {report['peak_mb']:7,.0f} MB{what}")
    for name, side in (("two queries (day, week)", two), ("one pass (both grains)", one)):
        print(f"hand-written, {name:<24}{side['seconds']:7.1f} s   peak RSS {side['peak_mb']:7,.0f} MB   "
              f"{side['customers']:,} customers{'   <- the baseline (faster)' if side is base else ''}")
    print(f"  of which in DuckDB (checks + per-customer tables) {engine['seconds']:7.1f} s   peak RSS "
          f"{engine['peak_mb']:7,.0f} MB   = {engine['seconds'] / base['seconds']:.2f} x hand-written "
          "(the rest: kernel, scoring, clustering, the BG/NBD and Gamma-Gamma fits, HTML)")
    numbers = [{k: v for k, v in side.items() if k not in ("seconds", "peak_mb")}
               for side in (*twos, *ones, *engines)]
    same = all(same_totals(n, numbers[0]) for n in numbers)
    print("  same per-customer numbers (totals) from the engine and the hand-written queries, every round: "
          + ("yes" if same else "NO"))
    print(f"report / hand-written = {ratio:.2f} (target <= {MAX_RATIO}); peak RSS {report['peak_mb']:,.0f} MB "
          f"(target <= {PEAK_MB:,})")
    failures = [] if same else ["the engine and the hand-written queries disagree"]
    if ratio > MAX_RATIO:
        failures.append(f"time: {ratio:.2f}x the hand-written queries (target {MAX_RATIO}x)")
    if report["peak_mb"] > PEAK_MB:
        failures.append(f"memory: peak RSS {report['peak_mb']:,.0f} MB (target {PEAK_MB:,} MB)")
    print("all targets met" if not failures else "MISSED:\n  " + "\n  ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

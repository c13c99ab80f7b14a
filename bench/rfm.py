"""Benchmark of the RFM summaries on generated transactions (``make bench``; not a test).

Times, in one run, segtools' classic RFM (:func:`segtools.customers.rfm`) and
repeat-purchase summary (:func:`segtools.customers.repeat_purchase_summary`) against

(a) the straightforward pandas code a typical tutorial writes (groupby with Python
    lambdas), at 1,000,000 rows only, and
(b) DuckDB SQL of the same definitions, written as a competent user would: one scan, a
    GROUP BY per customer and day, one running count, a GROUP BY per customer, no join
    (it is handed an Arrow table prepared before the clock starts, its most favourable input),

checks that all three agree, prints medians and ratios, and exits 1 when a target is missed:

* segtools at least 10x faster than (a) at 1,000,000 rows;
* segtools no slower than 1.5x DuckDB at 10,000,000 rows;
* peak memory under 3 GB while loading 10,000,000 rows and computing both summaries
  (measured in a fresh child process, so generating the data does not count);
* scoring and naming 1,000,000 customers in under 1 s.

The data come from ``make_case("startup", ...)`` (about 18.5 transactions per customer)
and are cut to exactly the requested number of rows.

Usage: ``python bench/rfm.py [--small N] [--large N] [--repeat N]``
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

SPEEDUP_VS_TUTORIAL = 10.0
MAX_RATIO_VS_DUCKDB = 1.5
PEAK_MB = 3 * 1024
SCORING_SECONDS = 1.0
TX_PER_CUSTOMER = 18.4
SNAPSHOT = pd.Timestamp("2026-01-01")


def median_time(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def make_transactions(rows: int) -> pd.DataFrame:
    from segtools.data import make_case

    case = make_case("startup", n_customers=int(rows / TX_PER_CUSTOMER * 1.02) + 100, n_leads=1000)
    tx = case.transactions
    if len(tx) < rows:
        raise SystemExit(f"generated only {len(tx):,} rows, wanted {rows:,}")
    return tx.iloc[:rows][["customer_id", "date", "amount"]].reset_index(drop=True)


# --- (a) the tutorial's pandas code ------------------------------------------------------------
def tutorial_rfm(tx: pd.DataFrame) -> pd.DataFrame:
    purchases = tx[tx["amount"] > 0]
    out = purchases.groupby("customer_id").agg(
        recency=("date", lambda d: (SNAPSHOT - d.max()).days),
        frequency=("date", lambda d: len(d)),
        monetary=("amount", lambda a: a.sum()),
        first=("date", "min"))
    refunds = tx[tx["amount"] < 0].join(out["first"], on="customer_id")
    refunds = refunds[refunds["date"] >= refunds["first"]]
    out["monetary"] += refunds.groupby("customer_id")["amount"].sum().reindex(out.index).fillna(0)
    return out.drop(columns="first")


def tutorial_summary(tx: pd.DataFrame) -> pd.DataFrame:
    tx = tx.assign(period=tx["date"].dt.normalize())
    per = tx[tx["amount"] > 0].groupby(["customer_id", "period"], as_index=False)["amount"].sum()
    refunds = tx[tx["amount"] < 0].sort_values("period")
    anchors = per[["customer_id", "period"]].rename(columns={"period": "anchor"}).sort_values("anchor")
    refunds = pd.merge_asof(refunds, anchors, left_on="period", right_on="anchor", by="customer_id",
                            direction="backward").dropna(subset=["anchor"])
    per = per.merge(refunds.groupby(["customer_id", "anchor"])["amount"].sum().rename("refund"),
                    left_on=["customer_id", "period"], right_index=True, how="left")
    per["amount"] += per["refund"].fillna(0)
    per = per.sort_values(["customer_id", "period"])
    return per.groupby("customer_id").agg(
        frequency=("period", lambda p: len(p) - 1),
        recency=("period", lambda p: (p.max() - p.min()).days),
        T=("period", lambda p: (SNAPSHOT - p.min()).days),
        monetary_value=("amount", lambda a: a.iloc[1:].mean() if len(a) > 1 else 0.0))


# --- (b) DuckDB SQL of the same definitions: ONE scan, two GROUP BYs, no join --------------------
# Per customer and day: purchases and refunds; then per customer, with a running count of purchase
# days (one window) to tell which refunds have a purchase on or before them to undo (classic RFM) and
# which undo a repeat purchase (``returns="net"``). This is the query a competent user writes.
DUCK_RFM = """
WITH per AS (
    SELECT customer_id, CAST(date AS DATE) AS d,
           count(*) FILTER (WHERE amount > 0) AS n, sum(amount) FILTER (WHERE amount > 0) AS buy,
           sum(amount) FILTER (WHERE amount < 0) AS ref
    FROM tx WHERE CAST(date AS DATE) <= DATE '{snap}' GROUP BY ALL),
k AS (SELECT *, sum(CASE WHEN n > 0 THEN 1 ELSE 0 END) OVER (PARTITION BY customer_id ORDER BY d) AS k FROM per)
SELECT customer_id, date_diff('day', max(d) FILTER (WHERE n > 0), DATE '{snap}') AS recency,
       sum(n) AS frequency, coalesce(sum(buy), 0) + coalesce(sum(ref) FILTER (WHERE k >= 1), 0) AS monetary
FROM k GROUP BY customer_id HAVING sum(n) > 0 ORDER BY customer_id
"""

DUCK_SUMMARY = """
WITH per AS (
    SELECT customer_id, CAST(date AS DATE) - DATE '1970-01-01' AS p,
           count(*) FILTER (WHERE amount > 0) AS n, sum(amount) FILTER (WHERE amount > 0) AS buy,
           sum(amount) FILTER (WHERE amount < 0) AS ref
    FROM tx WHERE CAST(date AS DATE) <= DATE '{snap}' GROUP BY ALL),
k AS (SELECT *, sum(CASE WHEN n > 0 THEN 1 ELSE 0 END) OVER (PARTITION BY customer_id ORDER BY p) AS k FROM per)
SELECT customer_id, count(*) FILTER (WHERE n > 0) - 1 AS frequency,
       max(p) FILTER (WHERE n > 0) - min(p) FILTER (WHERE n > 0) AS recency,
       (DATE '{snap}' - DATE '1970-01-01') - min(p) FILTER (WHERE n > 0) AS T,
       CASE WHEN count(*) FILTER (WHERE n > 0) > 1
            THEN (coalesce(sum(buy) FILTER (WHERE k >= 2), 0) + coalesce(sum(ref) FILTER (WHERE k >= 2), 0))
                 / (count(*) FILTER (WHERE n > 0) - 1)
            ELSE 0 END AS monetary_value
FROM k GROUP BY customer_id HAVING count(*) FILTER (WHERE n > 0) > 0 ORDER BY customer_id
"""


def duckdb_runner(tx: pd.DataFrame):
    import duckdb
    import pyarrow as pa

    con = duckdb.connect()
    con.register("tx", pa.Table.from_pandas(tx, preserve_index=False))
    snap = SNAPSHOT.date().isoformat()

    def run(sql):
        return lambda: con.execute(sql.format(snap=snap)).df().set_index("customer_id")
    return run(DUCK_RFM), run(DUCK_SUMMARY)


# --- checks -------------------------------------------------------------------------------------
def differences(ours: pd.DataFrame, other: pd.DataFrame) -> list[str]:
    other = other.copy()
    other.index = other.index.astype(str)
    problems = []
    if not ours.index.astype(str).equals(other.index.sort_values()):
        return [f"customers differ ({len(ours):,} vs {len(other):,})"]
    other = other.sort_index()
    for col in ours.columns:
        a, b = ours[col].to_numpy(dtype=float), other[col].to_numpy(dtype=float)
        if not np.allclose(a, b, rtol=1e-9, atol=1e-6):
            problems.append(f"{col}: largest difference {np.max(np.abs(a - b)):.3g}")
    return problems


def segtools_runners():
    from segtools.customers import repeat_purchase_summary, rfm

    # the definitions the tutorial and SQL versions write out: refunds netted, zero amounts left out
    return ((lambda tx: rfm(tx, SNAPSHOT, zero_amount="exclude")),
            (lambda tx: repeat_purchase_summary(tx, SNAPSHOT, returns="net", zero_amount="exclude")))


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM, because ``ru_maxrss`` of a
    child started with fork and exec also remembers the parent's peak at the fork."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_memory(path: str) -> None:
    """Child process: load the parquet file, compute both summaries; print three figures in MB.

    The peak RSS after loading, the peak RSS at the end, and the largest amount the
    summaries themselves held at once (numpy allocations traced by tracemalloc).
    """
    import tracemalloc

    tx = pd.read_parquet(path)
    print(peak_rss_mb())
    classic, summary = segtools_runners()
    tracemalloc.start()
    classic(tx)
    summary(tx)
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(peak_rss_mb(), traced)


def scoring_time() -> float:
    from segtools.customers import name_segments, rfm_scores

    rng = np.random.default_rng(0)
    n = 1_000_000
    table = pd.DataFrame({"recency": rng.integers(0, 1461, n), "frequency": rng.geometric(0.6, n),
                          "monetary": rng.lognormal(4, 1, n).round(2)},
                         index=pd.Index([f"C{i:07d}" for i in range(n)], name="customer_id"))
    seconds, _ = median_time(lambda: name_segments(rfm_scores(table)), 3)
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000_000)
    parser.add_argument("--large", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--measure-memory", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure_memory:
        measure_memory(args.measure_memory)
        return 0

    failures = []
    classic, summary = segtools_runners()
    for rows in (args.small, args.large):
        tx = make_transactions(rows)
        print(f"\n{rows:,} transactions, {tx['customer_id'].nunique():,} customers")
        duck_classic, duck_summary = duckdb_runner(tx)
        for name, ours_fn, duck_fn, tut_fn in (("classic RFM", classic, duck_classic, tutorial_rfm),
                                               ("repeat-purchase summary", summary, duck_summary, tutorial_summary)):
            ours_s, ours = median_time(lambda: ours_fn(tx), args.repeat)
            duck_s, duck = median_time(duck_fn, args.repeat)
            ratio = ours_s / duck_s
            line = f"  {name:24s} segtools {ours_s:6.3f} s | DuckDB {duck_s:6.3f} s (segtools/DuckDB {ratio:4.2f})"
            problems = [f"vs DuckDB {p}" for p in differences(ours, duck)]
            if rows == args.small:
                tut_s, tut = median_time(lambda: tut_fn(tx), 1)
                speedup = tut_s / ours_s
                line += f" | tutorial pandas {tut_s:6.2f} s (speed-up {speedup:,.0f}x)"
                problems += [f"vs tutorial {p}" for p in differences(ours, tut)]
                if speedup < SPEEDUP_VS_TUTORIAL:
                    failures.append(f"{name} at {rows:,} rows: {speedup:.1f}x faster than the tutorial code "
                                    f"(target {SPEEDUP_VS_TUTORIAL:.0f}x)")
            print(line)
            print(f"  {'':24s} results agree: {'yes' if not problems else 'NO: ' + '; '.join(problems)}")
            failures += [f"{name} at {rows:,} rows: {p}" for p in problems]
            if rows == args.large and ratio > MAX_RATIO_VS_DUCKDB:
                failures.append(f"{name} at {rows:,} rows: {ratio:.2f}x DuckDB's time (target {MAX_RATIO_VS_DUCKDB}x)")
        if rows == args.large:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "tx.parquet"
                tx.to_parquet(path)
                del tx
                out = subprocess.run([sys.executable, __file__, "--measure-memory", str(path)],
                                     capture_output=True, text=True, check=True)
            loaded, peak, own = (float(v) for v in out.stdout.split()[-3:])
            print(f"  peak memory loading {rows:,} rows and computing both summaries: {peak:,.0f} MB "
                  f"(after loading alone: {loaded:,.0f} MB; the summaries' own peak: {own:,.0f} MB)")
            if peak > PEAK_MB:
                failures.append(f"peak memory {peak:,.0f} MB (target under {PEAK_MB:,} MB)")

    seconds = scoring_time()
    print(f"\nscoring and naming 1,000,000 customers: {seconds:.3f} s (median of 3)")
    if seconds > SCORING_SECONDS:
        failures.append(f"scoring and naming took {seconds:.2f} s (target {SCORING_SECONDS} s)")
    print("\n" + ("all targets met" if not failures else "MISSED:\n  " + "\n  ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

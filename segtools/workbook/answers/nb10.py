"""Notebook 10 (larger than memory): the generated transaction log, file checks and engine choice."""

from __future__ import annotations

from functools import cache

from segtools.workbook.exercise_types import Exercise

# notebook 10's parameters
_N_CUSTOMERS, _TX_PER_CUSTOMER, _N_FILES, _SNAPSHOT, _RANDOM_STATE = 20_000, 20, 4, "2026-01-01", 7


def _write_log(folder):
    """The notebook's log: the same chunks, written with the same generator and seed."""
    import numpy as np
    import pyarrow.parquet as pq

    from segtools.engines.synthetic import order_log

    rng = np.random.default_rng(_RANDOM_STATE)
    rows = _N_CUSTOMERS * _TX_PER_CUSTOMER // _N_FILES
    for i in range(_N_FILES):
        pq.write_table(order_log(rows, n_customers=_N_CUSTOMERS, snapshot_date=_SNAPSHOT, rng=rng),
                       folder / f"part-{i:03d}.parquet")


@cache
def _summaries():
    import tempfile
    from pathlib import Path

    import numpy as np

    from segtools import engines

    with tempfile.TemporaryDirectory(prefix="segtools-answers-") as tmp:
        folder = Path(tmp)
        _write_log(folder)
        by_day = engines.repeat_purchase_summary(folder, _SNAPSHOT, engine="duckdb")
        by_week = engines.repeat_purchase_summary(folder, _SNAPSHOT, engine="duckdb", period="W")
        netted = engines.repeat_purchase_summary(folder, _SNAPSHOT, engine="duckdb", returns="net")
        squeezed = engines.repeat_purchase_summary(folder, _SNAPSHOT, engine="duckdb", memory_limit="128MB",
                                                   temp_directory=Path(tmp) / "spill")
    common = by_day.index.intersection(netted.index)
    changed = int((~np.isclose(by_day.loc[common, "monetary_value"], netted.loc[common, "monetary_value"])).sum())
    ints = ["frequency", "recency", "T"]
    both = squeezed.index.intersection(by_day.index)
    differing = int(len(squeezed.index.symmetric_difference(by_day.index))
                    + ((squeezed.loc[both, ints].to_numpy() != by_day.loc[both, ints].to_numpy()).any(axis=1)
                       | ~np.isclose(squeezed.loc[both, "monetary_value"], by_day.loc[both, "monetary_value"], rtol=0,
                                     atol=1e-9)).sum())
    return float(by_day["frequency"].mean()), float(by_week["frequency"].mean()), changed, len(squeezed), differing


def _bad_date_lines():
    import tempfile
    from pathlib import Path

    from segtools import engines

    with tempfile.TemporaryDirectory(prefix="segtools-answers-") as tmp:
        path = Path(tmp) / "dates.csv"
        path.write_text("customer_id,date,amount\nC1,2025-02-01,1\nC2,31/02/2025,2\nC3,2025-02-03,3\n"
                        "C4,,4\nC5,2025-02-05,5\n")
        first, second = engines.validate_transactions(path)["first_bad"]
    return int(first), int(second)


def _engine_for_a_relation():
    import duckdb

    from segtools import engines

    relation = duckdb.connect().sql("SELECT 'C1' AS customer_id, DATE '2025-06-01' AS date, 10.0 AS amount "
                                    "UNION ALL SELECT 'C1', DATE '2025-07-01', 5.0")
    return str(engines.rfm(relation, _SNAPSHOT).attrs["engine"])


EXERCISES = [
    Exercise("10.1", "mean repeat periods per customer by day and by week", "parts",
             lambda: _summaries()[:2], "`summary[\"frequency\"].mean()` and the same with `period=\"W\"`.",
             parts=("by day", "by week"), tol=(0.05, 0.05), close=(1.0, 1.0)),
    Exercise("10.2", "customers whose monetary_value changes with returns=\"net\"", "number",
             lambda: _summaries()[2], "compare the two summaries' `monetary_value` with `np.isclose`, customer by "
             "customer.", tol=0, close=200),
    Exercise("10.3", "the line numbers validate_transactions reports for the two bad rows", "parts",
             _bad_date_lines, "the header is line 1, so data row n is line n + 1.",
             parts=("first line", "second line"), tol=(0, 0)),
    Exercise("10.4", "customers of the run squeezed to 128MB, and customers whose row differs from the first run",
             "parts", lambda: _summaries()[3:], "compare the integer columns with `!=` and `monetary_value` with "
             "`np.isclose(..., rtol=0, atol=1e-9)`: floating-point sums from parallel threads differ in their last bits.",
             parts=("customers", "rows that differ"), tol=(0, 0), close=(None, None)),
    Exercise("10.5", "the engine engine=\"auto\" picks for a DuckDB relation", "choice", _engine_for_a_relation,
             "look at `attrs[\"engine\"]` of the result.", options=lambda: ("pandas", "duckdb", "spark")),
]

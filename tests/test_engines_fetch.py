"""DuckDB results fetched through Arrow are the frames ``.df()`` gives: same columns, dtypes and values."""

import duckdb
import numpy as np
import pandas as pd
import pytest

from segtools.engines._fetch import frame
from segtools.engines._run import DuckRunner
from segtools.engines._sql import rfm_sql, summary_sql

ROWS = """SELECT * FROM (VALUES
    ('b', 1::BIGINT, 2::HUGEINT, 1.5::DOUBLE, NULL::BIGINT, TRUE, 3::INTEGER, NULL::BOOLEAN, 7::SMALLINT),
    (NULL, 2, NULL, NULL, 5, FALSE, NULL, TRUE, 8),
    ('a', -3, 123456789012::HUGEINT, -0.0, -1, TRUE, 4, NULL, -9)) v(s, b, h, d, bn, bo, i, bm, sm)"""


@pytest.mark.parametrize("sql", [
    ROWS,
    f"SELECT s, b, d, bo FROM ({ROWS}) WHERE s IS NOT NULL",  # no missing values
    "SELECT 'x' AS s, sum(x) AS n FROM range(0) t(x)",  # an empty sum: NULL HUGEINT
    "SELECT * FROM range(0) t(x)",  # no rows
    "SELECT DATE '2025-01-01' AS day, 1 AS n",  # a type left to .df()
    "SELECT 1 AS n, 2 AS n",  # repeated names: left to .df()
    "SELECT (2::HUGEINT ** 70)::HUGEINT AS big",  # beyond 64 bits: left to .df()
])
def test_frame_is_what_df_gives(sql):
    con = duckdb.connect()
    pd.testing.assert_frame_equal(frame(con.sql(sql)), con.sql(sql).df(), check_exact=True)


def _orders(rng, n=400):
    ids = [f"C{i:03d}" for i in rng.integers(0, 60, n)]
    days = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D")
    amount = np.round(rng.normal(40, 30, n), 2)
    amount[rng.random(n) < 0.05] = 0.0
    return pd.DataFrame({"customer_id": ids, "date": days, "amount": amount})


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_report_queries_fetch_as_df_would(seed, tmp_path):
    """The report's two summaries (text ids, counts, HUGEINT sums, missing recency) through Arrow and ``.df()``."""
    path = tmp_path / "orders.parquet"
    _orders(np.random.default_rng(seed)).to_parquet(path)
    run = DuckRunner(str(path))
    snap = (pd.Timestamp("2025-11-01") - pd.Timestamp("1970-01-01")).days
    ids = ("customer_id", "date", "amount")
    for sql in (rfm_sql(snap, frequency="orders", monetary="total", returns="net", zero_amount="purchase", ids=ids,
                        extra=True),
                summary_sql(snap, period="W", returns="net", zero_amount="purchase", ids=ids, counts=False)):
        got = run.df(sql)
        want = run.con.sql(sql.replace("{src}", run.src)).df()
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert len(got) > 0
    run.close()

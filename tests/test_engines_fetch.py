"""DuckRunner.df fetches through Arrow: the same DataFrame as DuckDB's own ``.df()``, column types included."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from segtools.engines._run import ARROW_FETCHED, DuckRunner, arrow_frame

# every type the Arrow path takes, with and without a missing value, and sums of whole numbers (HUGEINT)
TYPES = ["VARCHAR", "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER",
         "UBIGINT", "FLOAT", "DOUBLE"]
VALUES = {"VARCHAR": ["'a'", "'=b, \"c\"'", "''"], "BOOLEAN": ["true", "false", "true"], "FLOAT": ["1.5", "-0.0", "3"],
          "DOUBLE": ["0.1", "-2.5e300", "'nan'"]}


def _values(kind):
    if kind in VALUES:
        return VALUES[kind]
    top = {"TINYINT": 127, "SMALLINT": 32767, "INTEGER": 2**31 - 1, "BIGINT": 2**63 - 1, "UTINYINT": 255,
           "USMALLINT": 65535, "UINTEGER": 2**32 - 1, "UBIGINT": 2**64 - 1}[kind]
    low = 0 if kind.startswith("U") else -top - 1
    return [str(low), "7", str(top)]  # the extremes: a detour through float64 would change them


def _query(with_null: bool) -> str:
    cols = []
    for kind in TYPES:
        values = _values(kind)
        rows = [*values, "NULL"] if with_null else values
        cols.append(f"[{', '.join(f'CAST({v} AS {kind})' for v in rows)}] AS c_{kind.lower()}")
    return f"SELECT unnest([{', '.join(str(i) for i in range(4 if with_null else 3))}]) AS i, {', '.join(cols)}"


@pytest.mark.parametrize("with_null", [False, True], ids=["complete", "with missing values"])
def test_arrow_fetch_gives_what_df_gives(with_null):
    con = duckdb.connect()
    sql = (f"WITH t AS ({_query(with_null)}) SELECT i, "
           + ", ".join(f"c_{k.lower()}[i + 1] AS c_{k.lower()}" for k in TYPES)
           + ", sum(i) OVER () AS total, count(*) OVER () AS n FROM t ORDER BY i")
    rel = con.sql(sql)
    assert {str(t) for t in rel.types} <= ARROW_FETCHED and "HUGEINT" in {str(t) for t in rel.types}
    expected = con.sql(sql).df()
    got = arrow_frame(con.sql(sql).to_arrow_table())
    assert got is not None, "the Arrow path declined a table of the types it takes"
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got.dtypes.tolist() == expected.dtypes.tolist()
    if with_null:  # pandas' nullable types for whole numbers and booleans with a gap, as .df() gives them
        assert str(got["c_bigint"].dtype) == "Int64" and str(got["c_boolean"].dtype) == "boolean"
        assert got["c_ubigint"].iloc[2] == 2**64 - 1


def test_empty_result_and_other_types():
    con = duckdb.connect()
    empty = "SELECT 1::BIGINT AS a, 'x' AS b, sum(3) AS c WHERE false"
    pd.testing.assert_frame_equal(arrow_frame(con.sql(empty).to_arrow_table()), con.sql(empty).df())
    assert arrow_frame(con.sql("SELECT DATE '2020-01-02' AS d").to_arrow_table()) is None
    assert arrow_frame(con.sql("SELECT 1 AS a, 2 AS a").to_arrow_table()) is None


def test_runner_df_on_files_matches_duckdb(tmp_path):
    rng = np.random.default_rng(3)
    n = 5000
    pd.DataFrame({"customer_id": [f"C{i:05d}" for i in rng.integers(0, 400, n)],
                  "date": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D"),
                  "amount": rng.normal(40, 30, n).round(2)}).to_parquet(tmp_path / "t.parquet")
    run = DuckRunner(str(tmp_path / "t.parquet"))
    sql = ("SELECT customer_id, sum(amount) AS spend, count(*) AS n, sum(CAST(amount < 0 AS INTEGER)) AS refunds, "
           "max(CASE WHEN amount > 100 THEN 1 END) AS big, bool_or(amount < 0) AS any_refund, max(date) AS last "
           "FROM {src} GROUP BY customer_id ORDER BY customer_id")
    with_dates = run.df(sql)  # a date column: DuckDB's own .df()
    no_dates = run.df(sql.replace(", max(date) AS last", ""))  # through Arrow
    expected = run.con.sql(sql.replace("{src}", run.src)).df()
    pd.testing.assert_frame_equal(with_dates, expected, check_exact=True)
    pd.testing.assert_frame_equal(no_dates, expected.drop(columns="last"), check_exact=True)
    run.close()


def test_close_hands_back_the_connection_it_made(tmp_path):
    path = tmp_path / "t.parquet"
    pd.DataFrame({"customer_id": ["a", "b", "a"], "amount": [1.0, 2.0, 3.0]}).to_parquet(path)
    run = DuckRunner(str(path))
    frame = run.df("SELECT customer_id, sum(amount) AS spend FROM {src} GROUP BY 1 ORDER BY 1", close=True)
    assert frame["spend"].tolist() == [4.0, 2.0] and run.con is None  # closed once the rows were out
    mine = duckdb.connect()
    theirs = DuckRunner(str(path), connection=mine)
    assert theirs.df("SELECT count(*) AS n FROM {src}", close=True)["n"].tolist() == [3]
    assert mine.execute("SELECT 1").fetchall() == [(1,)]  # an analyst's own connection is left open

"""Checks of big transaction files inside the engine: counts of bad rows and where they are.

Nothing is loaded into pandas: DuckDB (or Spark) counts null ids, missing or unparseable
dates and non-finite amounts in one pass, and only the first few bad line numbers come back.
"""

from __future__ import annotations

from segtools.engines._run import choose, runner
from segtools.engines._sql import normalised

SAMPLE = 5


def _numbered(run, ids) -> str:
    bad = "cid IS NULL OR d IS NULL OR a IS NULL OR NOT (abs(a) <= 1.7976931348623157e308)"
    # DuckDB keeps the scan order; Spark needs an order, and its row ids follow the files' order
    order = "ORDER BY monotonically_increasing_id()" if run.dialect == "spark" else ""
    return (f"SELECT * FROM (SELECT row_number() OVER ({order}) AS n, cid, d, a "
            f"FROM ({normalised('{src}', *ids)}) x) y "
            f"WHERE {bad} ORDER BY n LIMIT {SAMPLE}")


def bad_lines(run, ids) -> dict:
    """The first bad line numbers (1-based, header = line 1 for CSV) or row numbers.

    Parameters
    ----------
    run : DuckRunner or SparkRunner
        The engine's runner on the source.
    ids : tuple of str
        The customer id, date and amount column names.

    Returns
    -------
    dict
        ``what`` ("lines" or "rows") and ``numbers`` (up to five).
    """
    files = getattr(run, "files", None)
    csv = bool(files) and not files[0].lower().endswith((".parquet", ".pq"))
    if getattr(run, "con", None) is not None and run.dialect == "duckdb":
        run.con.execute("SET preserve_insertion_order = true")  # row numbers follow the files
    numbers = [int(n) + (1 if csv else 0) for n in run.df(_numbered(run, ids))["n"]]
    what = "lines" if csv else "rows"
    if files and len(files) > 1:
        what += " (counted across the files in name order)"
    return {"what": what, "numbers": numbers}


def validate_transactions(source, *, engine="auto", customer_id_col="customer_id", date_col="date",
                          amount_col="amount", **engine_options):
    """Count the bad rows of a transaction table without loading it into pandas.

    Parameters
    ----------
    source : DataFrame, str or Path, DuckDB relation or Spark DataFrame
        The transactions (a CSV or Parquet file, a glob or a folder is read in place).
    engine : {"auto", "duckdb", "spark"}
        ``"auto"`` (and ``"pandas"``) run DuckDB except on a Spark DataFrame.
    customer_id_col, date_col, amount_col : str
        Column names.
    **engine_options
        As in :func:`segtools.engines.rfm`.

    Returns
    -------
    dict
        ``rows``, ``null_id``, ``bad_date``, ``bad_amount`` (counts) and ``first_bad`` (up to five
        1-based line numbers for CSV, row numbers otherwise).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["A", None, "B"], "date": ["2025-01-02", "2025-01-03", "soon"],
    ...                    "amount": [1.0, 2.0, float("inf")]})
    >>> validate_transactions(tx)
    {'rows': 3, 'null_id': 1, 'bad_date': 1, 'bad_amount': 1, 'first_bad': [2, 3]}
    """
    from segtools.engines._sql import checks

    chosen = choose(source, engine)
    chosen = "duckdb" if chosen == "pandas" else chosen
    ids = (customer_id_col, date_col, amount_col)
    run = runner(source, chosen, engine_options, text_cols=(date_col, amount_col))
    c = {k: int(v or 0) for k, v in run.df(checks("{src}", 0, *ids)).iloc[0].items()}
    out = {"rows": c["n_rows"], "null_id": c["null_id"], "bad_date": c["bad_date"], "bad_amount": c["bad_amount"]}
    bad = c["null_id"] + c["bad_date"] + c["bad_amount"]
    out["first_bad"] = bad_lines(run, ids)["numbers"] if bad else []
    return out

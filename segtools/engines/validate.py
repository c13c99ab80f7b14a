"""Checks of big transaction files inside the engine: counts of bad rows and where they are.

Nothing is loaded into pandas: DuckDB (or Spark) counts null ids, missing or unparseable
dates and non-finite amounts in one pass, and only the first few bad line numbers come back.
Parquet files carry statistics per row group (rows, missing values, smallest and largest
value of each column): when they settle the id and date checks (:func:`parquet_facts`), only
the amount column is read (:func:`known_counts`), never the ids, which are the costly column.
"""

from __future__ import annotations

from segtools.engines._run import choose, runner
from segtools.engines._sql import amount_checks, normalised

SAMPLE = 5


def _numbered(run, ids) -> str:
    bad = "cid IS NULL OR d IS NULL OR a IS NULL OR NOT (abs(a) <= 1.7976931348623157e308)"
    # DuckDB keeps the scan order; Spark needs an order, and its row ids follow the files' order
    order = "ORDER BY monotonically_increasing_id()" if run.dialect == "spark" else ""
    return (f"SELECT * FROM (SELECT row_number() OVER ({order}) AS n, cid, d, a "
            f"FROM ({normalised('{src}', *ids)}) x) y "
            f"WHERE {bad} ORDER BY n LIMIT {SAMPLE}")


_UNITS_PER_DAY = {"milliseconds": 86_400_000, "microseconds": 86_400_000_000, "nanoseconds": 86_400_000_000_000}


def _date_unit(column) -> int | None:
    """Units per day of a Parquet date or time-zone-free timestamp column (None for anything else)."""
    import json

    logical = json.loads(column.logical_type.to_json())
    if logical.get("Type") == "Date":
        return 1
    if logical.get("Type") == "Timestamp" and not logical.get("isAdjustedToUTC"):
        return _UNITS_PER_DAY.get(logical.get("timeUnit"))
    return None  # text, a time-zone timestamp (its date depends on the zone), legacy INT96: scan instead


def parquet_facts(files, ids) -> dict | None:
    """What the Parquet footers say about the id and date columns, or None when they cannot say it.

    Parameters
    ----------
    files : list of str
        Parquet files.
    ids : tuple of str
        The customer id, date and amount column names.

    Returns
    -------
    dict or None
        ``n_rows``, ``null_id``, ``null_date``, ``first_day`` and ``last_day`` (days since
        1970-01-01), from the statistics of every row group; None when a file is not Parquet,
        lacks a column or its statistics, or stores the dates as text or with a time zone.

    Examples
    --------
    >>> import os, tempfile, pandas as pd
    >>> path = os.path.join(tempfile.mkdtemp(), "tx.parquet")
    >>> pd.DataFrame({"customer_id": ["A", None], "date": pd.to_datetime(["2025-01-02", "2025-03-01"]),
    ...               "amount": [1.0, 2.0]}).to_parquet(path)
    >>> parquet_facts([path], ("customer_id", "date", "amount"))
    {'n_rows': 2, 'null_id': 1, 'null_date': 0, 'first_day': 20090, 'last_day': 20148}
    """
    import pyarrow.parquet as pq

    facts = {"n_rows": 0, "null_id": 0, "null_date": 0, "first_day": None, "last_day": None}
    try:
        for path in files:
            meta = pq.ParquetFile(path).metadata
            where = {meta.schema.column(j).path: j for j in range(meta.num_columns)}
            if not {ids[0], ids[1], ids[2]} <= set(where):
                return None
            unit = _date_unit(meta.schema.column(where[ids[1]]))
            if unit is None:
                return None
            facts["n_rows"] += meta.num_rows
            for g in range(meta.num_row_groups):
                group = meta.row_group(g)
                if group.num_rows == 0:
                    continue
                cid, date = (group.column(where[c]).statistics for c in ids[:2])
                if cid is None or date is None or not (cid.has_null_count and date.has_null_count):
                    return None
                facts["null_id"] += cid.null_count
                facts["null_date"] += date.null_count
                if date.null_count == group.num_rows:
                    continue
                if not date.has_min_max:
                    return None
                first, last = date.min_raw // unit, date.max_raw // unit  # floor: the calendar day
                facts["first_day"] = first if facts["first_day"] is None else min(facts["first_day"], first)
                facts["last_day"] = last if facts["last_day"] is None else max(facts["last_day"], last)
    except (OSError, ValueError, TypeError, AttributeError):  # not a readable Parquet footer: scan instead
        return None
    return facts


def known_counts(run, snap_day, ids) -> dict | None:
    """The checks' counts from Parquet statistics plus one pass over the amount column, when they settle it.

    Parameters
    ----------
    run : DuckRunner or SparkRunner
        The engine's runner on the source.
    snap_day : int
        The snapshot date as days since 1970-01-01.
    ids : tuple of str
        The customer id, date and amount column names.

    Returns
    -------
    dict or None
        The counts of :func:`segtools.engines._sql.checks`; None (scan everything) unless the source is
        Parquet files with no missing id or date, typed dates, and no row after the snapshot.
    """
    files = getattr(run, "files", None)
    if not files or not all(f.lower().endswith((".parquet", ".pq")) for f in files):
        return None
    facts = parquet_facts(files, ids)
    if (facts is None or facts["null_id"] or facts["null_date"] or facts["last_day"] is None
            or facts["last_day"] > snap_day):
        return None  # a bad row or a row after the snapshot to count: the full pass counts it exactly
    found = {k: int(v or 0) for k, v in run.df(amount_checks("{src}", ids[2])).iloc[0].items()}
    if found["n_rows"] != facts["n_rows"]:
        return None
    return {"n_rows": facts["n_rows"], "null_id": 0, "bad_date": 0, "bad_amount": found["bad_amount"],
            "after_snapshot": 0, "ref_rows": found["ref_rows"], "zero_rows": found["zero_rows"],
            "first_day": facts["first_day"], "last_day": facts["last_day"]}


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

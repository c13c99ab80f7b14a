"""Classic RFM and the repeat-purchase summary on pandas, DuckDB or Spark, with the same definitions.

The pandas engine calls :func:`segtools.customers.rfm` and
:func:`segtools.customers.repeat_purchase_summary`; DuckDB and Spark run the one SQL text of
:mod:`segtools.engines._sql`, with the same options (``returns``, ``zero_amount``,
``after_snapshot``) and the same counts in ``attrs["excluded"]`` and ``attrs["affected"]``.
"""

from __future__ import annotations

import numpy as np

from segtools.engines._run import choose, runner
from segtools.engines._sql import checks, rfm_sql, summary_sql
from segtools.errors import ValidationError

TABLE = "transactions"


def snap_day(snapshot_date) -> int:
    """The snapshot date as days since 1970-01-01 (required: never a hidden "today").

    Parameters
    ----------
    snapshot_date : date-like

    Returns
    -------
    int

    Examples
    --------
    >>> snap_day("1970-01-11")
    10
    """
    import pandas as pd

    if snapshot_date is None:
        raise ValueError("snapshot_date is required: pass the analysis date explicitly, e.g. case.snapshot_date")
    snap = pd.Timestamp(snapshot_date)
    return int((snap.normalize() - pd.Timestamp("1970-01-01")).days)


def validate_source(run, snap_day, ids, *, after_snapshot="raise") -> dict:
    """Count bad rows (from Parquet statistics when they settle it, else in one pass); raise on bad rows.

    Parquet files whose statistics show no missing id or date, dates stored as dates or timestamps
    without a time zone, and none after the snapshot need only the amount column read (NaN amounts are
    not in the statistics): see :func:`segtools.engines.validate.parquet_facts`. Anything else gets the
    full pass of :func:`segtools.engines._sql.checks`. Either way the counts are the same. Within one
    ``segtools report`` the files are checked once: see :mod:`segtools.engines.checked`.

    Parameters
    ----------
    run : DuckRunner or SparkRunner
        The engine's runner on the source.
    snap_day : int
        The snapshot date as days since 1970-01-01.
    ids : tuple of str
        The customer id, date and amount column names.
    after_snapshot : {"raise", "exclude"}
        Raise when rows are dated after the snapshot, or only count them.

    Returns
    -------
    dict
        The counts (``n_rows``, ``after_snapshot``, ...) when the table is clean.
    """
    from segtools.engines import checked
    from segtools.engines.validate import known_counts

    key = checked.check_key(getattr(run, "files", None), snap_day, ids)
    counts = recalled = checked.recall(key)  # checked already by the command that started this report's kernel
    if counts is None:
        counts = known_counts(run, snap_day, ids)
    if counts is None:
        counts = {k: int(v or 0) for k, v in run.df(checks("{src}", snap_day, *ids)).iloc[0].items()}
    problems = {"null_id": f"column {ids[0]!r} is empty", "bad_date": f"column {ids[1]!r} is missing or not a date",
                "bad_amount": f"column {ids[2]!r} is missing, not a number or not finite"}
    found = [(k, text) for k, text in problems.items() if counts[k]]
    if found:
        from segtools.engines.validate import bad_lines

        lines = bad_lines(run, ids)
        parts = [f"{text} in {counts[k]:,} of {counts['n_rows']:,} rows" for k, text in found]
        raise ValidationError(f"{where_label(run)}: {'; '.join(parts)} (first bad {lines['what']}: "
                              f"{', '.join(map(str, lines['numbers']))})", table=TABLE)
    if counts["after_snapshot"] and after_snapshot == "raise":
        raise ValidationError(
            f"{where_label(run)}, column {ids[1]!r}: {counts['after_snapshot']:,} of {counts['n_rows']:,} rows are "
            "dated "
            "after the snapshot date; pass after_snapshot='exclude' to leave them out (they are then counted), "
            "or choose a later snapshot date", table=TABLE)
    if recalled is None:
        checked.remember(key, counts)
    return counts


def where_label(run, table: str = TABLE) -> str:
    """``table 'transactions'``, and the file(s) it was read from, for messages.

    Parameters
    ----------
    run : DuckRunner or SparkRunner
    table : str
        The table's name.

    Returns
    -------
    str

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> where_label(SimpleNamespace(files=["/data/leads.csv"]), "leads")
    "table 'leads' (file leads.csv)"
    """
    files = getattr(run, "files", None) or []
    if not files:
        return f"table {table!r}"
    import os

    names = ", ".join(os.path.basename(f) for f in files[:3]) + (f" and {len(files) - 3:,} more" if len(files) > 3
                                                                  else "")
    return f"table {table!r} (file{'s' if len(files) > 1 else ''} {names})"


def finish(raw, columns, ints, counts, rules, ids, engine):
    """The engine's per-customer rows as the pandas functions return them (buyers, typed, with ``attrs``).

    Parameters
    ----------
    raw : DataFrame
        The query's rows (``cid``, the columns, ``n_buy``, ``kinds``, ``ref_before``); without ``kinds``
        (a query with ``counts=False``) the result's ``attrs`` hold only ``rules`` and ``engine``.
    columns, ints : tuple of str
        The columns to return, and those that are whole numbers.
    counts : dict
        The checks' counts (:func:`validate_source`).
    rules : dict
        ``zero_amount`` and ``returns``.
    ids : tuple of str
        The customer id, date and amount column names.
    engine : str
        The engine that ran.

    Returns
    -------
    DataFrame
    """
    import pandas as pd

    returns = rules["returns"]
    has = raw["n_buy"].to_numpy() > 0
    kept = raw if has.all() else raw.loc[has]  # no copy of millions of rows when every customer bought
    out = pd.DataFrame({c: kept[c].to_numpy(dtype=np.int64 if c in ints else np.float64) for c in columns},
                       index=pd.Index(kept["cid"], name=ids[0]))  # the ids stay in their column type (no objects)
    if "kinds" not in raw:
        out.attrs.update(rules=dict(rules), engine=engine)
        return out
    kinds = kinds_of(raw)
    n_ref, before = counts["ref_rows"], int(raw["ref_before"].sum())
    affected = {"zero_amount_rows": counts["zero_rows"], "zero_amount_customers": int(((kinds & 2) > 0).sum()),
                "only_zero_amount_customers": int(((kinds & 6) == 2).sum()), "refund_rows": n_ref,
                "refund_customers": int(((kinds & 1) > 0).sum())}
    counts = {"after_snapshot": counts["after_snapshot"],
              "zero_amount": counts["zero_rows"] if rules["zero_amount"] == "exclude" else 0,
              "refunds_ignored": n_ref if returns == "ignore" else 0,
              "refunds_before_first_purchase": before if returns == "net" else 0,
              "customers_without_purchase": int((~has).sum())}
    out.attrs["excluded"] = counts
    out.attrs["affected"] = affected
    out.attrs["rules"] = dict(rules)
    out.attrs["engine"] = engine
    return out


def kinds_of(raw) -> np.ndarray:
    """The per-customer :data:`segtools.engines._sql.KINDS` flags as integers (0 for a customer with no row kept).

    Parameters
    ----------
    raw : DataFrame
        A summary query's rows, with column ``kinds``.

    Returns
    -------
    ndarray of int64
        Bit 1: a refund, 2: a zero amount, 4: a paid purchase.

    Examples
    --------
    >>> import pandas as pd
    >>> kinds_of(pd.DataFrame({"kinds": [5.0, None]})).tolist()
    [5, 0]
    """
    import pandas as pd

    return pd.to_numeric(raw["kinds"]).fillna(0).to_numpy().astype(np.int64)


def _engine_options(options):
    keys = ("spark", "spark_conf", "memory_limit", "temp_directory", "threads")
    unknown = set(options) - set(keys)
    if unknown:
        raise TypeError(f"unknown engine options {sorted(unknown)}; known: {', '.join(keys)}")
    return dict(options)


def rfm(source, snapshot_date, *, engine="auto", frequency="orders", monetary="total", returns="net",
        zero_amount="purchase", after_snapshot="raise", customer_id_col="customer_id", date_col="date", amount_col="amount", **engine_options):
    """Classic segmentation RFM on pandas, DuckDB or Spark (the definitions of :func:`segtools.customers.rfm`).

    Parameters
    ----------
    source : DataFrame, str or Path, DuckDB relation, ibis table or Spark DataFrame
        The transactions; a path may be one CSV or Parquet file, a glob or a folder, read in place.
    snapshot_date : date-like
        The analysis date.
    engine : {"auto", "pandas", "duckdb", "spark"}
        ``"auto"`` picks pandas for in-memory tables up to ``ROW_THRESHOLD`` rows, DuckDB for files,
        relations and larger tables, Spark for a Spark DataFrame, and logs its choice.
    frequency, monetary, returns, zero_amount, after_snapshot, customer_id_col, date_col, amount_col
        As in :func:`segtools.customers.rfm`.
    **engine_options
        ``memory_limit`` (DuckDB, default ``"2GB"``), ``temp_directory`` (where DuckDB spills),
        ``threads``; ``spark`` (a SparkSession) or ``spark_conf`` (e.g. ``{"spark.master": "local[4]"}``).

    Returns
    -------
    DataFrame
        Indexed by customer id (sorted): ``recency``, ``frequency``, ``monetary``; ``attrs["excluded"]``
        counts what was left out, ``attrs["engine"]`` names the engine that ran.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "B"],
    ...                    "date": pd.to_datetime(["2025-12-01", "2025-12-20", "2025-06-01"]),
    ...                    "amount": [10.0, -4.0, 50.0]})
    >>> rfm(tx, "2026-01-01", engine="duckdb")  # doctest: +NORMALIZE_WHITESPACE
                 recency  frequency  monetary
    customer_id
    A                 31          1       6.0
    B                214          1      50.0
    """
    from segtools.customers import rfm as pandas_rfm

    chosen = choose(source, engine)
    ids = (customer_id_col, date_col, amount_col)
    if chosen == "pandas":
        out = pandas_rfm(source, snapshot_date, frequency=frequency, monetary=monetary, returns=returns,
                         zero_amount=zero_amount, after_snapshot=after_snapshot, customer_id_col=customer_id_col, date_col=date_col,
                         amount_col=amount_col)
        out.attrs["engine"] = "pandas"
        return out
    opts = _engine_options(engine_options)
    _check_choices(frequency=(frequency, ("orders", "days")), monetary=(monetary, ("total", "mean")),
                   returns=(returns, ("net", "ignore")), after_snapshot=(after_snapshot, ("raise", "exclude")),
                   zero_amount=(zero_amount, ("purchase", "exclude")))
    run = runner(source, chosen, opts, text_cols=(date_col, amount_col))
    snap = snap_day(snapshot_date)
    counts = validate_source(run, snap, ids, after_snapshot=after_snapshot)
    raw = run.df(rfm_sql(snap, frequency=frequency, monetary=monetary, returns=returns, zero_amount=zero_amount,
                         ids=ids, all_kept=counts["after_snapshot"] == 0))
    rules = {"zero_amount": zero_amount, "returns": returns}
    return finish(raw, ("recency", "frequency", "monetary"), ("recency", "frequency"), counts, rules, ids, chosen)


def repeat_purchase_summary(source, snapshot_date, *, engine="auto", period="D", returns="event",
                            zero_amount="purchase", after_snapshot="raise", customer_id_col="customer_id", date_col="date",
                            amount_col="amount", **engine_options):
    """The repeat-purchase summary on pandas, DuckDB or Spark (as :func:`segtools.customers.repeat_purchase_summary`).

    Parameters
    ----------
    source : DataFrame, str or Path, DuckDB relation, ibis table or Spark DataFrame
        The transactions, as in :func:`rfm`.
    snapshot_date : date-like
        The end of observation.
    engine : {"auto", "pandas", "duckdb", "spark"}
        As in :func:`rfm`.
    period, returns, zero_amount, after_snapshot, customer_id_col, date_col, amount_col
        As in :func:`segtools.customers.repeat_purchase_summary` (``returns="event"``, the
        default, counts every row as an event, as lifetimes does).
    **engine_options
        As in :func:`rfm`.

    Returns
    -------
    DataFrame
        Indexed by customer id (sorted): ``frequency``, ``recency``, ``T``, ``monetary_value``.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "A", "B"],
    ...                    "date": pd.to_datetime(["2025-12-01", "2025-12-11", "2025-12-21", "2025-12-30"]),
    ...                    "amount": [10.0, 30.0, 50.0, 8.0]})
    >>> repeat_purchase_summary(tx, "2026-01-01", engine="duckdb")  # doctest: +NORMALIZE_WHITESPACE
                 frequency  recency   T  monetary_value
    customer_id
    A                    2       20  31            40.0
    B                    0        0   2             0.0
    """
    from segtools.customers import repeat_purchase_summary as pandas_summary

    chosen = choose(source, engine)
    ids = (customer_id_col, date_col, amount_col)
    if chosen == "pandas":
        out = pandas_summary(source, snapshot_date, period=period, returns=returns, zero_amount=zero_amount,
                             after_snapshot=after_snapshot,
                             customer_id_col=customer_id_col, date_col=date_col, amount_col=amount_col)
        out.attrs["engine"] = "pandas"
        return out
    opts = _engine_options(engine_options)
    _check_choices(period=(period, ("D", "W")), returns=(returns, ("event", "net", "ignore")),
                   after_snapshot=(after_snapshot, ("raise", "exclude")), zero_amount=(zero_amount, ("purchase", "exclude")))
    run = runner(source, chosen, opts, text_cols=(date_col, amount_col))
    snap = snap_day(snapshot_date)
    counts = validate_source(run, snap, ids, after_snapshot=after_snapshot)
    raw = run.df(summary_sql(snap, period=period, returns=returns, zero_amount=zero_amount, ids=ids,
                             all_kept=counts["after_snapshot"] == 0))
    rules = {"zero_amount": zero_amount, "returns": returns}
    return finish(raw, ("frequency", "recency", "T", "monetary_value"), ("frequency", "recency", "T"), counts,
                   rules, ids, chosen)


def _check_choices(**choices):
    for name, (value, allowed) in choices.items():
        if value not in allowed:
            raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")

"""Dates after the analysis date: the given one, or else the bulk of a column's own dates (a typo, a placeholder).

:func:`late_dates` finds them in one column; :func:`check_late_dates` refuses them, or leaves them
out with ``future_dates: exclude``, for a table's date columns. Both are used by the contracts
(:mod:`segtools.data.contracts`) through :mod:`segtools.data.checks`.
"""

from __future__ import annotations

FUTURE_POLICIES = ("error", "exclude")
YEAR_NS = 365 * 86_400 * 10**9


def late_dates(dates, snapshot_date=None):
    """Which dates lie after the analysis date: the given one, or else the bulk of the column's own dates.

    With ``snapshot_date``: every date on a later day. Without it, the *bulk rule*: sort the
    dates; the last ``k`` of them are late when they start more than a year after the date
    before them *and* that gap is more than three times the whole span of the earlier dates (from
    the 1 % quantile): a gap that a real history of sign-ups or orders does not have (a quiet
    spell as long as the history itself still passes). ``k`` is at most 1 % of the dates (at least 1, at most 5 in a small column, never
    half of it), and the largest ``k`` that qualifies is taken. So one payment dated 2099 in a
    2024-2025 file is late, a steady stream of recent rows never is, and "today" is never used.

    Parameters
    ----------
    dates : Series of datetime64
    snapshot_date : Timestamp-like, optional

    Returns
    -------
    Series of bool
        Indexed like ``dates``.

    Examples
    --------
    >>> import pandas as pd
    >>> late_dates(pd.Series(pd.to_datetime(["2025-01-02", "2025-03-04", "2099-01-01"]))).tolist()
    [False, False, True]
    """
    import numpy as np
    import pandas as pd

    if snapshot_date is not None:
        return (dates.dt.normalize() > pd.Timestamp(snapshot_date).normalize()).fillna(False).astype(bool)
    values = dates.to_numpy(dtype="datetime64[ns]").view("int64")
    values = values[dates.notna().to_numpy()] if dates.isna().any() else values
    n = len(values)
    tail = max(n // 100, min(5, (n - 1) // 2))
    if tail < 1:
        return pd.Series(False, index=dates.index)
    step = max(1, n // 4096)  # thresholds from a sample keep the values near both ends, and only those are sorted
    sample = np.sort(values[::step])
    low = values[values <= sample[min(len(sample) - 1, n // 100 // step + 64)]]
    top = np.sort(values[values >= sample[max(0, len(sample) - 1 - (tail + 1) // step - 64)]])[-(tail + 1):]
    if len(low) <= n // 100 or len(top) < tail + 1:  # the sample misled (never seen): sort them all
        low = top = np.sort(values)
    quantile, top = np.partition(low, n // 100)[n // 100], top[-(tail + 1):]  # top[j]: value n - tail - 1 + j
    k = np.arange(1, tail + 1)
    gaps = top[tail + 1 - k] - top[tail - k]
    spans = top[tail - k] - quantile
    late = k[gaps > np.maximum(YEAR_NS, 3 * spans)]
    if not len(late):
        return pd.Series(False, index=dates.index)
    cutoff = top[tail + 1 - late.max()]
    return (dates.to_numpy(dtype="datetime64[ns]").view("int64") >= cutoff) & dates.notna().to_numpy()


def check_late_dates(table, columns, problems, policy: str = "error", snapshot_date=None):
    """Refuse (or, with ``future_dates: exclude``, leave out and count) rows dated after the analysis date.

    Without a given analysis date, a date the bulk rule of :func:`late_dates` finds is still kept
    when the table's other date columns (their own late dates aside) reach as far: in a small lead
    table, one conversion can come more than a year after the two before it and still be days
    before the newest lead was created. A typo such as 2099 is beyond every column.

    Parameters
    ----------
    table : DataFrame
        Parsed table.
    columns : iterable of str
        Its date columns.
    problems : segtools.data.checks.Problems
    policy : {"error", "exclude"}
    snapshot_date : Timestamp-like, optional
        The given analysis date; None applies the bulk rule of :func:`late_dates`.

    Returns
    -------
    tuple
        The table to keep and ``{reason: rows left out}``.
    """
    import numpy as np
    import pandas as pd

    if policy not in FUTURE_POLICIES:
        raise ValueError(f"future_dates must be one of {', '.join(FUTURE_POLICIES)}, got {policy!r}")
    drop = np.zeros(len(table), dtype=bool)
    found = {col: np.asarray(late_dates(table[col], snapshot_date), dtype=bool) for col in columns
             if col in table and table[col].dtype.kind == "M"}
    for col, late in found.items():
        if snapshot_date is None and late.any():  # the bulk rule: what the table's other dates reach is no typo
            others = [o for o in found if o != col and table[o].dtype == table[col].dtype]
            reach = [r for r in (table[o][~found[o]].max() for o in others) if pd.notna(r)]
            if reach:
                late = late & ~(table[col] <= max(reach)).to_numpy()
        if not late.any():
            continue
        if snapshot_date is not None:
            why = f"date after the analysis date {pd.Timestamp(snapshot_date):%Y-%m-%d}"
        else:
            rest = table[col][~late].max()
            why = (f"date far after the column's other dates (more than a year after the rest, which ends "
                   f"{rest:%Y-%m-%d}; a typo or placeholder?)")
        if policy == "exclude":
            drop |= late
        else:
            problems.add(col, why + ": fix it, or set future_dates: exclude in the mapping to leave such rows out",
                         table.index[late], table[col][late].dt.strftime("%Y-%m-%d"))
    if not drop.any():
        return table, {}
    what = "after the analysis date" if snapshot_date is not None else "far after the bulk of the dates"
    return table[~drop], {f"rows dated {what} (future_dates: exclude)": int(drop.sum())}


"""Segmentation over time: re-segment each month, follow who moved, measure drift, test a campaign.

The four-step strategy of notebook 07 (set goals, segment, target and reach, analyse and
adjust) needs four small tools, one a function here:

- :func:`monthly_segments` puts every customer in a segment for every month, from a fixed
  rule, so that month-to-month changes mean the customers changed, not the rule;
- :func:`transition_matrix` counts who moved from which segment to which between two months;
- :func:`segment_shares` and :func:`population_stability` measure segment drift;
- :func:`assign_holdout` and :func:`holdout_test` split a target segment at random into a
  campaign group and a hold-out group, and compare their outcome rates with a confidence
  interval.

Examples
--------
>>> import pandas as pd
>>> from segtools.over_time import monthly_segments, transition_matrix
>>> usage = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "c"],
...                       "month": pd.to_datetime(["2025-01-01", "2025-02-01"] * 2 + ["2025-02-01"]),
...                       "sessions": [250, 20, 0, 60, 90]})
>>> seg = monthly_segments(usage, bins=(0, 1, 50, 200), labels=("dormant", "light", "regular", "power"))
>>> print(seg[["customer_id", "month", "segment"]].to_string(index=False))
customer_id      month segment
          a 2025-01-01   power
          a 2025-02-01   light
          b 2025-01-01 dormant
          b 2025-02-01 regular
          c 2025-02-01 regular
"""

from __future__ import annotations


from segtools._validation import require_columns, require_no_missing
from segtools.errors import ValidationError


def monthly_segments(activity, *, bins, labels, customer_id_col: str = "customer_id",
                     period_col: str = "month", value_col: str = "sessions", gone_label: str = "churned",
                     table: str = "usage"):
    """Put every customer in a segment for every month, with one fixed rule.

    A customer's value in a month falls in one of the half-open ranges
    ``[bins[0], bins[1])``, ..., ``[bins[-1], inf)``, named by ``labels``. A month with no
    row, after the customer's first month and up to the last month in the data, is
    ``gone_label`` (the customer stopped using the product). Months before a customer's
    first row are not listed: the customer did not exist yet.

    Parameters
    ----------
    activity : DataFrame
        One row per customer and month, e.g. ``load_case("startup").tables["usage"]``.
    bins : sequence of float
        Increasing lower edges of the segments; the first is the smallest allowed value.
    labels : sequence of str
        One name per bin, from the lowest range to the highest.
    customer_id_col, period_col, value_col : str
        The customer, the month (datetime, first of the month) and the measured value.
    gone_label : str
        The segment of a month without a row after the customer's first month.
    table : str
        The table's name in error messages.

    Returns
    -------
    DataFrame
        ``customer_id_col``, ``period_col``, ``value_col`` (missing for gone months) and ``segment``,
        an ordered categorical from ``gone_label`` through ``labels``, sorted by customer
        and month.

    Raises
    ------
    ValidationError
        If a column is missing, has missing values, a value lies below ``bins[0]``
        or a customer has two rows in a month.
    ValueError
        If bins and labels do not match, or ``gone_label`` is one of the labels.

    Examples
    --------
    >>> import pandas as pd
    >>> usage = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...                       "month": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-01-01"]),
    ...                       "sessions": [5, 80, 3]})
    >>> seg = monthly_segments(usage, bins=(0, 50), labels=("light", "heavy"))
    >>> seg["segment"].tolist()
    ['light', 'heavy', 'light', 'churned']
    """
    import numpy as np
    import pandas as pd

    require_columns(activity, [customer_id_col, period_col, value_col], table)
    for col in (customer_id_col, period_col, value_col):
        require_no_missing(activity, col, table)
    bins, labels = list(bins), list(labels)
    if len(bins) != len(labels) or len(bins) == 0 or any(b >= a for b, a in zip(bins, bins[1:])):
        raise ValueError(f"bins must increase and match labels one to one "
                         f"(got {len(bins)} bins, {len(labels)} labels)")
    if gone_label in labels:
        raise ValueError(f"gone_label {gone_label!r} is also one of the labels")
    below = activity[value_col] < bins[0]
    if below.any():
        raise ValidationError(f"{table}: column {value_col!r} has {int(below.sum()):,} value(s) below the "
                              f"lowest bin {bins[0]} in {len(activity):,} rows", table=table)
    dup = activity.duplicated([customer_id_col, period_col])
    if dup.any():
        raise ValidationError(f"{table}: {int(dup.sum()):,} duplicate ({customer_id_col}, {period_col}) row(s) in "
                              f"{len(activity):,} rows", table=table)

    data = activity[[customer_id_col, period_col, value_col]].copy()
    stamp = pd.to_datetime(data[period_col])
    data[period_col] = stamp.dt.year * 12 + stamp.dt.month - 1  # a month number, for the grid
    first = data.groupby(customer_id_col, sort=True)[period_col].min()
    length = (data[period_col].max() - first).to_numpy() + 1
    starts = np.repeat(first.to_numpy(), length)
    offsets = np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length)
    grid = pd.DataFrame({customer_id_col: np.repeat(first.index.to_numpy(), length), period_col: starts + offsets})
    out = grid.merge(data, on=[customer_id_col, period_col], how="left")
    codes = np.searchsorted(np.asarray(bins, dtype=float), out[value_col].to_numpy(dtype=float), side="right")
    names = np.array([gone_label, *labels], dtype=object)
    codes = np.where(out[value_col].isna().to_numpy(), 0, codes)
    out["segment"] = pd.Categorical(names[codes], categories=[gone_label, *labels], ordered=True)
    out[period_col] = pd.to_datetime(pd.DataFrame({"year": out[period_col] // 12, "month": out[period_col] % 12 + 1,
                                                   "day": 1})).astype("datetime64[ns]")
    return out.sort_values([customer_id_col, period_col], ignore_index=True)


def transition_matrix(segments, start, end, *, normalize: bool = False,
                      customer_id_col: str = "customer_id", period_col: str = "month",
                      segment_col: str = "segment", new_label: str = "new"):
    """Who moved where: customers counted by their segment in ``start`` (rows) and ``end`` (columns).

    Customers present at ``end`` but not at ``start`` (they joined in between) form the
    row ``new_label``, so every customer of ``end`` is counted once.

    Parameters
    ----------
    segments : DataFrame
        The output of :func:`monthly_segments` (or any table with the three columns).
    start, end : str or Timestamp
        The two months to compare, e.g. ``"2025-06-01"`` and ``"2025-12-01"``.
    normalize : bool
        If True, each row is divided by its total: the share of that row's customers that
        ended in each segment.
    customer_id_col, period_col, segment_col : str
        The customer, month and segment columns of ``segments``.
    new_label : str
        The row of customers present at ``end`` but not at ``start``.

    Returns
    -------
    DataFrame
        Rows: segments at ``start`` (then ``new_label``); columns: segments at ``end``.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "c"],
    ...                     "month": pd.to_datetime(["2025-01-01", "2025-02-01"] * 2 + ["2025-02-01"]),
    ...                     "segment": ["light", "heavy", "light", "light", "heavy"]})
    >>> transition_matrix(seg, "2025-01-01", "2025-02-01")  # doctest: +NORMALIZE_WHITESPACE
    to     heavy  light
    from
    light      1      1
    new        1      0
    """
    import pandas as pd

    require_columns(segments, [customer_id_col, period_col, segment_col], "segments")
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    months = set(pd.to_datetime(segments[period_col]))
    for when in (start, end):
        if when not in months:
            raise ValidationError(f"segments: month {when:%Y-%m-%d} not found in column {period_col!r} "
                                  f"({len(segments):,} rows)", table="segments")
    at = {when: segments.loc[pd.to_datetime(segments[period_col]) == when, [customer_id_col, segment_col]]
          for when in (start, end)}
    pair = at[end].merge(at[start], on=customer_id_col, how="left", suffixes=("_end", "_start"))
    col_start, col_end = f"{segment_col}_start", f"{segment_col}_end"
    categories = getattr(segments[segment_col].dtype, "categories", None)
    if categories is None:
        categories = sorted(segments[segment_col].dropna().unique())
    row_labels = [*categories, new_label]
    rows = pair[col_start].astype(object).where(pair[col_start].notna(), new_label)
    # customers present at start but absent at end (no row at all) would vanish: count them too
    lost = at[start][~at[start][customer_id_col].isin(at[end][customer_id_col])]
    if len(lost):
        raise ValidationError(f"segments: {len(lost):,} customer(s) of {start:%Y-%m-%d} have no row at "
                              f"{end:%Y-%m-%d}; use monthly_segments so gone months are listed", table="segments")
    table = pd.crosstab(pd.Categorical(rows, categories=row_labels),
                        pd.Categorical(pair[col_end].astype(object), categories=list(categories)), dropna=False)
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    table.index, table.columns = list(table.index), list(table.columns)
    table.index.name, table.columns.name = "from", "to"
    if normalize:
        table = table.div(table.sum(axis=1), axis=0)
    return table

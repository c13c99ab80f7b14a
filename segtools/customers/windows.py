"""Time windows that keep named RFM segments true: how recent "recent" is, derived from the data's rhythm.

Recency scores are relative (:func:`segtools.customers.rfm_scores` cuts the customers
into five groups), so on a long history where most customers bought once, early on,
"the most recent fifth" can mean "silent for a year". A segment whose name promises
an active customer (Champions, Loyal, Potential loyalist, New, Promising, Need
attention, About to sleep: every rule of the default map with ``r_score >= 3``) must not
hold such a customer. :func:`activity_windows` derives two windows in days (from a daily
summary that is already computed, e.g. by DuckDB: :func:`windows_from_summary`):

- the **purchase rhythm**: the median, over repeat buyers, of each buyer's mean gap
  between purchase days ((last - first purchase day) / (purchase days - 1));
- the **active window**: ``factor`` times the rhythm, rounded up, at least
  ``floor_days`` (or ``active_window_days`` when the analyst gives it). A customer
  silent for longer is no longer active: their recency score is capped at 2;
- the **lapsed window**: twice the active window; silent for longer, the recency score
  is capped at 1.

:func:`explain_empty_segments` says, for every segment of a map that holds nobody, why.

Examples
--------
>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": ["A", "A", "B", "B", "C"],
...                    "date": pd.to_datetime(["2025-01-01", "2025-01-21", "2025-03-01", "2025-03-11", "2025-06-01"]),
...                    "amount": [10.0, 5.0, 8.0, 2.0, 4.0]})
>>> activity_windows(tx, "2025-12-31")["days"].to_dict()
{'purchase rhythm': 15, 'active window': 45, 'lapsed window': 90}
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from segtools.customers.rfm import repeat_purchase_summary

#: Default multiple of the purchase rhythm that makes the active window, and its floor in days.
FACTOR, FLOOR_DAYS = 3.0, 30


def activity_windows(transactions, snapshot_date, *, active_window_days=None, factor=FACTOR, floor_days=FLOOR_DAYS,
                     customer_id_col="customer_id", date_col="date", amount_col="amount") -> pd.DataFrame:
    """The purchase rhythm and the active and lapsed windows, in days, with how each was derived.

    Parameters
    ----------
    transactions : DataFrame
        One row per transaction; purchases (amount 0 or more) dated up to
        ``snapshot_date`` set the rhythm, refunds do not.
    snapshot_date : date-like
        The analysis date; later rows are left out.
    active_window_days : int, optional
        The analyst's active window; derived from the data when omitted.
    factor : float
        Multiple of the purchase rhythm that gives the active window.
    floor_days : int
        The shortest derived active window.
    customer_id_col, date_col, amount_col : str
        Column names.

    Returns
    -------
    DataFrame
        Index ``window`` (``purchase rhythm``, ``active window``, ``lapsed window``),
        columns ``days`` (int; the rhythm is missing without repeat buyers) and
        ``how derived`` (words).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["A", "A"], "date": pd.to_datetime(["2025-01-01", "2025-01-03"]),
    ...                    "amount": [1.0, 2.0]})
    >>> int(activity_windows(tx, "2025-12-31").loc["active window", "days"])  # 3 x 2 days is below the floor
    30
    >>> int(activity_windows(tx, "2025-12-31", active_window_days=90).loc["lapsed window", "days"])
    180
    """
    _check_arguments(active_window_days, factor, floor_days)  # before the summary: a typo fails fast
    daily = repeat_purchase_summary(transactions, snapshot_date, period="D", returns="net", after_snapshot="exclude",
                                    customer_id_col=customer_id_col, date_col=date_col, amount_col=amount_col)
    return windows_from_summary(daily, active_window_days=active_window_days, factor=factor, floor_days=floor_days)


def _check_arguments(active_window_days, factor, floor_days) -> None:
    if not (isinstance(factor, (int, float)) and factor > 0):
        raise ValueError(f"factor must be a positive number, got {factor!r}")
    if not (isinstance(floor_days, (int, np.integer)) and floor_days >= 1):
        raise ValueError(f"floor_days must be a whole number of days, 1 or more, got {floor_days!r}")
    if active_window_days is not None and not (
            isinstance(active_window_days, (int, np.integer)) and active_window_days >= 1):
        raise ValueError(f"active_window_days must be a whole number of days, 1 or more, got {active_window_days!r}")


def windows_from_summary(daily, *, active_window_days=None, factor=FACTOR, floor_days=FLOOR_DAYS) -> pd.DataFrame:
    """:func:`activity_windows` from a daily summary of purchase days that is already computed (by any engine).

    Parameters
    ----------
    daily : DataFrame
        One row per buyer with ``frequency`` (purchase days after the first) and ``recency`` (days
        from the first to the last purchase day): the daily repeat-purchase summary with refunds
        netted (:func:`segtools.customers.repeat_purchase_summary` with ``period="D"``,
        ``returns="net"``), or the same counts from DuckDB or Spark.
    active_window_days, factor, floor_days
        As in :func:`activity_windows`.

    Returns
    -------
    DataFrame
        As :func:`activity_windows`.

    Examples
    --------
    >>> import pandas as pd
    >>> windows_from_summary(pd.DataFrame({"frequency": [1, 2, 0], "recency": [20, 20, 0]}))["days"].tolist()
    [15, 45, 90]
    """
    _check_arguments(active_window_days, factor, floor_days)
    repeat = daily["frequency"].to_numpy() > 0
    if repeat.any():
        # first-to-last span in days over the gaps between distinct purchase days
        gaps = daily["recency"].to_numpy()[repeat] / daily["frequency"].to_numpy()[repeat]
        rhythm = max(1, int(math.ceil(float(np.median(gaps)))))
        rhythm_how = (f"median over {int(repeat.sum()):,} repeat buyers of their mean days between purchase days")
    else:
        rhythm, rhythm_how = pd.NA, "no repeat buyer: no rhythm to measure"
    if active_window_days is not None:
        active, active_how = int(active_window_days), "given by the analyst (active_window_days)"
    elif rhythm is pd.NA:
        active, active_how = int(floor_days), f"the floor of {floor_days} days (no purchase rhythm)"
    else:
        derived = int(math.ceil(factor * rhythm))
        active = max(derived, int(floor_days))
        active_how = (f"{factor:g} x the purchase rhythm" + ("" if derived >= floor_days else
                                                             f", raised to the floor of {floor_days} days"))
    days = pd.array([rhythm, active, 2 * active], dtype="Int64")
    return pd.DataFrame({"days": days, "how derived": [rhythm_how, active_how, "2 x the active window"]},
                        index=pd.Index(["purchase rhythm", "active window", "lapsed window"], name="window"))


def explain_empty_segments(scores, segments, segment_map=None, *, active_window_days=None) -> pd.DataFrame:
    """Why each segment of the map that holds no customer is empty, in words.

    Parameters
    ----------
    scores : DataFrame
        The scored customers (the columns the rules use).
    segments : Series
        Their segment names (from :func:`segtools.customers.name_segments`), same index.
    segment_map : DataFrame, optional
        ``segment`` and ``rule`` columns; the default map when omitted.
    active_window_days : int, optional
        The active window used for the scores, named in the reasons about recency.

    Returns
    -------
    DataFrame
        Index ``segment`` (the empty ones, in map order), columns ``rule`` and ``why``.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.customers import name_segments
    >>> s = pd.DataFrame({"r_score": [1, 2], "f_score": [1, 1], "m_score": [1, 2]})
    >>> why = explain_empty_segments(s, name_segments(s))
    >>> why.loc["New", "why"]
    'no customer has r_score == 5'
    """
    from segtools.customers.scores import rfm_segment_map

    segment_map = rfm_segment_map() if segment_map is None else segment_map
    counts = pd.Series(segments).value_counts()
    rows = []
    for name, rule in zip(segment_map["segment"], segment_map["rule"]):
        if counts.get(name, 0):
            continue
        parts = [p.strip() for p in str(rule).split(" and ")]
        alone = {p: int(scores.eval(p).sum()) for p in parts}
        missing = [p for p, n in alone.items() if n == 0]
        if missing:
            why = "no customer has " + " or ".join(missing)
            if active_window_days is not None and any(p.startswith("r_score") for p in missing):
                why += (f" (a recency score of 3 or more needs a purchase in the last {active_window_days:,} days, "
                        "the active window)")
        elif len(scores) and scores.eval(rule).any():
            why = f"its {int(scores.eval(rule).sum()):,} matching customers are taken by an earlier rule of the map"
        else:
            why = "no customer meets all parts at once (" + ", ".join(f"{p}: {n:,}" for p, n in alone.items()) + ")"
        rows.append((name, rule, why))
    return pd.DataFrame(rows, columns=["segment", "rule", "why"]).set_index("segment")

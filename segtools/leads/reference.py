"""A slow, row-by-row reference implementation of the points table, for tests and the benchmark.

It reads like the rules would be written by hand in a spreadsheet macro: one lead at a time,
one rule at a time. :class:`segtools.leads.RuleScorer` must give the same scores, only
vectorised; ``bench/leads.py`` measures how much faster that is.
"""

from __future__ import annotations

import math

import pandas as pd


def _fires(x, op, value) -> bool:
    missing = x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))
    if op == "missing":
        return missing
    if missing:
        return False
    if op == "present":
        return True
    if op == "in":
        return x in value
    if op == "not in":
        return x not in value
    if op == "between":
        return value[0] <= x <= value[1]
    return {"==": x == value, "!=": x != value, "<": x < value, "<=": x <= value,
            ">": x > value, ">=": x >= value}[op]


def score_rowwise(leads, points, *, half_life=None, snapshot_date=None, activity_col="last_activity_at"):
    """Score each lead with ``DataFrame.apply``, one row at a time; returns the ``score`` Series.

    Parameters
    ----------
    leads : DataFrame
        One row per lead.
    points : DataFrame, list of dict, path, or world name
        The points table, as in :class:`segtools.leads.RuleScorer`.
    half_life : float or None
        Days after which engagement points count half; None = no decay.
    snapshot_date : Timestamp-like or None
        The scoring date for the decay; needed with ``half_life``.
    activity_col : str
        The column with each lead's last activity date.

    Returns
    -------
    Series
        The total score of each lead, named ``score``.

    Examples
    --------
    >>> from segtools.data import load_case
    >>> from segtools.leads import default_points, rule_scores
    >>> from segtools.leads.reference import score_rowwise
    >>> leads, points = load_case("agency").leads.head(50), default_points("agency")
    >>> bool((score_rowwise(leads, points) - rule_scores(leads, points)["score"]).abs().max() < 1e-9)
    True
    """
    from segtools.leads.rules import RuleScorer

    table = RuleScorer(points).fit(leads).points_  # parses and checks the table
    rules = list(table.itertuples())
    caps = {(r.score, r.group): r.cap for r in rules}
    snapshot = pd.Timestamp(snapshot_date) if snapshot_date is not None else None

    def one(row):
        totals = {}
        for r in rules:
            if _fires(row[r.column], r.op, r.value):
                totals[(r.score, r.group)] = totals.get((r.score, r.group), 0.0) + r.points
        fit = engagement = 0.0
        for key, total in totals.items():
            cap = caps[key]
            total = total if math.isnan(cap) else min(total, cap)
            if key[0] == "fit":
                fit += total
            else:
                engagement += total
        if half_life is not None:
            last = row[activity_col]
            if pd.isna(last):
                engagement = 0.0
            else:
                days = max((snapshot - last).total_seconds() / 86400.0, 0.0)
                engagement *= 0.5 ** (days / half_life)
        return fit + engagement

    return leads.apply(one, axis=1).rename("score")

"""The lead table of a report: one row a lead with score, grade, tier, rank under sales capacity, reason.

Examples
--------
>>> from segtools.data import load_case
>>> from segtools.leads import default_points
>>> from segtools.reporting.lead_table import lead_priorities
>>> case = load_case("consulting")
>>> pri = lead_priorities(case.leads, points=default_points("consulting"), snapshot_date=case.snapshot_date,
...                       capacity=50)
>>> int(pri["call_this_period"].sum())
50
"""

from __future__ import annotations

from segtools.errors import ValidationError

#: Engagement rules used for an analyst's own leads when no points table is given.
GENERIC_POINTS = (
    ("engagement", "web", "page_views", ">=", 10, 10, None),
    ("engagement", "web", "page_views", ">=", 3, 5, None),
    ("engagement", "email", "email_opens", ">=", 3, 5, 15),
    ("engagement", "email", "email_clicks", ">=", 1, 10, 15),
)


def generic_points(leads):
    """A points table of engagement rules on the standard signal columns ``leads`` has.

    Parameters
    ----------
    leads : DataFrame

    Returns
    -------
    list of dict
        The rules whose column the leads have.
    """
    keys = ("score", "group", "column", "op", "value", "points", "cap")
    rows = [dict(zip(keys, r)) for r in GENERIC_POINTS if r[2] in leads.columns]
    if not rows:
        raise ValidationError(f"leads: none of the signal columns page_views, email_opens, email_clicks is in "
                              f"the {len(leads):,} rows; give a points table (points_path)", table="leads")
    return rows


def _open(leads):
    """Which leads sales can still work on: status open, else not converted, else all."""
    import numpy as np

    if "status" in leads.columns:
        return (leads["status"].astype("str").str.lower() == "open").to_numpy()
    if "converted" in leads.columns:
        return ~leads["converted"].astype(bool).to_numpy()
    return np.ones(len(leads), dtype=bool)


def lead_priorities(leads, *, points, snapshot_date, capacity: int = 200, half_life: float = 30):
    """One row a lead: score, grade, tier, rank among the open leads, call list, reason.

    Scores, grades and tiers come from :mod:`segtools.leads` (a points table, the
    fit-by-engagement grade on the quartiles of the scores, hot/warm/cold tiers).

    Parameters
    ----------
    leads : DataFrame
        Validated leads with ``lead_id`` and the columns the points table uses.
    points : str, DataFrame or list of dict
        A world name (its default points table), a points table, or a path to one.
    snapshot_date : Timestamp-like
        The scoring date; engagement fades with a ``half_life`` in days when the leads
        have ``last_activity_at``.
    capacity : int
        Leads sales can call in the period: the ``capacity`` open leads ranked highest
        get ``call_this_period`` True.
    half_life : float
        Days after which engagement points count half.

    Returns
    -------
    DataFrame
        ``lead_id, status, fit_score, engagement_score, score, grade, rank, tier,
        call_this_period, reason``; closed leads (won or lost) keep their row, with
        tier "closed" and no rank.
    """
    import numpy as np
    import pandas as pd

    from segtools.leads import RuleScorer, grade_leads, tier_leads

    if capacity < 0:
        raise ValueError("capacity must be zero or more")
    decay = "last_activity_at" in leads.columns
    scorer = RuleScorer(points, half_life=half_life if decay else None,
                        snapshot_date=pd.Timestamp(snapshot_date) if decay else None).fit(leads)
    scores = scorer.transform(leads).reset_index(drop=True)
    out = pd.DataFrame({"lead_id": leads["lead_id"].to_numpy()})
    out["status"] = (leads["status"].to_numpy() if "status" in leads.columns else
                     np.where(_open(leads), "open", "converted"))
    out[["fit_score", "engagement_score", "score"]] = scores[["fit_score", "engagement_score", "score"]].round(1)
    graded = tier_leads(grade_leads(scores))
    out["grade"] = graded["grade"].astype("str").to_numpy()
    is_open = _open(leads)
    rank = pd.Series(pd.NA, index=out.index, dtype="Int64")
    order = out.loc[is_open].sort_values(["score", "lead_id"], ascending=[False, True], kind="stable").index
    rank.loc[order] = np.arange(1, len(order) + 1)
    out["rank"] = rank
    out["tier"] = np.where(is_open, graded["tier"].astype("str").to_numpy(), "closed")
    out["call_this_period"] = (rank.fillna(0).to_numpy() >= 1) & (rank.fillna(0).to_numpy() <= capacity)
    why = scorer.explain(leads)
    why = why[why["counted"] > 0].sort_values(["lead", "counted", "rule"], ascending=[True, False, True],
                                              kind="stable")
    top = why.groupby("lead", sort=False).head(2).groupby("lead", sort=False)["rule"].agg("; ".join)
    out["reason"] = out["lead_id"].map(top).fillna("no rule fired").astype("str")
    return out

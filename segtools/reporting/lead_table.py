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
    """A points table for an analyst's leads given without one: engagement rules, or rules learned from history.

    The engagement rules on the standard signal columns (``page_views``, ``email_opens``,
    ``email_clicks``) that the leads have; when they have none of them but carry outcomes
    (``converted``), a table learned from the closed leads (:func:`segtools.leads.suggest_points`,
    marked ``attrs["learned"]``).

    Parameters
    ----------
    leads : DataFrame

    Returns
    -------
    list of dict or DataFrame
        The rules.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.reporting.lead_table import generic_points
    >>> [r["column"] for r in generic_points(pd.DataFrame({"page_views": [1, 2]}))]
    ['page_views', 'page_views']
    """
    keys = ("score", "group", "column", "op", "value", "points", "cap")
    rows = [dict(zip(keys, r)) for r in GENERIC_POINTS if r[2] in leads.columns]
    if rows:
        return rows
    if "converted" in leads.columns:
        from segtools.leads import suggest_points

        try:
            table = suggest_points(leads, is_open=~history_mask(leads, is_open(leads)))
        except (ValidationError, ValueError):
            table = None
        if table is not None:
            table.attrs["learned"] = True
            return table
    raise ValidationError(f"leads: none of the signal columns page_views, email_opens, email_clicks is in "
                          f"the {len(leads):,} rows and there are no outcomes to learn rules from; give a "
                          "points table (--points FILE, or points_path in a template)", table="leads")


def is_open(leads):
    """Which leads sales can still work on: status open, else outcome missing, else not converted, else all.

    Parameters
    ----------
    leads : DataFrame

    Returns
    -------
    ndarray of bool
    """
    import numpy as np

    if "status" in leads.columns:
        return (leads["status"].astype("str").str.strip().str.lower() == "open").to_numpy()
    if "converted" in leads.columns:
        from segtools.leads import outcome_of

        flags = outcome_of(leads, "converted")
        return flags.isna().to_numpy() if flags.isna().any() else ~flags.fillna(False).to_numpy(dtype=bool)
    return np.ones(len(leads), dtype=bool)


def history_mask(leads, open_):
    """The leads a report learns from: closed ones with an outcome (every one with an outcome without ``status``).

    Parameters
    ----------
    leads : DataFrame
        With ``converted``.
    open_ : ndarray of bool
        :func:`is_open` of the leads.

    Returns
    -------
    ndarray of bool
    """
    from segtools.leads import outcome_of

    known = outcome_of(leads, "converted").notna().to_numpy()
    return known if "status" not in leads.columns else known & ~open_


def _history(leads, open_, points_score, *, post_outcome, keep_flagged, random_state):
    """``(History, None)`` when the closed leads carry both outcomes, else ``(None, why not)``."""
    from segtools.errors import ValidationError
    from segtools.leads import learn_from_history, outcome_of

    if "converted" not in leads.columns:
        return None, "the leads file has no outcome column (map yours to `converted`)"
    flags = outcome_of(leads, "converted")  # a ValueError names any value that is not yes/no
    closed = flags[history_mask(leads, open_)]
    if closed.nunique() < 2:
        return None, (f"the {len(closed):,} closed leads do not hold both outcomes (converted and not), "
                      "so there is nothing to learn from")
    every = "status" not in leads.columns and flags.notna().all()
    try:  # every lead has an outcome and none says open: learn from all, rank the others by held-out chance
        return learn_from_history(leads, is_open=None if every else open_, post_outcome=post_outcome,
                                  keep_flagged=keep_flagged, points_score=points_score, random_state=random_state,
                                  date_col="" if every else "created_at"), None
    except ValidationError as err:
        return None, str(err)


def _tiers_by_probability(p, base):
    """hot: at least twice the base rate; warm: at least the base rate; cold: below it."""
    import numpy as np

    return np.select([p >= 2 * base, p >= base], ["hot", "warm"], default="cold")


def lead_priorities(leads, *, points, snapshot_date, capacity: int = 200, half_life: float | None = None, post_outcome=(),
                    keep_flagged=(), random_state: int = 0):
    """One row a lead: score, grade, tier, rank among the open leads, call list, reason.

    Scores and grades come from :mod:`segtools.leads` (a points table, the fit-by-engagement
    grade at the quartiles of the scores, tie-aware). When the leads carry their outcome
    (``converted``: 1/0, yes/no, true/false, Y/N), the calibrated scorer learns from the closed
    leads (:func:`segtools.leads.learn_from_history`): open leads are then ranked and tiered by
    their calibrated probability (hot: at least twice the base rate, warm: at least the base
    rate). Ties in the ranking are broken by a seeded random draw, never by the lead id.

    Parameters
    ----------
    leads : DataFrame
        Validated leads with ``lead_id`` and the columns the points table uses.
    points : str, DataFrame or list of dict
        A world name (its default points table), a points table, or a path to one.
    snapshot_date : Timestamp-like
        The scoring date; engagement fades with a ``half_life`` in days only when the leads
        have ``last_activity_at``.
    capacity : int
        Leads sales can call in the period: the ``capacity`` open leads ranked highest
        get ``call_this_period`` True.
    half_life : float, optional
        Days after which engagement points count half; by default the points table's own
        ``half_life_days``, else 30 days (engagement fades only when the leads have ``last_activity_at``).
    post_outcome : iterable of str
        Columns declared post-outcome (e.g. the mapping's ``post_outcome:``).
    keep_flagged : iterable of str
        Columns the leak alarm flags that are kept on purpose.
    random_state : int
        Seed of the tie-break and of the scorer.

    Returns
    -------
    DataFrame
        ``lead_id, status, fit_score, engagement_score, score, probability, grade, rank, tier,
        call_this_period, reason``; closed leads (won or lost) keep their row, with tier
        "closed" and no rank. ``attrs`` holds ``history`` (or None), ``no_history`` (why not),
        ``ties`` (at the capacity boundary), ``grade_ties``, ``decay`` and ``ranked_by``.
    """
    import numpy as np
    import pandas as pd

    from segtools.leads import RuleScorer, boundary_ties, grade_leads, tier_leads

    if capacity < 0:
        raise ValueError("capacity must be zero or more")
    decay = "last_activity_at" in leads.columns
    scorer = RuleScorer(points, half_life=half_life if decay else None,
                        snapshot_date=pd.Timestamp(snapshot_date) if decay else None).fit(leads)
    if decay and half_life is None and getattr(scorer, "half_life_", None) is None:  # the table sets none: 30 days
        scorer = RuleScorer(points, half_life=30, snapshot_date=pd.Timestamp(snapshot_date)).fit(leads)
    scores = scorer.transform(leads).reset_index(drop=True)
    open_ = is_open(leads)
    out = pd.DataFrame({"lead_id": leads["lead_id"].to_numpy()})
    out["status"] = (leads["status"].to_numpy() if "status" in leads.columns else
                     np.where(open_, "open", "converted"))
    out[["fit_score", "engagement_score", "score"]] = scores[["fit_score", "engagement_score", "score"]].round(1)
    history, why_not = _history(leads, open_, scores["score"].to_numpy(), post_outcome=post_outcome,
                                keep_flagged=keep_flagged, random_state=random_state)
    if history is not None and getattr(points, "attrs", {}).get("learned"):
        history.measures = history.measures.rename(index={"rule points": "rule points (learned from these leads)"})
    graded = tier_leads(grade_leads(scores))
    out["grade"] = graded["grade"].astype("str").to_numpy()
    if history is not None:
        p = history.probability.to_numpy(dtype=float)
        out["probability"] = np.where(open_, p, np.nan)
        key = p
        from segtools.leads import outcome_of

        base = float(outcome_of(leads, "converted")[history_mask(leads, open_)].astype(bool).mean())
        tiers = _tiers_by_probability(p, base)
    else:
        out["probability"] = np.nan
        key = out["score"].to_numpy(float)
        tiers = graded["tier"].astype("str").to_numpy()
    positions = np.flatnonzero(open_)
    tie = np.random.default_rng(random_state).random(len(positions))
    order = positions[np.lexsort((tie, -key[positions]))]
    rank = pd.Series(pd.NA, index=out.index, dtype="Int64")
    rank.iloc[order] = np.arange(1, len(order) + 1)
    out["rank"] = rank
    out["tier"] = np.where(open_, tiers, "closed")
    out["call_this_period"] = (rank.fillna(0).to_numpy() >= 1) & (rank.fillna(0).to_numpy() <= capacity)
    why = scorer.explain(leads)
    why = why[why["counted"] > 0].sort_values(["lead", "counted", "rule"], ascending=[True, False, True],
                                              kind="stable")
    top = why.groupby("lead", sort=False).head(2).groupby("lead", sort=False)["rule"].agg("; ".join)
    out["reason"] = out["lead_id"].map(top).astype(object).fillna("no rule fired").astype("str")
    out.attrs.update(history=history, no_history=why_not, ties=boundary_ties(key[positions], capacity),
                     grade_ties=graded.attrs.get("ties", []), decay=decay,
                     ranked_by="calibrated probability" if history is not None else "rule points")
    return out

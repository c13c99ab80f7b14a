"""The tables behind a report: customer segments with actions, and lead priorities.

:func:`segtools.reporting.build_report` calls these two functions, so the three templates
(and a scheduled run, and a test without a kernel) compute exactly the same thing. They put together the building blocks
of :mod:`segtools.customers` (RFM, scores, the named segment map with its actions,
clusters) and :mod:`segtools.leads` (points tables, grades, tiers), adding what a
report needs: a row for every input row, a rank under sales capacity, a reason.

Examples
--------
>>> from segtools.data import load_case
>>> from segtools.reporting.sections import customer_segments, lead_priorities
>>> case = load_case("consulting")
>>> seg = customer_segments(case.customers, case.transactions, snapshot_date=case.snapshot_date)
>>> len(seg) == len(case.customers)
True
>>> pri = lead_priorities(case.leads, points="consulting", snapshot_date=case.snapshot_date, capacity=50)
>>> int(pri["rank"].max()), int(pri["call_this_period"].sum())
(708, 50)
"""

from __future__ import annotations

from segtools.errors import ValidationError

#: The segment of customers with no purchase before the snapshot date, and its action.
NO_PURCHASE = ("No purchases yet", "Guide them to a first purchase: onboarding help and a first-order offer.")

#: Engagement rules used for an analyst's own leads when no points table is given.
GENERIC_POINTS = (
    ("engagement", "web", "page_views", ">=", 10, 10, None),
    ("engagement", "web", "page_views", ">=", 3, 5, None),
    ("engagement", "email", "email_opens", ">=", 3, 5, 15),
    ("engagement", "email", "email_clicks", ">=", 1, 10, 15),
)


def customer_segments(customers, transactions, *, snapshot_date, n_segments: int = 4, random_state: int = 0):
    """One row a customer: RFM values and scores, named segment, behaviour cluster, action.

    RFM, the tie-aware 1-5 scores and the named segment map (with its actions) come
    from :mod:`segtools.customers`. Recency is the segmentation recency: days from the
    last purchase to ``snapshot_date``. Transactions after the snapshot date are left
    out and counted in ``result.attrs["excluded"]``. Customers without a purchase keep
    their row, in the segment "No purchases yet" with no scores, so nothing is dropped.

    Parameters
    ----------
    customers, transactions : DataFrame
        Validated tables (``customer_id``; ``customer_id``, ``date``, ``amount``).
    snapshot_date : Timestamp-like
    n_segments : int
        Number of k-means behaviour clusters (on log recency, frequency and spend of the
        buyers), numbered 1 (highest mean spend) to ``n_segments``.
    random_state : int

    Returns
    -------
    DataFrame
        ``customer_id, segment, recency_days, frequency, monetary, r_score, f_score,
        m_score, cluster, recommended_action``, in the order of ``customers``.
    """
    import numpy as np
    import pandas as pd

    from segtools.customers import ClusterSegmenter, name_segments, rfm, rfm_scores, rfm_segment_map

    if "customer_id" not in customers.columns:
        raise ValidationError(f"customers: column 'customer_id' not found in {len(customers):,} rows",
                              table="customers")
    if n_segments < 1:
        raise ValueError("n_segments must be at least 1")
    table = rfm(transactions, snapshot_date=snapshot_date, after_snapshot="exclude")
    scored = rfm_scores(table)
    named = name_segments(scored)
    scored["segment"] = named.astype("str")
    seg_map = rfm_segment_map()
    out = customers[["customer_id"]].reset_index(drop=True).join(scored, on="customer_id")
    buyer = out["segment"].notna().to_numpy()
    out["recency_days"] = out["recency"].astype("Int64")
    out["frequency"] = out["frequency"].fillna(0).astype(int)
    out["monetary"] = out["monetary"].fillna(0.0).round(2)
    for col in ("r_score", "f_score", "m_score"):
        out[col] = out[col].astype("Int64")
    # a buyer no rule names keeps the map's default label (never a buyer in "No purchases yet")
    names = [*named.cat.categories, NO_PURCHASE[0]]
    out["segment"] = pd.Categorical(out["segment"].fillna(NO_PURCHASE[0]), categories=names)
    actions = dict(zip(seg_map["segment"], seg_map["action"]), **{NO_PURCHASE[0]: NO_PURCHASE[1]})
    out["recommended_action"] = out["segment"].astype("str").map(actions).astype("str")
    out["cluster"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    k = min(n_segments, int(buyer.sum()) - 1)  # clustering needs more customers than clusters
    if k < 2:
        out.loc[buyer, "cluster"] = 1  # too few buyers to split: one group, said by the cluster table
    else:
        spend = out.loc[buyer, "monetary"].to_numpy(dtype=float)
        X = np.column_stack([np.log1p(out.loc[buyer, "recency_days"].to_numpy(dtype=float)),
                             np.log1p(out.loc[buyer, "frequency"].to_numpy(dtype=float)),
                             np.sign(spend) * np.log1p(np.abs(spend))])
        labels = ClusterSegmenter(n_clusters=k, random_state=random_state).fit(X).labels_
        # number the clusters 1..k from the highest mean spend down, so labels read the same every run
        order = pd.Series(spend).groupby(labels).mean().sort_values(ascending=False, kind="stable")
        out.loc[buyer, "cluster"] = pd.Series(labels).map({c: i + 1 for i, c in enumerate(order.index)}).to_numpy()
    result = out[["customer_id", "segment", "recency_days", "frequency", "monetary", "r_score", "f_score",
                  "m_score", "cluster", "recommended_action"]].copy()
    result.attrs["excluded"] = dict(table.attrs.get("excluded", {}))
    unknown = ~scored.index.isin(customers["customer_id"])
    if unknown.any():  # validate_links refuses these in a report; a direct call still learns of them
        result.attrs["excluded"]["customers not in the customers table"] = int(unknown.sum())
    return result


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

"""The customer table of a report: one row a customer with RFM values, scores, named segment, cluster, action.

Examples
--------
>>> from segtools.data import load_case
>>> from segtools.reporting.customer_table import customer_segments
>>> case = load_case("consulting")
>>> seg = customer_segments(case.customers, case.transactions, snapshot_date=case.snapshot_date)
>>> len(seg) == len(case.customers)
True
"""

from __future__ import annotations

from segtools.errors import ValidationError

#: The segment of customers with no purchase before the snapshot date, and its action.
NO_PURCHASE = ("No purchases yet", "Guide them to a first purchase: onboarding help and a first-order offer.")


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

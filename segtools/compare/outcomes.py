"""Outcomes per segment, side by side: lead conversion per lead segment, revenue and activity per customer segment.

Rows whose segment label is missing are kept under :data:`segtools.NO_SEGMENT` rather than dropped.
"""

from __future__ import annotations

from segtools._validation import require_columns, require_frame
from segtools.compare._labels import NO_SEGMENT, customer_labels, lead_labels, segment_order
from segtools.errors import ValidationError
#: The label of the total row in :func:`lead_outcomes` and :func:`customer_outcomes`.
ALL = "(all)"


# ---------------------------------------------------------------- outcomes per segment
def lead_outcomes(leads, lead_segment, *, outcome_col="converted", value_col="deal_value"):
    """Conversion per lead segment: how many leads, how many bought, and how much better than average.

    Parameters
    ----------
    leads : DataFrame
        One row a lead, with the boolean outcome column ``outcome_col``.
    lead_segment : str, Series or array-like
        A column of ``leads``, a Series on ``leads.index``, or one label per row.
        Missing labels are counted under :data:`NO_SEGMENT`.
    outcome_col : str, default "converted"
        The outcome column (True when the lead became a customer).
    value_col : str or None, default "deal_value"
        A column with the first payment of converted leads; summed as ``first_payments``.
        ``None`` (or a column the table lacks) leaves it out.

    Returns
    -------
    DataFrame
        Indexed by ``lead_segment`` (segments in order, then an :data:`ALL` row) with columns
        ``leads, share_of_leads, converted, conversion_rate, lift, share_of_conversions`` and
        ``first_payments``. ``lift`` is the segment's conversion rate over the overall rate.

    Examples
    --------
    >>> import pandas as pd
    >>> leads = pd.DataFrame({"converted": [True, False, False, False, True, False]})
    >>> out = lead_outcomes(leads, ["hot", "hot", "cold", "cold", "cold", "cold"], value_col=None)
    >>> out[["leads", "converted", "conversion_rate", "lift"]]  # doctest: +NORMALIZE_WHITESPACE
                  leads  converted  conversion_rate  lift
    lead_segment
    cold              4          1         0.250000  0.75
    hot               2          1         0.500000  1.50
    (all)             6          2         0.333333  1.00
    """
    import pandas as pd

    require_frame(leads, "leads")
    require_columns(leads, [outcome_col], "leads")
    labels, order = lead_labels(leads, lead_segment)
    flag = leads[outcome_col]
    if flag.isna().any():
        raise ValidationError(
            f"leads: column {outcome_col!r} has {int(flag.isna().sum()):,} missing value(s) in {len(leads):,} rows",
            table="leads")
    frame = pd.DataFrame({"lead_segment": labels, "converted": flag.astype(bool).astype(int)})
    use_value = value_col is not None and value_col in leads.columns
    if use_value:
        frame["first_payments"] = leads[value_col].where(flag.astype(bool)).fillna(0.0).astype(float)
    grouped = frame.groupby("lead_segment", sort=False)
    out = pd.DataFrame({"leads": grouped.size(), "converted": grouped["converted"].sum()}).reindex(order)
    out = out.fillna(0).astype(int)
    total = pd.DataFrame({"leads": [len(frame)], "converted": [int(frame["converted"].sum())]}, index=[ALL])
    out = pd.concat([out, total])
    out["share_of_leads"] = out["leads"] / len(frame)
    out["conversion_rate"] = out["converted"] / out["leads"]
    out["lift"] = out["conversion_rate"] / out.loc[ALL, "conversion_rate"]
    out["share_of_conversions"] = out["converted"] / out.loc[ALL, "converted"]
    columns = ["leads", "share_of_leads", "converted", "conversion_rate", "lift", "share_of_conversions"]
    if use_value:
        payments = grouped["first_payments"].sum().reindex(order).fillna(0.0)
        out["first_payments"] = pd.concat([payments, pd.Series([payments.sum()], index=[ALL])])
        columns.append("first_payments")
    out.index.name = "lead_segment"
    return out[columns]


def customer_outcomes(transactions, customer_segment, snapshot_date, *, active_days=90,
                      customer_id_col="customer_id", date_col="date", amount_col="amount"):
    """Value and loyalty per customer segment, from the purchase history up to ``snapshot_date``.

    Parameters
    ----------
    transactions : DataFrame
        One row a transaction with a customer id, a date and an amount (refunds negative).
    customer_segment : Series or DataFrame
        Segment labels indexed by customer_id, or a frame with ``customer_id`` and ``segment``
        (e.g. ``case.answer_key["customers"]``). Customers without purchases count with zero
        revenue; purchases of customers not in it are counted under :data:`NO_SEGMENT`.
    snapshot_date : Timestamp or str
        The analysis date. Transactions on or after it raise a ValidationError.
    active_days : int, default 90
        A customer is *active* when they bought in the ``active_days`` days before the snapshot.
    customer_id_col, date_col, amount_col : str
        Column names of ``transactions``.

    Returns
    -------
    DataFrame
        Indexed by ``customer_segment`` (segments, then an :data:`ALL` row) with columns
        ``customers, share_of_customers, revenue, share_of_revenue, revenue_per_customer,
        purchases_per_customer, repeat_rate`` (share with two or more purchases) and
        ``active_rate`` (share active). ``revenue`` is net of refunds; a purchase is a
        transaction with a positive amount.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "B"], "amount": [10.0, 30.0, 5.0],
    ...                    "date": pd.to_datetime(["2025-01-05", "2025-12-01", "2025-02-01"])})
    >>> seg = pd.Series({"A": "loyal", "B": "new", "C": "new"})
    >>> customer_outcomes(tx, seg, "2026-01-01")[["customers", "revenue", "repeat_rate", "active_rate"]]
    ... # doctest: +NORMALIZE_WHITESPACE
                      customers  revenue  repeat_rate  active_rate
    customer_segment
    loyal                     1     40.0     1.000000     1.000000
    new                       2      5.0     0.000000     0.000000
    (all)                     3     45.0     0.333333     0.333333
    """
    import pandas as pd

    customer_id, date, amount = customer_id_col, date_col, amount_col
    require_columns(transactions, [customer_id, date, amount], "transactions")
    for column in (customer_id, date, amount):
        gaps = transactions[column].isna()
        if gaps.any():
            raise ValidationError(
                f"transactions: column {column!r} has {int(gaps.sum()):,} missing value(s) in "
                f"{len(transactions):,} rows (e.g. rows {', '.join(map(str, transactions.index[gaps][:5]))})",
                table="transactions")
    seg = customer_labels(customer_segment)
    snapshot = pd.Timestamp(snapshot_date)
    late = transactions[date] >= snapshot
    if late.any():
        raise ValidationError(
            f"transactions: {int(late.sum()):,} of {len(transactions):,} rows in column {date!r} are on or after "
            f"the snapshot date {snapshot.date()}", table="transactions")
    order = segment_order(seg)
    by_customer = transactions.groupby(customer_id, sort=False)
    per = pd.DataFrame({
        "revenue": by_customer[amount].sum(),
        "purchases": (transactions[amount] > 0).groupby(transactions[customer_id], sort=False).sum(),
        "last": by_customer[date].max()})
    ids = seg.index.union(per.index)
    per = per.reindex(ids)
    per["revenue"] = per["revenue"].fillna(0.0)
    per["purchases"] = per["purchases"].fillna(0).astype(int)
    labels = seg.reindex(ids).astype(object)
    labels = labels.where(labels.notna(), NO_SEGMENT)
    if (labels == NO_SEGMENT).any() and NO_SEGMENT not in order:
        order = order + [NO_SEGMENT]
    per["segment"] = labels
    per["repeat"] = per["purchases"] >= 2
    per["active"] = per["last"].notna() & (per["last"] >= snapshot - pd.Timedelta(days=active_days))
    per = per.drop(columns="last")
    sums = per.groupby("segment", sort=False).agg(
        customers=("revenue", "size"), revenue=("revenue", "sum"), purchases=("purchases", "sum"),
        repeat_rate=("repeat", "mean"), active_rate=("active", "mean")).reindex(order)
    sums[["customers", "revenue", "purchases"]] = sums[["customers", "revenue", "purchases"]].fillna(0)
    total = pd.DataFrame({"customers": [len(per)], "revenue": [per["revenue"].sum()],
                          "purchases": [per["purchases"].sum()], "repeat_rate": [per["repeat"].mean()],
                          "active_rate": [per["active"].mean()]}, index=[ALL])
    out = pd.concat([sums, total])
    out["customers"] = out["customers"].astype(int)
    out["share_of_customers"] = out["customers"] / len(per)
    out["share_of_revenue"] = out["revenue"] / out.loc[ALL, "revenue"]
    out["revenue_per_customer"] = out["revenue"] / out["customers"]
    out["purchases_per_customer"] = out["purchases"] / out["customers"]
    out.index.name = "customer_segment"
    return out[["customers", "share_of_customers", "revenue", "share_of_revenue", "revenue_per_customer",
                "purchases_per_customer", "repeat_rate", "active_rate"]].astype(
        {c: float for c in ("revenue", "repeat_rate", "active_rate")})

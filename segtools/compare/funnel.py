"""The funnel that joins the two segmentations: lead segment -> conversion -> customer segment."""

from __future__ import annotations

from segtools._validation import require_columns, require_frame
from segtools.compare._labels import NO_SEGMENT, converted_flags, customer_labels, lead_labels, segment_order


# ---------------------------------------------------------------- the funnel
def funnel(leads, lead_segment, customer_segment, *, outcome_col="converted", customer_id_col="customer_id"):
    """Follow each lead segment through conversion to the customer segments its buyers joined.

    Parameters
    ----------
    leads : DataFrame
        One row a lead with the outcome ``outcome_col`` (True/False) and ``customer_id_col``, the
        customer a converted lead became (missing for leads that did not convert).
    lead_segment : str, Series or array-like
        A column of ``leads``, a Series on ``leads.index``, or one label per row.
    customer_segment : Series or DataFrame
        Customer segment labels indexed by customer_id, or a frame with ``customer_id`` and
        ``segment``. A converted lead whose customer has no label (or no customer_id) is
        counted under :data:`NO_SEGMENT`.
    outcome_col : str, default "converted"
        The outcome column of ``leads``.
    customer_id_col : str, default "customer_id"
        The column of ``leads`` naming the customer a converted lead became.

    Returns
    -------
    DataFrame
        One row per lead segment and customer segment (every pair, zeros included), with
        ``leads`` and ``converted`` (the lead segment's totals, repeated), ``conversion_rate``
        (converted / leads), ``customers`` (converted leads of the lead segment that are now
        in the customer segment), ``share_of_converted`` (customers / converted; NaN when the
        lead segment converted nobody) and ``share_of_leads`` (customers / leads). Summed
        over customer segments, ``share_of_leads`` gives the conversion rate.

    Raises
    ------
    ValidationError
        When a column is missing, ``outcome_col`` has gaps, or a lead that did not convert has
        a customer_id.

    Examples
    --------
    >>> import pandas as pd
    >>> leads = pd.DataFrame({"segment": ["hot", "hot", "hot", "cold", "cold"],
    ...                       "converted": [True, True, False, True, False],
    ...                       "customer_id": ["C1", "C2", None, "C3", None]})
    >>> customers = pd.Series({"C1": "loyal", "C2": "one-off", "C3": "one-off"})
    >>> funnel(leads, "segment", customers)[["lead_segment", "customer_segment", "leads", "converted", "customers"]]
      lead_segment customer_segment  leads  converted  customers
    0         cold            loyal      2          1          0
    1         cold          one-off      2          1          1
    2          hot            loyal      3          2          1
    3          hot          one-off      3          2          1
    """
    import pandas as pd

    require_frame(leads, "leads")
    flag = converted_flags(leads, outcome_col, customer_id_col)
    labels, lead_order = lead_labels(leads, lead_segment)
    seg = customer_labels(customer_segment)
    cust_order = segment_order(seg)
    became = leads[customer_id_col].map(seg).astype(object)
    became = became.where(flag, None)
    became = became.where(~(flag & became.isna()), NO_SEGMENT)
    if (became == NO_SEGMENT).any() and NO_SEGMENT not in cust_order:
        cust_order = cust_order + [NO_SEGMENT]
    counts = pd.crosstab(labels[flag], became[flag]).reindex(index=lead_order, columns=cust_order, fill_value=0)
    totals = labels.value_counts().reindex(lead_order, fill_value=0)
    conv = labels[flag].value_counts().reindex(lead_order, fill_value=0)
    index = pd.MultiIndex.from_product([lead_order, cust_order], names=["lead_segment", "customer_segment"])
    out = pd.DataFrame(index=index).reset_index()
    out["leads"] = out["lead_segment"].map(totals).astype(int)
    out["converted"] = out["lead_segment"].map(conv).astype(int)
    out["conversion_rate"] = out["converted"] / out["leads"]
    out["customers"] = counts.stack().reindex(index).to_numpy().astype(int)
    out["share_of_converted"] = out["customers"] / out["converted"].where(out["converted"] > 0)
    out["share_of_leads"] = out["customers"] / out["leads"]
    for col, order in (("lead_segment", lead_order), ("customer_segment", cust_order)):
        out[col] = pd.Categorical(out[col], categories=order, ordered=True)
    return out


def funnel_matrix(data, *, value="customers", margins=True):
    """The funnel as a table: one row a lead segment, one column a customer segment.

    Parameters
    ----------
    data : DataFrame
        The result of :func:`funnel`.
    value : {"customers", "share_of_converted", "share_of_leads"}, default "customers"
        What each cell holds.
    margins : bool, default True
        Add the columns ``converted``, ``not converted`` and ``leads`` (for counts) or
        ``conversion_rate`` (for shares) after the customer segments.

    Returns
    -------
    DataFrame
        Indexed by ``lead_segment``, one column per customer segment (then the margins).

    Examples
    --------
    >>> import pandas as pd
    >>> leads = pd.DataFrame({"segment": ["hot", "hot", "cold"], "converted": [True, False, True],
    ...                       "customer_id": ["C1", None, "C2"]})
    >>> f = funnel(leads, "segment", pd.Series({"C1": "loyal", "C2": "one-off"}))
    >>> funnel_matrix(f)  # doctest: +NORMALIZE_WHITESPACE
    customer_segment  loyal  one-off  converted  not converted  leads
    lead_segment
    cold                  0        1          1              0      1
    hot                   1        0          1              1      2
    """
    allowed = ("customers", "share_of_converted", "share_of_leads")
    if value not in allowed:
        raise ValueError(f"value must be one of {', '.join(allowed)}, got {value!r}")
    require_columns(data, ["lead_segment", "customer_segment", "leads", "converted", value], "funnel")
    table = data.pivot(index="lead_segment", columns="customer_segment", values=value)
    table.columns = table.columns.astype(object)
    table.index = table.index.astype(object)
    table.columns.name, table.index.name = "customer_segment", "lead_segment"
    if margins:
        per = data.drop_duplicates("lead_segment").set_index("lead_segment")
        per.index = per.index.astype(object)
        if value == "customers":
            table["converted"] = per["converted"]
            table["not converted"] = per["leads"] - per["converted"]
            table["leads"] = per["leads"]
        else:
            table["conversion_rate"] = per["conversion_rate"]
    return table


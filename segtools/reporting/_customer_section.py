"""The customer section of a report: segments, windows, awkward rows, chart, actions, predicted value, clusters."""

from __future__ import annotations

from segtools.reporting import texts
from segtools.reporting.customer_table import customer_segments

#: The customer section's opening.
CUSTOMERS = """## Customer segments

Each customer who bought gets three scores from 1 to 5: how recently they bought (recency:
days from the last purchase to the snapshot date), how often (frequency) and how much
(monetary, net of refunds). Equal values always get equal scores. A fixed map of named
segments, tried in order, turns the scores into a segment with a recommended action.
Zero-amount purchases count as purchases with no spend; customers whose purchases were all
free are in "Only free items". Customers who never bought keep their row, in the segment
"No purchases yet"; nobody is left out. A segment with no customer is named below the
table, with the reason."""

WINDOWS = """### Recency windows

Recency scores are relative (five groups of customers), so on a long history "the most
recent fifth" can mean "silent for a year". The windows below keep the names true: a
customer silent for longer than the **active window** gets a recency score of at most 2, so
no segment that sounds active (Champions, Loyal, Potential loyalist, New, Promising, Need
attention, About to sleep) holds them; beyond the **lapsed window** the score is 1. Unless
the analyst sets it, the active window is derived from the data's own purchase rhythm."""

AWKWARD = """### Zero amounts and refunds

How the rows that are not plain purchases were treated, and how many rows and customers
each rule touched. Rows dated after the snapshot date, and refunds with no earlier purchase
to undo, are left out and counted in the next table."""

VALUE = """### Predicted value (next {horizon} weeks)

Two probability models look forward from the weekly purchase history: BG/NBD gives the
probability that a customer still buys (`p_alive`) and the expected purchases, Gamma-Gamma
the expected spend per purchase; predicted value is their product (undiscounted, net of
refunds). **Assumptions:** purchases are non-contractual (customers leave silently and do not
come back), and spend per purchase does not depend on how often a customer buys. **Do not use
it for subscriptions or contracts**, where cancellations are observed: use a churn model there.
"Likely lapsed" are returning customers with `p_alive` below 0.5; "most valuable next year"
the fifth of customers with the highest predicted value. One-time buyers cannot be judged
active or lapsed by the model."""

GROUP_ORDER = ["most valuable next year", "active", "one purchase", "likely lapsed"]


def segment_table(segments):
    """Customers, share, median recency and purchases, mean and total spend per named segment (all segments)."""
    table = (segments.groupby("segment", observed=False)
             .agg(customers=("customer_id", "size"), median_recency_days=("recency_days", "median"),
                  median_purchases=("frequency", "median"), mean_spend=("monetary", "mean"),
                  total_spend=("monetary", "sum"))
             .round(1))
    table.insert(1, "share %", (100 * table["customers"] / table["customers"].sum()).round(1))
    return table


def excluded_transactions(segments) -> dict:
    """``{reason: transactions}`` left out of RFM (only reasons that occurred), reasons in words."""
    return {k.replace("_", " "): v for k, v in segments.attrs.get("excluded", {}).items() if v}


def awkward_rows(segments):
    """Rows and customers with zero amounts and with refunds, and how each was treated."""
    import pandas as pd

    a = segments.attrs.get("affected", {})
    rows = [("zero-amount purchases", a.get("zero_amount_rows", 0), a.get("zero_amount_customers", 0),
             "counted as purchases with no spend"),
            ("customers with only zero-amount purchases", None, a.get("only_zero_amount_customers", 0),
             "segment 'Only free items'"),
            ("refunds", a.get("refund_rows", 0), a.get("refund_customers", 0),
             "subtracted from the purchase they undo; never a purchase")]
    table = pd.DataFrame(rows, columns=["rows", "transactions", "customers", "treatment"]).set_index("rows")
    return table.astype({"transactions": "Int64", "customers": "int64"}).rename_axis("kind")


def empty_segment_notes(segments) -> list:
    """One sentence per empty segment of the map, naming it and saying why."""
    empty = segments.attrs.get("empty_segments")
    if empty is None or empty.empty:
        return []
    return [f'*"{name}" is empty: {row["why"]} (its rule: `{row["rule"]}`).*' for name, row in empty.iterrows()]


def value_groups(segments):
    """Customers, mean p_alive, and the group's total expected purchases and predicted value, per predicted-value group.

    The totals say so in their names (as ``total_spend`` beside ``mean_spend`` in the segment table):
    a group of millions expects millions of purchases, not each customer.
    """
    valued = segments.loc[segments["predicted_value"].notna(),
                          ["customer_id", "value_outlook", "p_alive", "expected_purchases", "predicted_value"]]
    table = (valued.groupby("value_outlook")
             .agg(customers=("customer_id", "size"), mean_p_alive=("p_alive", "mean"),
                  total_expected_purchases=("expected_purchases", "sum"),
                  total_predicted_value=("predicted_value", "sum")))
    table = table.reindex([g for g in GROUP_ORDER if g in table.index]).round(2)  # the groups present, in order
    return table.rename_axis("group")


def value_by_segment(segments):
    """Per named segment: customers, mean predicted value, and how many are in each predicted-value group."""
    import pandas as pd

    valued = segments.loc[segments["predicted_value"].notna(), ["segment", "value_outlook", "predicted_value"]]
    valued = valued.assign(segment=used_categories(valued["segment"]))
    groups = pair_counts(valued["segment"], valued["value_outlook"])
    groups = groups[[g for g in GROUP_ORDER if g in groups.columns]]
    groups.index = groups.index.astype("str")  # as the crosstab's (the table's rows are labels, not categories)
    mean = valued.groupby("segment", observed=True)["predicted_value"].mean().round(2).rename("mean predicted value")
    return pd.concat([mean, groups], axis=1).rename_axis("segment")


def action_table(segments):
    """Customers and the recommended action of every segment that has customers."""
    return (segments.groupby("segment", observed=True)
            .agg(customers=("customer_id", "size"), recommended_action=("recommended_action", "first")))


def cluster_profile(segments):
    """Customers, median recency and purchases, mean spend per behaviour cluster (buyers only)."""
    buyers = segments.loc[segments["cluster"].notna(),  # only the columns used: no copy of the others
                          ["cluster", "customer_id", "recency_days", "frequency", "monetary"]]
    return (buyers.groupby("cluster")
            .agg(customers=("customer_id", "size"), median_recency_days=("recency_days", "median"),
                 median_purchases=("frequency", "median"), mean_spend=("monetary", "mean"))
            .round(1))


def cluster_crosstab(segments):
    """Buyers by named segment (rows, used segments only) and behaviour cluster (columns)."""
    buyers = segments.loc[segments["cluster"].notna(), ["segment", "cluster"]]
    return pair_counts(used_categories(buyers["segment"]), buyers["cluster"])


def used_categories(s):
    """``s.cat.remove_unused_categories()``, with the used categories found by counting the codes.

    The same Series as pandas' method, which finds them with ``np.unique`` of every code: on
    5 million customers 0.27 s, against 0.05 s here.

    Parameters
    ----------
    s : Series
        Categorical.

    Returns
    -------
    Series
        Categorical, with only the categories that occur, in their order.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series(pd.Categorical(["b", None, "b"], categories=["a", "b", "c"]))
    >>> used_categories(s).cat.categories.tolist()
    ['b']
    """
    import numpy as np

    codes = s.cat.codes.to_numpy()
    used = np.bincount(codes[codes >= 0], minlength=len(s.cat.categories)) > 0
    return s.cat.set_categories(s.cat.categories[used])


def pair_counts(rows, columns):
    """How many rows hold each pair of values: ``pd.crosstab(rows, columns)``, counted from codes.

    The rows and columns of the table are the values that occur, sorted (categories in their
    order), named as the two Series; neither may have missing values. ``pd.crosstab`` and a
    two-key groupby give the same table, but on millions of customers they take a second where
    counting the pairs' codes takes a tenth of one.

    Parameters
    ----------
    rows, columns : Series
        Of equal length.

    Returns
    -------
    DataFrame
        Counts (int64).

    Examples
    --------
    >>> import pandas as pd
    >>> pair_counts(pd.Series(["b", "a", "b"], name="x"), pd.Series([2, 1, 1], name="y")).to_dict("index")
    {'a': {1: 1, 2: 0}, 'b': {1: 1, 2: 1}}
    """
    import numpy as np
    import pandas as pd

    r_codes, r_values = pd.factorize(rows, sort=True)
    c_codes, c_values = pd.factorize(columns, sort=True)
    if (r_codes < 0).any() or (c_codes < 0).any():
        raise ValueError("pair_counts: missing values in the rows or columns")
    n = np.bincount(r_codes.astype(np.int64) * len(c_values) + c_codes, minlength=len(r_values) * len(c_values))
    return pd.DataFrame(n.reshape(len(r_values), len(c_values)), index=pd.Index(r_values, name=rows.name),
                        columns=pd.Index(c_values, name=columns.name))


def segment_chart(table):
    """A bar per segment with its number of customers (hue only colours the bars)."""
    import seaborn as sns

    from segtools.reporting.report import chart_axes

    ax = sns.barplot(data=table.reset_index(), y="segment", x="customers", hue="segment", legend=False,
                     dodge=False, ax=chart_axes())
    ax.set(title="Customers per segment", xlabel="customers", ylabel="")
    return ax.figure


def fit_sample_note(outlook) -> str:
    """The sentence saying the predicted-value models were fitted on a sample ("" when fitted on every buyer).

    When the models could not be fitted, it only says on what sample the fit was tried.

    Examples
    --------
    >>> fit_sample_note({"fit": {"sampled": True, "customers": 50_000, "of": 500_000, "random_state": 0}})[:60]
    '*The two models were fitted on a random sample of 50,000 of '
    >>> fit_sample_note({"fit": {"sampled": False, "customers": 3000, "of": 3000, "random_state": None}})
    ''
    """
    fit = outlook.get("fit") or {}
    if not fit.get("sampled"):
        return ""
    if outlook.get("unsupported"):
        return (f"*The fit was tried on a random sample of {fit['customers']:,} of the {fit['of']:,} buyers (seed "
                f"{fit['random_state']}: the same sample every run).*")
    return (f"*The two models were fitted on a random sample of {fit['customers']:,} of the {fit['of']:,} buyers "
            f"(seed {fit['random_state']}: the same sample every run), then applied to every buyer: a handful of "
            "parameters describe the whole base and a sample this size estimates them closely, while a fit on "
            "every buyer would take minutes.*")


def cluster_sample_note(fit) -> str:
    """The sentence saying the behaviour clusters were fitted on a sample ("" when fitted on every buyer).

    Examples
    --------
    >>> cluster_sample_note({"sampled": True, "customers": 50_000, "of": 500_000, "random_state": 0})[:58]
    '*The clusters were found on a random sample of 50,000 of t'
    >>> cluster_sample_note({"sampled": False, "customers": 3000, "of": 3000, "random_state": None})
    ''
    """
    if not (fit or {}).get("sampled"):
        return ""
    return (f"*The clusters were found on a random sample of {fit['customers']:,} of the {fit['of']:,} buyers "
            f"(seed {fit['random_state']}: the same sample every run), then every buyer joined the cluster with "
            "the nearest centre: a sample this size places the centres closely, while k-means over every buyer "
            "would take minutes.*")


def _add_value(report, segments):
    outlook = segments.attrs.get("outlook", {})
    report.text("customers", VALUE.format(horizon=outlook.get("horizon_weeks", 52)))
    sample = fit_sample_note(outlook)
    if outlook.get("unsupported"):
        report.note("customers", "no predicted value",
                    f"*No predicted value for these data: {outlook['unsupported']}. The segments above do not "
                    "depend on it.*" + (f" {sample}" if sample else ""))
        return
    report.table("customers", "predicted value", value_groups(segments))
    report.table("customers", "predicted value by segment", value_by_segment(segments))
    if sample:
        report.note("customers", "predicted value sample", sample)
    for i, warning in enumerate(outlook.get("warnings", [])):
        report.note("customers", f"predicted value caveat {i + 1}", f"*Caveat: {warning}.*")


def add_customer_section(report, tables, *, snapshot_date, n_segments: int = 4, random_state: int = 0,
                         progress=None, on_segments=None):
    """Compute the customer segments and add the section to ``report``; return the segments (None without data).

    The segments also land in ``report.segments``; ``report.summary``'s sizes are filled in
    by :func:`segtools.reporting.build.build_report`. ``on_segments`` is called with the segments
    before the section is drawn (the report starts writing their export then).
    """
    import pandas as pd

    if not {"customers", "transactions"} <= set(tables):
        report.note("customers", "no customer section", texts.NO_CUSTOMERS)
        return None
    step = progress or (lambda line: None)
    segments = customer_segments(tables["customers"], tables["transactions"], snapshot_date=snapshot_date,
                                 n_segments=n_segments, random_state=random_state, progress=step)
    if on_segments is not None:
        on_segments(segments)
    step("drawing the customer section")
    report.segments = segments
    report.text("customers", CUSTOMERS)
    table = segment_table(segments)
    report.table("customers", "segments", table)
    notes = empty_segment_notes(segments)
    if notes:
        report.note("customers", "empty segments", "\n\n".join(notes))
    report.text("customers", WINDOWS)
    report.table("customers", "recency windows", segments.attrs["windows"])
    report.note("customers", "capped recency",
                f"*{segments.attrs.get('capped', 0):,} customers had a recency score lowered by a window.*")
    report.text("customers", AWKWARD)
    report.table("customers", "zero amounts and refunds", awkward_rows(segments))
    excluded = excluded_transactions(segments)
    if excluded:
        report.table("customers", "excluded transactions",
                     pd.DataFrame({"transactions": excluded}).rename_axis("left out of RFM"))
    report.chart("customers", "customers per segment", segment_chart(table), texts.ALT["customers per segment"])
    report.text("customers", texts.ACTIONS)
    report.table("customers", "actions", action_table(segments))
    _add_value(report, segments)
    report.text("customers", texts.CLUSTERS)
    report.table("customers", "cluster profile", cluster_profile(segments))
    report.table("customers", "segments by cluster", cluster_crosstab(segments))
    note = cluster_sample_note(segments.attrs.get("cluster_fit"))
    if note:
        report.note("customers", "cluster sample", note)
    return segments


def customer_sizes(segments) -> dict:
    """The summary's customer sizes: per segment (every segment), per cluster, and the customer rules' counts.

    Besides ``segments`` and ``clusters``: ``empty_segments`` (names), ``windows`` (days by
    window), ``capped_recency`` (customers), ``zero_amounts_and_refunds`` (rows and customers
    touched) and ``predicted_value`` (customers per group, or the reason it is missing).
    """
    import pandas as pd

    windows = segments.attrs.get("windows")
    outlook = segments.attrs.get("outlook", {})
    empty = segments.attrs.get("empty_segments")
    groups = segments["value_outlook"].dropna().value_counts()
    return {"segments": segments["segment"].value_counts(sort=False).to_dict(),
            "clusters": {str(k): int(v) for k, v in
                         segments["cluster"].value_counts(sort=False).sort_index().items()},
            "empty_segments": [] if empty is None else list(empty.index),
            "windows": {} if windows is None else {k: (None if pd.isna(v) else int(v))
                                                   for k, v in windows["days"].items()},
            "capped_recency": int(segments.attrs.get("capped", 0)),
            "zero_amounts_and_refunds": dict(segments.attrs.get("affected", {})),
            "predicted_value": ({"unsupported": outlook["unsupported"]} if outlook.get("unsupported") else
                                {g: int(groups.get(g, 0)) for g in GROUP_ORDER})}

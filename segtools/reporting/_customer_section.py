"""The customer section of a report: segment table, excluded transactions, chart, actions, clusters."""

from __future__ import annotations

from segtools.reporting import texts
from segtools.reporting.customer_table import customer_segments


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


def action_table(segments):
    """Customers and the recommended action of every segment that has customers."""
    return (segments.groupby("segment", observed=True)
            .agg(customers=("customer_id", "size"), recommended_action=("recommended_action", "first")))


def cluster_profile(segments):
    """Customers, median recency and purchases, mean spend per behaviour cluster (buyers only)."""
    buyers = segments.dropna(subset=["cluster"])
    return (buyers.groupby("cluster")
            .agg(customers=("customer_id", "size"), median_recency_days=("recency_days", "median"),
                 median_purchases=("frequency", "median"), mean_spend=("monetary", "mean"))
            .round(1))


def cluster_crosstab(segments):
    """Buyers by named segment (rows, used segments only) and behaviour cluster (columns)."""
    import pandas as pd

    buyers = segments.dropna(subset=["cluster"])
    return pd.crosstab(buyers["segment"].cat.remove_unused_categories(), buyers["cluster"])


def segment_chart(table):
    """A bar per segment with its number of customers (hue only colours the bars)."""
    import seaborn as sns

    from segtools.reporting.report import chart_axes

    ax = sns.barplot(data=table.reset_index(), y="segment", x="customers", hue="segment", legend=False,
                     dodge=False, ax=chart_axes())
    ax.set(title="Customers per segment", xlabel="customers", ylabel="")
    return ax.figure


def add_customer_section(report, tables, *, snapshot_date, n_segments: int = 4, random_state: int = 0):
    """Compute the customer segments and add the section to ``report``; return the segments (None without data).

    The segments also land in ``report.segments``; ``report.summary``'s sizes are filled in
    by :func:`segtools.reporting.build.build_report`.
    """
    if not {"customers", "transactions"} <= set(tables):
        report.note("customers", "no customer section", texts.NO_CUSTOMERS)
        return None
    segments = customer_segments(tables["customers"], tables["transactions"], snapshot_date=snapshot_date,
                                 n_segments=n_segments, random_state=random_state)
    report.segments = segments
    report.text("customers", texts.CUSTOMERS)
    table = segment_table(segments)
    report.table("customers", "segments", table)
    excluded = excluded_transactions(segments)
    if excluded:
        import pandas as pd

        report.table("customers", "excluded transactions",
                     pd.DataFrame({"transactions": excluded}).rename_axis("left out of RFM"))
    report.chart("customers", "customers per segment", segment_chart(table), texts.ALT["customers per segment"])
    report.text("customers", texts.ACTIONS)
    report.table("customers", "actions", action_table(segments))
    report.text("customers", texts.CLUSTERS)
    report.table("customers", "cluster profile", cluster_profile(segments))
    report.table("customers", "segments by cluster", cluster_crosstab(segments))
    return segments


def customer_sizes(segments) -> dict:
    """The summary's customer sizes: customers per segment (every segment) and per cluster."""
    return {"segments": segments["segment"].value_counts(sort=False).to_dict(),
            "clusters": {str(k): int(v) for k, v in
                         segments["cluster"].value_counts(sort=False).sort_index().items()}}

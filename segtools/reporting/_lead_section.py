"""The lead section of a report (tiers, call list, grade grid, chart, call first) and the lead-to-customer funnel."""

from __future__ import annotations

from segtools.reporting import texts
from segtools.reporting.lead_table import lead_priorities

TIERS = ("hot", "warm", "cold", "closed")
#: Lead columns shown next to the call-first list when the leads have them.
SHOWN = ("name", "company", "country")


def tier_table(priorities):
    """Leads, mean score and leads on the call list per tier (tiers that occur, hot to closed)."""
    tiers = (priorities.groupby("tier")
             .agg(leads=("lead_id", "size"), mean_score=("score", "mean"), on_call_list=("call_this_period", "sum"))
             .reindex(list(TIERS)).dropna(how="all").round(1))
    tiers["leads"] = tiers["leads"].astype(int)
    return tiers


def grade_grid(open_leads):
    """Open leads by fit letter (rows) and engagement digit (columns)."""
    import pandas as pd

    return pd.crosstab(open_leads["grade"].str[0].rename("fit"), open_leads["grade"].str[1].rename("engagement"))


def call_first(open_leads, leads, n: int = 20):
    """The ``n`` open leads ranked highest, with name, company and country when the leads have them."""
    shown = [c for c in SHOWN if c in leads]
    top = open_leads.nsmallest(n, "rank").merge(leads[["lead_id", *shown]], on="lead_id", how="left")
    return top[["rank", "lead_id", *shown, "score", "grade", "tier", "reason"]].set_index("rank")


def score_chart(open_leads):
    """A stacked histogram of the open leads' scores, coloured by tier."""
    import seaborn as sns

    from segtools.reporting.report import chart_axes

    ax = sns.histplot(data=open_leads, x="score", hue="tier", hue_order=["hot", "warm", "cold"],
                      multiple="stack", bins=30, ax=chart_axes())
    ax.set(title="Scores of the open leads", xlabel="score (points)", ylabel="leads")
    return ax.figure


def add_lead_section(report, tables, *, points, snapshot_date, capacity: int = 200, half_life: float = 30):
    """Prioritise the leads and add the section to ``report``; return the priorities (None without leads)."""
    if "leads" not in tables:
        report.note("leads", "no lead section", texts.NO_LEADS)
        return None
    leads = tables["leads"]
    priorities = lead_priorities(leads, points=points, snapshot_date=snapshot_date, capacity=capacity,
                                 half_life=half_life)
    report.priorities = priorities
    report.text("leads", texts.LEADS.format(half_life=half_life))
    report.table("leads", "lead tiers", tier_table(priorities))
    open_leads = priorities[priorities["tier"] != "closed"]
    report.note("leads", "call list", texts.CALL_LIST.format(
        on_list=int(open_leads["call_this_period"].sum()), n_open=len(open_leads), capacity=capacity))
    if priorities["fit_score"].nunique() == 1:
        report.note("leads", "same fit", texts.SAME_FIT)
    report.text("leads", texts.GRADE_GRID)
    report.table("leads", "grade grid", grade_grid(open_leads))
    report.chart("leads", "lead scores", score_chart(open_leads), texts.ALT["lead scores"])
    report.text("leads", texts.CALL_FIRST)
    report.table("leads", "call first", call_first(open_leads, leads))
    return priorities


def won_by_fit(priorities):
    """Closed leads and the share won per fit letter."""
    closed = priorities[priorities["tier"] == "closed"].assign(fit=lambda d: d["grade"].str[0])
    won = closed["status"].astype("str").str.lower().isin(["won", "converted"])
    return (won.groupby(closed["fit"]).agg(["size", "mean"])
            .rename(columns={"size": "closed leads", "mean": "share won"}).round(3))


def former_leads_by_segment(leads, segments):
    """Customers who were leads, per named segment (every segment)."""
    became = leads.dropna(subset=["customer_id"])[["customer_id"]].merge(
        segments[["customer_id", "segment"]], on="customer_id", how="inner")
    return became["segment"].value_counts(sort=False).rename("former leads").to_frame()


def add_funnel_section(report, tables, segments, priorities) -> None:
    """From lead to customer: share won per fit letter, and the segments of the leads who became customers."""
    report.text("funnel", texts.FUNNEL)
    if segments is None or priorities is None or "customer_id" not in tables["leads"]:
        report.note("funnel", "no funnel", texts.NO_FUNNEL)
        return
    report.table("funnel", "won by fit", won_by_fit(priorities))
    report.table("funnel", "former leads by segment", former_leads_by_segment(tables["leads"], segments))


def lead_sizes(priorities) -> dict:
    """The summary's lead sizes: leads per tier, call list length, open and closed leads per grade."""
    return {"tiers": priorities["tier"].value_counts().to_dict(),
            "call_list": int(priorities["call_this_period"].sum()),
            "grades": priorities["grade"].value_counts().sort_index().to_dict()}

"""Write the three report templates in this folder from one set of cells.

The case, customer and lead reports share their cells, so they are generated here rather
than edited one by one: change a cell below, then run (from the repository root)

    .venv/bin/python segtools/reporting/templates/make_templates.py

``tests/test_report.py`` checks that the stored templates match this script.
"""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

PARAMS = '''# Parameters (papermill overrides these in the cell below this one).
case = "startup"            # a world: retail, startup, consulting, agency; empty for your own files
customers_path = ""         # your own files (used when case is empty); CSV or Parquet
transactions_path = ""
leads_path = ""
mapping_path = ""           # a YAML column mapping, see notebooks/08_your_own_data.ipynb
points_path = ""            # a lead points table (CSV or YAML); empty for the default rules of the world
snapshot_date = ""          # analysis date YYYY-MM-DD; empty for the date of the case, or the day after your data
n_segments = 4              # number of behaviour clusters among the customers
capacity = 200              # leads the sales team can call in one period
output_dir = "."            # where the CSV exports and summary.json are written'''

SETUP = '''import io
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython.display import Image, Markdown, display

from segtools.reporting.exports import customer_segments_export, lead_priorities_export, write_csv
from segtools.reporting import load_inputs, write_summary
from segtools.reporting.sections import customer_segments, generic_points, lead_priorities

sns.set_theme(style="whitegrid")


def show_chart(ax, alt):
    """Show a chart as a PNG with a text alternative for screen readers (kept in the HTML)."""
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(ax.figure)
    display(Image(data=buffer.getvalue(), format="png", alt=alt))


pd.set_option("display.max_colwidth", 80)
SECTIONS = {sections}
title, tables, snapshot = load_inputs(case, customers_path, transactions_path, leads_path, mapping_path,
                                      snapshot_date)
has_customers = "customers" in SECTIONS and {{"customers", "transactions"}} <= set(tables)
has_leads = "leads" in SECTIONS and "leads" in tables
out = Path(output_dir)
out.mkdir(parents=True, exist_ok=True)
rows_in = {{t: len(df) for t, df in tables.items()}}
rows_out, sizes, excluded = {{}}, {{}}, {{}}
if has_customers:
    segments = customer_segments(tables["customers"], tables["transactions"], snapshot, n_segments=n_segments)
    rows_out["customer_segments"] = write_csv(customer_segments_export(segments), out / "customer_segments.csv")
    sizes["segments"] = segments["segment"].value_counts(sort=False).to_dict()
    excluded = {{k.replace("_", " "): v for k, v in segments.attrs.get("excluded", {{}}).items() if v}}
    sizes["clusters"] = {{str(k): int(v) for k, v in segments["cluster"].value_counts(sort=False).sort_index().items()}}
if has_leads:
    points = points_path or case or generic_points(tables["leads"])
    priorities = lead_priorities(tables["leads"], points, snapshot, capacity=capacity)
    rows_out["lead_priorities"] = write_csv(lead_priorities_export(priorities), out / "lead_priorities.csv")
    sizes["tiers"] = priorities["tier"].value_counts().to_dict()
    sizes["call_list"] = int(priorities["call_this_period"].sum())
    sizes["grades"] = priorities["grade"].value_counts().sort_index().to_dict()
run_parameters = {{
    "case": case or "(own files)",
    "customers file": Path(customers_path).name if customers_path else "",
    "transactions file": Path(transactions_path).name if transactions_path else "",
    "leads file": Path(leads_path).name if leads_path else "",
    "column mapping": Path(mapping_path).name if mapping_path else "",
    "points table": Path(points_path).name if points_path else ("default for " + case if case else "generic"),
    "snapshot date": str(snapshot.date()),
    "number of clusters": n_segments,
    "sales capacity": capacity,
}}
summary = write_summary(out / "summary.json", title=title, report="{kind}", parameters=run_parameters,
                        rows_in=rows_in, rows_out=rows_out, sizes=sizes, transactions_excluded=excluded)'''

HEAD = '''import html

display(Markdown(f"# {{html.escape(title)}}: {heading}\\n\\n"
                 f"Segmentation as of **{{snapshot:%d %B %Y}}**. {blurb}"))'''

RUN = '''display(Markdown("## The run"))
display(pd.DataFrame({"value": [str(v) for v in run_parameters.values()]}, index=list(run_parameters)))
data = pd.DataFrame({"rows": rows_in})
for t, col in (("customers", "signup_date"), ("transactions", "date"), ("leads", "created_at")):
    if t in tables and col in tables[t]:
        data.loc[t, "first date"] = f"{tables[t][col].min():%Y-%m-%d}"
        data.loc[t, "last date"] = f"{tables[t][col].max():%Y-%m-%d}"
data.index.name = "table"
display(Markdown("### Data summary"))
display(data)'''

CUST_MD = '''## Customer segments

Each customer who bought gets three scores from 1 to 5: how recently they bought (recency:
days from the last purchase to the snapshot date), how often (frequency) and how much
(monetary, net of refunds). Equal values always get equal scores. A fixed map of named
segments, tried in order, turns the scores into a segment with a recommended action.
Customers who never bought keep their row, in the segment "No purchases yet"; nobody is
left out, and transactions that cannot count (dated after the snapshot, zero amounts,
refunds with no purchase to undo) are counted below the table.'''

CUST = '''if has_customers:
    table = (segments.groupby("segment", observed=False)
             .agg(customers=("customer_id", "size"), median_recency_days=("recency_days", "median"),
                  median_purchases=("frequency", "median"), mean_spend=("monetary", "mean"),
                  total_spend=("monetary", "sum"))
             .round(1))
    table.insert(1, "share %", (100 * table["customers"] / table["customers"].sum()).round(1))
    display(table)
    if excluded:
        display(pd.DataFrame({"transactions": excluded}).rename_axis("left out of RFM"))
    ax = sns.barplot(data=table.reset_index(), y="segment", x="customers", hue="segment", legend=False,
                     dodge=False)  # one bar per segment: hue only colours it
    ax.set(title="Customers per segment", xlabel="customers", ylabel="")
    show_chart(ax, "Bar chart of the number of customers in each named segment; the table above has the numbers.")
else:
    display(Markdown("*No customers and transactions were given, so there is no customer section.*"))'''

ACT_MD = '''### Recommended actions

What to do for each segment that has customers in it. The same sentence is in the
`recommended_action` column of `customer_segments.csv`, ready for a CRM list or an e-mail tool.'''

ACT = '''if has_customers:
    actions = (segments.groupby("segment", observed=True)
               .agg(customers=("customer_id", "size"), recommended_action=("recommended_action", "first")))
    display(actions)'''

CLUST_MD = '''### Behaviour clusters

A second view, found by k-means on the logarithms of recency, frequency and spend of the
customers who bought. Cluster 1 has the highest mean spend. Compare the clusters with the
named segments: where they agree, the segments describe real groups in the data.'''

CLUST = '''if has_customers:
    buyers = segments.dropna(subset=["cluster"])
    profile = (buyers.groupby("cluster")
               .agg(customers=("customer_id", "size"), median_recency_days=("recency_days", "median"),
                    median_purchases=("frequency", "median"), mean_spend=("monetary", "mean"))
               .round(1))
    display(profile)
    display(pd.crosstab(buyers["segment"].cat.remove_unused_categories(), buyers["cluster"]))'''

LEAD_MD = '''## Lead priorities

Every lead gets points for fit (who they are) and for engagement (what they did, fading
with a half-life of 30 days since their last activity). The grade crosses the two: the
letter is fit (A fits best) and the digit engagement (1 most engaged), each cut at the
quartiles of the scores. Grades group into tiers: hot leads go to sales now, warm ones are
followed up, cold ones stay with marketing. Open leads are ranked by score, and the sales
capacity decides how many of them are on this period's call list. Won and lost leads keep
their row, in the tier "closed".'''

LEAD = '''if has_leads:
    tiers = (priorities.groupby("tier")
             .agg(leads=("lead_id", "size"), mean_score=("score", "mean"),
                  on_call_list=("call_this_period", "sum"))
             .reindex(["hot", "warm", "cold", "closed"]).dropna(how="all").round(1))
    tiers["leads"] = tiers["leads"].astype(int)
    display(tiers)
    opened = priorities[priorities["tier"] != "closed"]
    display(Markdown(f"The call list holds {int(opened['call_this_period'].sum()):,} of "
                     f"{len(opened):,} open leads (capacity {capacity:,})."))
    if priorities["fit_score"].nunique() == 1:
        display(Markdown("*Every lead has the same fit score (the points table has no fit rules that "
                         "separate them), so the fit letter says nothing here; give a points table with "
                         "fit rules (`--points`) to grade fit.*"))
    grid = pd.crosstab(opened["grade"].str[0].rename("fit"), opened["grade"].str[1].rename("engagement"))
    display(Markdown("### Open leads by grade (fit letter by engagement digit)"))
    display(grid)
    ax = sns.histplot(data=opened, x="score", hue="tier", hue_order=["hot", "warm", "cold"],
                      multiple="stack", bins=30)
    ax.set(title="Scores of the open leads", xlabel="score (points)", ylabel="leads")
    show_chart(ax, "Stacked histogram of the scores of the open leads, coloured by tier (hot, warm, cold).")
else:
    display(Markdown("*No leads were given, so there is no lead section.*"))'''

TOP_MD = '''### Call first

The twenty open leads with the highest scores, with the rules that earned them the most points.'''

TOP = '''if has_leads:
    shown = [c for c in ("name", "company", "country") if c in tables["leads"]]
    top = opened.nsmallest(20, "rank").merge(tables["leads"][["lead_id", *shown]], on="lead_id", how="left")
    display(top[["rank", "lead_id", *shown, "score", "grade", "tier", "reason"]].set_index("rank"))'''

FUNNEL_MD = '''## From lead to customer

Did the grades separate the leads that became customers from those that did not? Among the
closed leads, the share won per fit letter, and the named segment those customers are in now.'''

FUNNEL = '''if has_leads and has_customers and "customer_id" in tables["leads"]:
    closed = priorities[priorities["tier"] == "closed"].assign(fit=lambda d: d["grade"].str[0])
    won = closed["status"].astype("str").str.lower().isin(["won", "converted"])
    display(won.groupby(closed["fit"]).agg(["size", "mean"])
            .rename(columns={"size": "closed leads", "mean": "share won"}).round(3))
    became = tables["leads"].dropna(subset=["customer_id"])[["customer_id"]].merge(
        segments[["customer_id", "segment"]], on="customer_id", how="inner")
    display(became["segment"].value_counts(sort=False).rename("former leads").to_frame())
else:
    display(Markdown("*This section needs leads that record the customer they became, and the customers.*"))'''

EXPORTS_MD = '''## Files next to this report

* `customer_segments.csv`: one row per customer (customer_id, segment, recency_days, frequency,
  monetary, r_score, f_score, m_score, recommended_action).
* `lead_priorities.csv`: one row per lead (lead_id, score, grade, tier, rank, call_this_period,
  reason), best first.
* `summary.json`: this run's parameters, row counts in and out, and the segment sizes.

The CSV files are plain UTF-8 with one header row. A text value that begins with `=`, `+`, `-`
or `@` starts with an apostrophe in the file, so a spreadsheet shows it instead of running it.'''

COUNTS = '''display(pd.DataFrame({"rows": summary["rows_out"]}).rename_axis("export"))'''


HERE = Path(__file__).resolve().parent
FILES = {"case": "case_report.ipynb", "customers": "customer_report.ipynb", "leads": "lead_report.ipynb"}


def build(kind, heading, blurb, sections, folder=HERE):
    intro = (f"# {heading} template: run it with `segtools report` (papermill) or papermill itself.\n"
             "# The HTML report leaves every code cell out and shows only the outputs and the text.\n")
    cells = [new_code_cell(intro + PARAMS, metadata={"tags": ["parameters"]}),
             new_code_cell(SETUP.format(sections=repr(sections), kind=kind)),
             new_code_cell(HEAD.format(heading=heading, blurb=blurb)),
             new_code_cell(RUN)]
    if "customers" in sections:
        cells += [new_markdown_cell(CUST_MD), new_code_cell(CUST), new_markdown_cell(ACT_MD), new_code_cell(ACT),
                  new_markdown_cell(CLUST_MD), new_code_cell(CLUST)]
    if "leads" in sections:
        cells += [new_markdown_cell(LEAD_MD), new_code_cell(LEAD), new_markdown_cell(TOP_MD), new_code_cell(TOP)]
    if sections == ("customers", "leads"):
        cells += [new_markdown_cell(FUNNEL_MD), new_code_cell(FUNNEL)]
    cells += [new_markdown_cell(EXPORTS_MD), new_code_cell(COUNTS)]
    for i, c in enumerate(cells):
        c.id = f"cell-{i:02d}"  # fixed ids: regenerating gives the same file
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.validate(nb)
    nbformat.write(nb, Path(folder) / FILES[kind])


def main(folder=HERE):
    """Write the three templates into ``folder``."""
    build("case", "Case report", "Customers are segmented by how they buy; leads are prioritised by how well "
              "they fit and how engaged they are.", ("customers", "leads"), folder)
    build("customers", "Customer report", "Customers are segmented by how recently, how often and how much they "
          "buy.", ("customers",), folder)
    build("leads", "Lead report", "Leads are prioritised by how well they fit and how engaged they are.",
          ("leads",), folder)


if __name__ == "__main__":
    main()

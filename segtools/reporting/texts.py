"""The words of a report: headings, explanations and notes, kept apart from the code that fills them in.

:func:`segtools.reporting.build_report` puts these texts between its tables and charts; a
template only shows the result. Texts with ``{...}`` fields are formatted when a report is built.
"""

#: Per report kind: the heading after the title, and the sentence under it.
HEADINGS = {
    "case": ("Case report", ("Customers are segmented by how they buy; leads are prioritised by how well "
                             "they fit and how engaged they are.")),
    "customers": ("Customer report", "Customers are segmented by how recently, how often and how much they buy."),
    "leads": ("Lead report", "Leads are prioritised by how well they fit and how engaged they are."),
}

TITLE = "# {title}: {heading}\n\nSegmentation as of **{snapshot:%d %B %Y}**. {blurb}"

RUN = "## The run"

DATA_SUMMARY = "### Data summary"

ACTIONS = """### Recommended actions

What to do for each segment that has customers in it. The same sentence is in the
`recommended_action` column of `customer_segments.csv`, ready for a CRM list or an e-mail tool."""

CLUSTERS = """### Behaviour clusters

A second view, found by k-means on the logarithms of recency, frequency and spend of the
customers who bought. Cluster 1 has the highest mean spend. Compare the clusters with the
named segments: where they agree, the segments describe real groups in the data."""

LEADS = """## Lead priorities

Every lead gets points for fit (who they are) and for engagement (what they did, fading
with a half-life of {half_life:g} days since their last activity). The grade crosses the two: the
letter is fit (A fits best) and the digit engagement (1 most engaged), each cut at the
quartiles of the scores. Grades group into tiers: hot leads go to sales now, warm ones are
followed up, cold ones stay with marketing. Open leads are ranked by score, and the sales
capacity decides how many of them are on this period's call list. Won and lost leads keep
their row, in the tier "closed"."""

CALL_LIST = "The call list holds {on_list:,} of {n_open:,} open leads (capacity {capacity:,})."

SAME_FIT = ("*Every lead has the same fit score (the points table has no fit rules that separate them), so "
            "the fit letter says nothing here; give a points table with fit rules (`--points`) to grade fit.*")

GRADE_GRID = "### Open leads by grade (fit letter by engagement digit)"

CALL_FIRST = """### Call first

The twenty open leads with the highest scores, with the rules that earned them the most points."""

FUNNEL = """## From lead to customer

Did the grades separate the leads that became customers from those that did not? Among the
closed leads, the share won per fit letter, and the named segment those customers are in now."""

FILES = """## Files next to this report

* `customer_segments.csv`: one row per customer (customer_id, segment, recency_days, frequency,
  monetary, r_score, f_score, m_score, recommended_action, and the predicted value columns p_alive,
  expected_purchases, expected_spend, predicted_value, value_outlook, empty when the data cannot
  support the model).
* `lead_priorities.csv`: one row per lead (lead_id, score, grade, tier, rank, call_this_period,
  reason), best first.
* `summary.json`: this run's parameters, row counts in and out, and the segment sizes.

The CSV files are plain UTF-8 with one header row. A text value that begins with `=`, `+`, `-`
or `@` starts with an apostrophe in the file, so a spreadsheet shows it instead of running it."""

NO_CUSTOMERS = "*No customers and transactions were given, so there is no customer section.*"

NO_LEADS = "*No leads were given, so there is no lead section.*"

NO_FUNNEL = "*This section needs leads that record the customer they became, and the customers.*"

#: Text alternatives of the charts (kept in the HTML for screen readers).
ALT = {
    "customers per segment": ("Bar chart of the number of customers in each named segment; "
                              "the table above has the numbers."),
    "lead scores": "Stacked histogram of the scores of the open leads, coloured by tier (hot, warm, cold).",
}

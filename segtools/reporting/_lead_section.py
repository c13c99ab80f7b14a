"""The lead section of a report (tiers, call list, grade grid, chart, call first) and the lead-to-customer funnel."""

from __future__ import annotations

from segtools.reporting import texts
from segtools.reporting.lead_table import lead_priorities

TIERS = ("hot", "warm", "cold", "closed")
#: Lead columns shown next to the call-first list when the leads have them.
SHOWN = ("name", "company", "country")

LEADS_LEARNED = """## Lead priorities

The leads file records outcomes: the report learns from {n_closed:,} leads ({n_won:,} converted, {rate:.1%}).
A calibrated model (logistic regression, probabilities checked against outcomes) learned from them
which leads convert, and ranks the {n_open:,} open leads by their chance to convert. Tiers follow
that chance: hot leads convert at least twice as often as the average closed lead ({hot:.1%} or more),
warm ones at least as often ({rate:.1%} or more), cold ones less."""

LEADS_RULES = """## Lead priorities

Every lead gets points for fit (who they are) and for engagement (what they did), from the points
table. {outcome} Open leads are ranked by points and tiered by grade."""

NO_MEASURE = ("*This report cannot measure how well it ranks: {why}. Give a leads file with the outcome "
              "of past leads (a column mapped to `converted`, 1/0 or yes/no) and the report learns from "
              "them and shows its ROC AUC.*")

POINTS_TEXT = """### Points and grades

Every lead also gets points for fit (who they are) and engagement (what they did){decay}. The grade
crosses the two: the letter is fit (A fits best) and the digit engagement (1 most engaged), each cut
at the quartiles of the scores; when many leads share a score the cut keeps a tie together, in the
band of its middle. Won and lost leads keep their row, in the tier "closed"."""

DECAY = ", engagement fading with a half-life of {half_life:g} days since the last activity{source}"
#: The half-life of the report when neither the caller nor the points table gives one.
HALF_LIFE = 30

MEASURED = """### How well it ranks

Measured on leads the model did not learn from ({method}). ROC AUC is the chance that a converted
lead is ranked above one that did not convert (0.5 is a coin toss, 1 perfect); average precision
summarises the share of conversions at the top of the list (the base rate is what a random list gets).
Beside the model: a points table learned from the same closed leads on the same split (rules learned
from the training leads only), and the points table this report scores with, all on the same held-out leads."""

LEARNED = """### A points table learned from these leads

An editable points table learned from every closed lead: for each telling column a threshold or a
few levels, 10 points per doubling of the conversion rate, a cap per group, flagged columns left
out{decay}. Its held-out ROC AUC is in the table above. `segtools points suggest` writes it as a
file to edit and give back with `--points`."""

LEARNED_DECAY = ("; engagement points fade with a half-life of {half_life:g} days, the candidate (none, 14, "
                 "30, 60 or 90 days) that ranked the held-out leads best")

NO_LEARNED = "*No points table could be learned from these leads: {why}.*"

GAINS = """### Gains and lift by decile

Held-out leads in ten groups of equal size by the model's probability, highest first: lift is the
group's conversion rate over the average; gain is the share of all conversions found so far."""

CALIBRATION = """### Calibration

Predicted chance against the share that converted, per group of held-out leads: close values mean
the probabilities can be read as chances (and summed into expected conversions)."""

LEAKS = """### Columns left out (leak alarm)

These columns give the outcome away: they are filled in after it (post-outcome), copy it under
another name, or separate it almost perfectly alone, so a model trained on them would look brilliant
in testing and fail on open leads. They are left out unless kept on purpose (`keep_flagged`)."""

TIES = ("At the capacity boundary {tied:,} open leads share the same {what} ({value}); {called:,} of them fit "
        "on the list and were picked at random (seed {random_state}), not by lead id.")

GRADE_TIES = ("*The {which} scores take too few distinct values to cut at quartiles; grades were set by "
              "each score's middle rank, so tied leads share a grade.*")

FEW_SCORES = ("*The points give only {n:,} distinct scores to {n_open:,} open leads: they cannot separate most "
              "leads.*")


def _fmt(value) -> str:
    """A number for a sentence: a probability as a percentage, points as a plain number."""
    return f"{value:.1%}" if 0 <= value <= 1 and not float(value).is_integer() else f"{value:g}"


def tier_table(priorities):
    """Leads, mean points, mean probability (when learned) and leads on the call list per tier that occurs."""
    import pandas as pd

    agg = dict(leads=("lead_id", "size"), mean_points=("score", "mean"))
    learned = priorities["probability"].notna().any()
    if learned:
        agg["mean_probability"] = ("probability", "mean")
    agg["on_call_list"] = ("call_this_period", "sum")
    tiers = priorities.groupby("tier").agg(**agg).reindex(list(TIERS)).dropna(subset=["leads"])
    tiers["leads"] = tiers["leads"].astype(int)
    tiers["on_call_list"] = tiers["on_call_list"].astype(int)
    tiers["mean_points"] = tiers["mean_points"].round(1)
    if learned:
        tiers["mean_probability"] = [("none (closed)" if pd.isna(v) else f"{v:.3f}") for v in tiers["mean_probability"]]
    return tiers


def grade_grid(open_leads):
    """Open leads by fit letter (rows) and engagement digit (columns)."""
    import pandas as pd

    return pd.crosstab(open_leads["grade"].str[0].rename("fit"), open_leads["grade"].str[1].rename("engagement"))


def call_first(open_leads, leads, n: int = 20):
    """The ``n`` open leads ranked highest, with name, company and country when the leads have them."""
    shown = [c for c in SHOWN if c in leads]
    top = open_leads.nsmallest(n, "rank").merge(leads[["lead_id", *shown]], on="lead_id", how="left")
    chance = ["probability"] if top["probability"].notna().any() else []
    top = top[["rank", "lead_id", *shown, *chance, "score", "grade", "tier", "reason"]].set_index("rank")
    return top.fillna({c: "none" for c in shown}).rename(columns={"score": "points"})


def score_chart(open_leads):
    """A stacked histogram of the open leads' probabilities (or points), coloured by tier."""
    import seaborn as sns

    from segtools.reporting.report import chart_axes

    learned = open_leads["probability"].notna().any()
    x = "probability" if learned else "score"
    ax = sns.histplot(data=open_leads, x=x, hue="tier", hue_order=["hot", "warm", "cold"],
                      multiple="stack", bins=30, ax=chart_axes())
    ax.set(title="Open leads by " + ("chance to convert" if learned else "points"),
           xlabel="calibrated probability" if learned else "score (points)", ylabel="leads")
    return ax.figure


def _rules_label(points_label: str) -> str:
    """What the report calls the rule points: the caller's table, or the default or generic rules."""
    if points_label.startswith("default for "):
        return f"default points table ({points_label.removeprefix('default for ')})"
    return "generic points table" if points_label in ("generic", "") else "your points table"


def _measures_table(history, learned=None, *, points_label: str = ""):
    """Model, learned points table and the report's points table on the same held-out leads."""
    import pandas as pd

    out = history.measures.copy()
    if learned is not None:
        row = pd.DataFrame([learned.attrs["measures"]], index=["learned points table"])
        out = pd.concat([out.iloc[:1], row[out.columns], out.iloc[1:]])
    out = out.rename(index={"model (calibrated probability)": "model", "rule points": _rules_label(points_label)})
    out[["base_rate", "roc_auc", "average_precision"]] = out[["base_rate", "roc_auc", "average_precision"]] \
        .astype(float).round(3)
    out[["leads", "conversions"]] = out[["leads", "conversions"]].astype("int64")
    return out.rename(columns={"leads": "held-out leads"}).rename_axis("scorer")


def _learned_table(learned):
    """The learned points table as the report shows it: one rule a row, caps spelled out."""
    from segtools.leads import points_table

    import math

    shown = points_table(learned)[["score", "group", "rule", "points", "cap"]]
    return shown.assign(cap=[("no cap" if math.isnan(c) else f"{c:g}") for c in shown["cap"]]).set_index("rule")


def _learn_points(leads, history, snapshot_date):
    """``(table, None)`` learned on the model's split, or ``(None, why not)``."""
    from segtools.errors import ValidationError
    from segtools.leads.history import learned_points_table

    try:
        return learned_points_table(leads, history, snapshot_date=snapshot_date), None
    except ValidationError as err:
        return None, str(err)


def _add_history(report, history, priorities, leads, open_leads, snapshot_date):
    from segtools.leads import outcome_of
    from segtools.reporting.lead_table import history_mask

    closed = history_mask(leads, (priorities["tier"] != "closed").to_numpy())
    won = outcome_of(leads, "converted")[closed].astype(bool)
    rate = float(won.mean())
    report.text("leads", LEADS_LEARNED.format(n_closed=int(closed.sum()), n_won=int(won.sum()), rate=rate,
                                              n_open=len(open_leads), hot=2 * rate))
    report.text("leads", MEASURED.format(method=history.method))
    learned, why_not = _learn_points(leads, history, snapshot_date)
    report.learned_points = learned  # the table itself, for a caller that writes files (suggested_points.yml)
    priorities.attrs["learned_points"] = None if learned is None else {
        "half_life_days": learned.attrs.get("half_life_days"), **learned.attrs["measures"]}
    label = str(getattr(report, "parameters", {}).get("points table", ""))
    report.table("leads", "how well it ranks", _measures_table(history, learned, points_label=label))
    report.text("leads", GAINS)
    gains = history.gains[["decile", "leads", "conversions", "rate", "lift", "cum_conversions_share"]]
    report.table("leads", "gains and lift", gains.rename(columns={"cum_conversions_share": "gain"})
                 .round(3).set_index("decile"))
    report.text("leads", CALIBRATION)
    report.table("leads", "calibration", history.calibration.round(3).set_index("bin"))
    if learned is None:
        report.note("leads", "no learned points", NO_LEARNED.format(why=why_not))
        return
    hl = learned.attrs.get("half_life_days")
    report.text("leads", LEARNED.format(decay="" if hl is None else LEARNED_DECAY.format(half_life=hl)))
    report.table("leads", "learned points table", _learned_table(learned))


def add_lead_section(report, tables, *, points, snapshot_date, capacity: int = 200, half_life=None,
                     post_outcome=(), keep_flagged=(), random_state: int = 0):
    """Prioritise the leads and add the section to ``report``; return the priorities (None without leads).

    ``half_life`` None takes the points table's ``half_life_days``, else :data:`HALF_LIFE` days.
    """
    if "leads" not in tables:
        report.note("leads", "no lead section", texts.NO_LEADS)
        return None
    leads = tables["leads"]
    source = ""
    if half_life is None:
        from segtools.leads.rules import as_points_table

        half_life = as_points_table(points).attrs.get("half_life_days") if points is not None else None
        source = "" if half_life is None else " (the points table's half_life_days)"
        half_life = HALF_LIFE if half_life is None else half_life
    priorities = lead_priorities(leads, points=points, snapshot_date=snapshot_date, capacity=capacity,
                                 half_life=half_life, post_outcome=post_outcome, keep_flagged=keep_flagged,
                                 random_state=random_state)
    report.priorities = priorities
    history = priorities.attrs["history"]
    open_leads = priorities[priorities["tier"] != "closed"]
    if history is not None:
        _add_history(report, history, priorities, leads, open_leads, snapshot_date)
        alarm = history.leak_alarm
        if len(alarm):
            report.text("leads", LEAKS)
            report.table("leads", "leak alarm", alarm.assign(kept=alarm["kept"].map({True: "kept on purpose",
                                                                                      False: "left out"}))
                         .set_index("column"))
    else:
        has = "converted" in leads.columns
        report.text("leads", LEADS_RULES.format(outcome="" if not has else "The outcomes cannot be learned from."))
        report.note("leads", "cannot measure", NO_MEASURE.format(why=priorities.attrs["no_history"]))
    report.text("leads", POINTS_TEXT.format(decay=DECAY.format(half_life=half_life, source=source)
                                            if priorities.attrs["decay"] else ""))
    report.table("leads", "lead tiers", tier_table(priorities))
    report.note("leads", "call list", texts.CALL_LIST.format(
        on_list=int(open_leads["call_this_period"].sum()), n_open=len(open_leads), capacity=capacity))
    ties = priorities.attrs["ties"]
    if ties["tied"]:
        report.note("leads", "ties at the boundary", TIES.format(
            tied=ties["tied"], called=ties["called"], value=_fmt(ties["score"]), random_state=random_state,
            what="probability" if history is not None else "points"))
    if history is None and len(open_leads) and ties["distinct_scores"] < max(10, len(open_leads) // 100):
        report.note("leads", "few scores", FEW_SCORES.format(n=ties["distinct_scores"], n_open=len(open_leads)))
    for col in priorities.attrs["grade_ties"]:
        report.note("leads", f"ties in {col}", GRADE_TIES.format(which=col.split("_")[0]))
    if priorities["fit_score"].nunique() == 1:
        report.note("leads", "same fit", texts.SAME_FIT)
    report.text("leads", texts.GRADE_GRID)
    report.table("leads", "grade grid", grade_grid(open_leads))
    if len(open_leads):
        report.chart("leads", "lead scores", score_chart(open_leads), texts.ALT["lead scores"])
        report.text("leads", "### Call first\n\nThe twenty open leads ranked highest, with the rules that earned "
                    "them the most points.")
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
    """The summary's lead sizes: leads per tier, call list length, grades, ranking, ties, leaks, measures."""
    history = priorities.attrs.get("history")
    out = {"tiers": priorities["tier"].value_counts().to_dict(),
           "call_list": int(priorities["call_this_period"].sum()),
           "grades": priorities["grade"].value_counts().sort_index().to_dict(),
           "ranked_by": priorities.attrs.get("ranked_by", "rule points"),
           "ties_at_capacity": priorities.attrs.get("ties", {})}
    if history is None:
        out["measured"] = "not measured: " + str(priorities.attrs.get("no_history", ""))
    else:
        m = history.measures
        out["measured"] = {"method": history.method, **{name: {"roc_auc": round(float(r.roc_auc), 4),
                           "average_precision": round(float(r.average_precision), 4)} for name, r in m.iterrows()}}
        learned = priorities.attrs.get("learned_points")
        if learned is not None:
            out["measured"]["learned points table"] = {
                "roc_auc": round(learned["roc_auc"], 4), "average_precision": round(learned["average_precision"], 4),
                "half_life_days": learned["half_life_days"]}
        out["leak_alarm"] = history.leak_alarm.to_dict("records")
    return out

"""Notebook 09 (segmentation software): e-mail segments, static and active lists, enrichment, needs."""

from __future__ import annotations

from segtools.workbook.exercise_types import Exercise, case


def _rfm_at(date):
    from segtools.customers import rfm

    table = rfm(case("retail").transactions, date, after_snapshot="exclude").reset_index()
    return table.rename(columns={"recency": "recency_days"})


_SIX = ("age < 30", "style_preference == 'trendy'", "loyalty_member == True", "recency_days <= 90",
        "monetary > 200", "country == 'Spain'")


def _without(dropped):
    """Contacts of the exercise's segment with one of its six conditions dropped."""
    from segtools.audiences import email_segment

    retail = case("retail")
    audience = retail.customers.merge(_rfm_at(retail.snapshot_date), on="customer_id", how="left")
    return len(email_segment(audience, [c for c in _SIX if c != dropped]))


def _five_conditions():
    return _without("country == 'Spain'")


def _other_drops():
    """Known mistake: dropping a condition the offer is about instead of the country."""
    by_count = {}
    for condition in _SIX[:-1]:
        by_count.setdefault(_without(condition), []).append(f"`{condition}`")
    return [(n, f"that count keeps the country and drops {' or '.join(dropped)}; the offer is the same in every "
             "country, so the country is the condition that adds nothing to it.") for n, dropped in by_count.items()]


def _static_against_active(list_date="2025-10-01"):
    from segtools.audiences import ActiveList, static_list

    rule = ["recency_days <= 90"]
    frozen = static_list(_rfm_at(list_date), rule, snapshot_date=list_date)
    now = set(ActiveList(rule).members(_rfm_at(case("retail").snapshot_date)))
    return len(frozen), int(frozen["customer_id"].isin(now).sum()), len(now - set(frozen["customer_id"]))


def _enrich_non_respondents():
    from segtools.audiences import lifestyle_enrichment

    retail = case("retail")
    profiles, codes = retail.tables["profiles"], retail.tables["lifestyle_codes"]
    everyone = lifestyle_enrichment(profiles, codes, snapshot_date=retail.snapshot_date, max_code_age=2)
    silent = profiles[~profiles["customer_id"].isin(retail.tables["survey"]["customer_id"])]
    part = lifestyle_enrichment(silent, codes, snapshot_date=retail.snapshot_date)
    return float(part.value("cost")), float(part.value("match_rate")), float(everyone.value("cost") - part.value("cost"))


def _fourth_needs_segment(random_state=0):
    import pandas as pd

    from segtools.audiences import needs_segments

    retail = case("retail")
    three = needs_segments(retail.tables["survey"], retail.customers, random_state=random_state)
    four = needs_segments(retail.tables["survey"], retail.customers, n_clusters=4, random_state=random_state)
    new = (set(four.profile.index) - set(three.profile.index)).pop()
    versus = four.labels.merge(retail.answer_key["customers"].rename(columns={"segment": "planted"}), on="customer_id")
    return str(pd.crosstab(versus["segment"], versus["planted"]).loc[new].idxmax())


EXERCISES = [
    Exercise("09.1", "contacts in the five-condition e-mail segment (the six without the country)", "number",
             _five_conditions, "drop `country == 'Spain'` and count the rows `email_segment(audience, five)` returns.",
             tol=0, close=5, traps=_other_drops),
    Exercise("09.2", "size of the list frozen on 2025-10-01, members still recent on the snapshot date, and recent "
             "customers missing from it", "parts", _static_against_active,
             "freeze with `static_list(rfm_at(\"2025-10-01\"), ...)`, evaluate `ActiveList(...).members(rfm_at(snapshot))`, "
             "and compare the two sets of customer ids.", parts=("frozen", "still recent", "new"), tol=(0, 0, 0),
             close=(5, 5, 5)),
    Exercise("09.3", "cost of enriching the non-respondents, their match rate, and the saving against enriching "
             "everyone", "parts", _enrich_non_respondents,
             "keep the profiles whose customer_id is not in the survey, run `lifestyle_enrichment` on them, and read "
             "`.value(\"cost\")` and `.value(\"match_rate\")`.", parts=("cost", "match rate", "saved"),
             tol=(0.01, 0.005, 0.01), close=(5.0, 0.03, 5.0)),
    Exercise("09.4", "the planted segment that fills the new fourth needs segment", "choice", _fourth_needs_segment,
             "cross-tabulate the four-segment labels with the planted segments and read the new segment's row.",
             options=lambda: tuple(sorted(case("retail").answer_key["customers"]["segment"].unique()))),
]

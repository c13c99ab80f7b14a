"""The exercises that :func:`segtools.workbook.check` can check, and how to compute their answers.

Each exercise whose answer is a value, a label or a set is registered in :data:`EXERCISES` with its
id (``"<notebook>.<number>"``, e.g. ``"01.2"``), the kind of answer it expects and a function that
computes the expected answer *from the data*, the same way the solution in the notebook does, with the
notebook's default parameters. Nothing here is a stored number: when the data changes, so do the answers.

Kinds of answer
---------------
``number``  one number, right within ``tol`` and close within ``close``;
``parts``   a tuple of parts (numbers or labels), given in the order of ``parts``;
``choice``  one label out of a set that ``options`` computes;
``labels``  a set of labels (order does not matter).
"""

from __future__ import annotations

from segtools.workbook.exercise_types import KINDS, Exercise  # noqa: F401  (re-exported)
from segtools.workbook.exercise_types import case as _case
from segtools.workbook.exercise_types import judged as _judged


# --------------------------------------------------------------------------------------------------- 00
def _most_transactions_per_customer():
    from segtools.data import WORLDS

    per_customer = {w: len(_case(w).transactions) / len(_case(w).customers) for w in WORLDS}
    return max(per_customer, key=per_customer.get)


def _consulting_conversion():
    leads = _case("consulting").leads
    won = leads[leads["converted"]]
    return float(leads["converted"].mean()), float((won["converted_at"] - won["created_at"]).dt.days.median())


def _hold_out_in_german():
    from segtools.data.glossary import define

    return define("hold_out_group").translations["de"]


# --------------------------------------------------------------------------------------------------- 01
def _retail_base():
    from segtools.customers import rfm

    retail = _case("retail")
    summary = rfm(retail.transactions, retail.snapshot_date)
    return retail.customers.set_index("customer_id").join(summary), summary


def _frequency_as_days():
    from segtools.customers import name_segments, rfm, rfm_scores

    retail = _case("retail")
    scored = rfm_scores(_retail_base()[1])
    scored["segment"] = name_segments(scored)
    by_days = rfm_scores(rfm(retail.transactions, retail.snapshot_date, frequency="days"))
    by_days["segment"] = name_segments(by_days)
    return (int((by_days["frequency"] != scored["frequency"]).sum()),
            int((by_days["segment"].astype(str) != scored["segment"].astype(str)).sum()))


def _own_rules():
    base = _retail_base()[0]
    lapsed = (base["loyalty_member"] == True) & (base["recency"] > 365)
    young = (base["age"] < 30) & (base["monetary"] > 300)
    return int(lapsed.sum()), int(young.sum()), int((lapsed & young).sum())


def _own_rules_traps():
    lapsed, young, both = _own_rules()
    why = ("a customer who matches both rules is counted once, under the first rule, in the report's "
           "`customers` column; the question asks how many match each rule (`matches`).")
    return [((lapsed, young - both, both), why)]


# --------------------------------------------------------------------------------------------------- 02
def _best_judged_segment():
    from segtools.leads import segment_conversion

    # consulting deals take months (notebook 05): judge its leads with 05's horizon, not the startup's 90 days
    cells = segment_conversion(_judged("consulting", _CONSULTING_HORIZON), ["industry", "specific_need"],
                               outcome_col="won", min_leads=30)
    best = cells[~cells["too_small"]].iloc[0]
    return str(best["industry"]), str(best["specific_need"])


# --------------------------------------------------------------------------------------------------- 03
def _retail_segments():
    import numpy as np
    import pandas as pd

    case = _case("retail")
    customers, leads = case.customers, case.leads
    customer_segment = pd.Series(np.select(
        [(customers["age"] < 35) & (customers["style_preference"] == "trendy"),
         (customers["age"] >= 45) & (customers["style_preference"] == "classic")],
        ["young & trendy", "older & classic"], default="everyone else"), index=customers["customer_id"])
    lead_segment = pd.Series(np.select(
        [leads["sustainable_page_views"] >= 3, (leads["page_views"] >= 10) | (leads["email_clicks"] >= 2)],
        ["sustainable-fashion fans", "engaged browsers"], default="cold"), index=leads.index)
    return customer_segment, lead_segment


def _narrower_young_and_trendy():
    from segtools import compare

    case = _case("retail")
    segment = _retail_segments()[0]
    age = case.customers.set_index("customer_id")["age"]
    narrower = segment.where(~((segment == "young & trendy") & (age >= 30)), "everyone else")
    before, after = (compare.customer_outcomes(case.transactions, s, case.snapshot_date).loc["young & trendy"]
                     for s in (segment, narrower))
    direction = "up" if after["revenue_per_customer"] > before["revenue_per_customer"] else "down"
    return int(before["customers"] - after["customers"]), direction


def _older_and_classic_shares():
    from segtools import compare

    case = _case("retail")
    customer_segment, lead_segment = _retail_segments()
    shares = compare.funnel_matrix(compare.funnel(case.leads, lead_segment, customer_segment),
                                   value="share_of_converted")
    return tuple(float(shares.loc[s, "older & classic"]) for s in ("sustainable-fashion fans", "engaged browsers"))


def _sieve(capacity=400):
    from segtools.leads import default_points, rule_scores

    leads = _case("retail").leads
    scored = leads.assign(score=rule_scores(leads, default_points("retail"))["score"].to_numpy())
    caught = scored.sort_values("score", ascending=False, kind="stable")["converted"].cumsum()
    total = int(scored["converted"].sum())
    return int(caught.iloc[capacity - 1]), int((caught >= total / 2).to_numpy().argmax()) + 1


# --------------------------------------------------------------------------------------------------- 04
# notebook 04's exercises (04.1-04.5) are registered in answers/nb04.py


# --------------------------------------------------------------------------------------------------- 05
def _strategic_at(threshold=1000):
    import pandas as pd

    from segtools import compare
    from segtools.customers import RuleSegmenter

    case = _case("consulting")
    rules = {"strategic accounts": f"employees >= {threshold}",
             "compliance clients": "business_goal == 'regulatory_compliance'", "project clients": "employees >= 0"}
    labels = pd.Series(RuleSegmenter(rules, default="size unknown").fit(case.customers).predict(case.customers),
                       index=case.customers["customer_id"])
    row = compare.customer_outcomes(case.transactions, labels, case.snapshot_date).loc["strategic accounts"]
    return int(row["customers"]), float(row["revenue_per_customer"])


_CONSULTING_HORIZON = 270  # notebook 05's horizon_days: consulting leads take months to sign
_REGION_OF = {"Germany": "DACH", "Austria": "DACH", "Switzerland": "DACH", "Netherlands": "Benelux",
              "Belgium": "Benelux", "Spain": "South", "Italy": "South"}


def _consulting_judged_regions():
    judged = _judged("consulting", _CONSULTING_HORIZON)
    return judged.assign(region=judged["country"].map(_REGION_OF).fillna("other"))


def _best_compliance_region():
    from segtools.leads import segment_conversion

    cells = segment_conversion(_consulting_judged_regions(), ["specific_need", "region"], outcome_col="won")
    compliance = cells[cells["specific_need"] == "regulatory_compliance"]
    return str(compliance.sort_values("rate", ascending=False, kind="stable").iloc[0]["region"])


def _top_slices():
    from segtools.leads import rule_scores, top_k_capture

    case = _case("consulting")
    judged = _judged("consulting", _CONSULTING_HORIZON)
    score = rule_scores(case.leads, "consulting")["score"]
    score.index = case.leads.index
    table = top_k_capture(judged["won"], score.loc[judged.index], k=[0.05, 0.1])
    return (float(table["conversions"].iloc[0]), float(table["conversions"].iloc[1]),
            float(table["lift"].iloc[0]), float(table["lift"].iloc[1]))


# --------------------------------------------------------------------------------------------------- 06
def _agency_clients():
    case = _case("agency")
    performance = case.tables["campaigns"].groupby("customer_id")[["spend", "revenue"]].sum()
    performance["roas"] = performance["revenue"] / performance["spend"]
    return case.customers.join(performance, on="customer_id")


def _performance_marketers_at(good_roas=3.0):
    import pandas as pd

    from segtools import compare
    from segtools.customers import RuleSegmenter

    case, clients = _case("agency"), _agency_clients()
    rules = {"performance marketers": f"roas >= {good_roas}",
             "local advertisers": "target_audience == 'local_residents'",
             "brand builders": "preferred_channel in ['social', 'video']"}
    labels = pd.Series(RuleSegmenter(rules, default="mixed portfolio").fit(clients).predict(clients),
                       index=case.customers["customer_id"])
    row = compare.customer_outcomes(case.transactions, labels, case.snapshot_date).loc["performance marketers"]
    return int(row["customers"]), float(row["revenue_per_customer"])


def _segments_losing_most(sales_capacity=250):
    import numpy as np

    from segtools.leads import rule_scores

    leads = _case("agency").leads
    minimum = {"social_ads": 1000, "search_ads": 1500, "brand_campaign": 4000, "full_service": 6000}
    below = leads["monthly_budget"] < leads["service_interest"].map(minimum)
    segment = np.select([leads["monthly_budget"].isna(), below, leads["marketing_goal"] == "brand_awareness"],
                        ["budget not given", "small budget", "brand-curious"], default="ready to invest")
    scored = leads.assign(segment=segment, score=rule_scores(leads, "agency")["score"].to_numpy())
    open_leads = scored[scored["status"] == "open"]
    full = open_leads.nlargest(sales_capacity, "score")["segment"].value_counts()
    half = open_leads.nlargest(sales_capacity // 2, "score")["segment"].value_counts()
    half = half.reindex(full.index, fill_value=0)
    return sorted(full.index[half < full / 2])


def _young_consumer_channels():
    case = _case("agency")
    customers = case.customers
    young = case.tables["campaigns"].merge(customers[["customer_id", "target_audience"]], on="customer_id")
    young = young[young["target_audience"] == "young_consumers"]
    totals = young.groupby("channel")[["revenue", "spend"]].sum()
    best = (totals["revenue"] / totals["spend"]).idxmax()
    preferred = customers.loc[customers["target_audience"] == "young_consumers", "preferred_channel"].value_counts()
    return str(best), str(preferred.index[0])


# --------------------------------------------------------------------------------------------------- 07
def _startup_segments(usage=None):
    from segtools.over_time import monthly_segments

    usage = _case("startup").tables["usage"] if usage is None else usage
    return monthly_segments(usage, bins=(0, 1, 50, 200), labels=("dormant", "light", "regular", "power"))


def _psi_after_update():
    from segtools.over_time import population_stability, segment_shares

    usage = _case("startup").tables["usage"]
    boosted = usage.assign(sessions=usage["sessions"].where(usage["month"] < "2025-01-01", usage["sessions"] * 2))
    shares = segment_shares(_startup_segments(boosted))
    return float(population_stability(shares, "2024-12-01").loc["2025-06-01"])


def _power_a_year_later():
    from segtools.over_time import transition_matrix

    moves = transition_matrix(_startup_segments(), "2024-12-01", "2025-12-01", normalize=True)
    return float(moves.loc["power", "power"]), float(moves.loc["power", "churned"])


# --------------------------------------------------------------------------------------------------- the table
EXERCISES = {e.id: e for e in [
    Exercise("00.1", "the world with the most transactions per customer", "choice",
             _most_transactions_per_customer, "divide each world's transactions by its customers.",
             options=lambda: __import__("segtools.data", fromlist=["WORLDS"]).WORLDS),
    Exercise("00.2", "consulting: share of leads that converted, median days to convert", "parts",
             _consulting_conversion, "take the mean of `converted`, and the median of `converted_at - created_at` "
             "in days over the converted leads only.", parts=("conversion rate", "median days"),
             tol=(0.001, 0.5), close=(0.02, 3)),
    Exercise("00.3", "'hold-out group' in German", "choice", _hold_out_in_german,
             "`define(\"hold_out_group\")` shows the term in every language."),
    Exercise("01.1", "customers whose frequency changes, and whose named segment changes", "parts",
             _frequency_as_days, "compare `rfm(..., frequency=\"days\")` scored and named with `scored`, "
             "customer by customer.", parts=("frequency changed", "segment changed"), tol=(0, 0)),
    Exercise("01.2", "customers matching 'lapsed members', 'young big spenders', and both", "parts",
             _own_rules, "fit the `RuleSegmenter` on `base` and read its report's `matches`; count the "
             "customers matching both rules with the two conditions combined.",
             parts=("lapsed members", "young big spenders", "both"), tol=(0, 0, 0), traps=_own_rules_traps),
    Exercise("02.3", "the best consulting lead segment with enough leads to judge (industry, need)", "parts",
             _best_judged_segment, "sort by rate and skip the rows flagged `too_small`.",
             parts=("industry", "specific_need")),
    Exercise("03.1", "customers the young & trendy segment loses at 30, and revenue per customer up or down",
             "parts", _narrower_young_and_trendy, "compare `compare.customer_outcomes` before and after the change.",
             parts=("customers lost", "revenue per customer"), tol=(0, None)),
    Exercise("03.2", "share of converted sustainable-fashion fans and engaged browsers now older & classic",
             "parts", _older_and_classic_shares, "read the 'older & classic' column of the share_of_converted "
             "matrix, as shares (0-1).", parts=("sustainable-fashion fans", "engaged browsers"),
             tol=(0.005, 0.005), close=(0.03, 0.03)),
    Exercise("03.3", "buyers kept by the sieve at 400, and leads needed to keep half of the buyers", "parts",
             _sieve, "sort by score (stable), take the cumulative sum of `converted`.",
             parts=("buyers kept", "leads needed"), tol=(0, 0)),
    Exercise("05.1", "strategic accounts at 1,000 employees, and their revenue per client", "parts",
             lambda: _strategic_at(1000), "rebuild the rules with 1000 and read `compare.customer_outcomes`.",
             parts=("strategic accounts", "revenue per client"), tol=(0, 1.0), close=(None, 0.05)),
    Exercise("05.2", "the region where judged compliance leads convert best", "choice",
             _best_compliance_region, "keep the judged regulatory_compliance leads and compare their rates by "
             "region (`rate_test(..., \"region\")`).",
             options=lambda: sorted(_consulting_judged_regions()["region"].unique())),
    Exercise("05.3", "conversions found by the best 5% and 10%, and the lift of each", "parts", _top_slices,
             "`top_k_capture(judged_s[\"won\"], judged_s[\"score\"], k=[0.05, 0.1])`.",
             parts=("conversions top 5%", "conversions top 10%", "lift top 5%", "lift top 10%"),
             tol=(0, 0, 0.01, 0.01), close=(None, None, 0.3, 0.3)),
    Exercise("06.1", "performance marketers at a ROAS line of 3.0, and their revenue per client", "parts",
             _performance_marketers_at, "rebuild the rules with `roas >= 3.0` and read `compare.customer_outcomes`.",
             parts=("performance marketers", "revenue per client"), tol=(0, 1.0), close=(None, 0.05)),
    Exercise("06.3", "the lead segments that lose more than half of their pitches at half capacity", "labels",
             _segments_losing_most, "compare `value_counts()` of the segment in both pitch lists, segment by segment."),
    Exercise("06.4", "best channel per euro for young-consumer clients, and the channel most of them prefer",
             "parts", _young_consumer_channels, "ROAS is revenue / spend summed per channel; the preference is "
             "in the customers table.", parts=("best channel", "most preferred channel")),
    Exercise("07.2", "PSI of 2025-06 against 2024-12 after doubling sessions from 2025 on", "number",
             _psi_after_update, "double the sessions from 2025-01 on, re-segment with the same bins, then "
             "`population_stability`.", tol=0.005, close=0.05),
    Exercise("07.3", "share of 2024-12 power users still power in 2025-12, and share churned", "parts",
             _power_a_year_later, "`transition_matrix(segments, \"2024-12-01\", \"2025-12-01\", normalize=True)`, "
             "row 'power'.", parts=("still power", "churned"), tol=(0.005, 0.005), close=(0.03, 0.03)),
]}



def _more_exercises() -> dict:
    """The exercises registered in ``segtools/workbook/answers/*.py`` (one module per notebook), by id."""
    import pkgutil
    from importlib import import_module

    from segtools.workbook import answers

    found = {}
    for info in pkgutil.iter_modules(answers.__path__):
        for exercise in import_module(f"segtools.workbook.answers.{info.name}").EXERCISES:
            if exercise.id in EXERCISES or exercise.id in found:
                raise ValueError(f"exercise {exercise.id!r} is registered twice")
            found[exercise.id] = exercise
    return found


EXERCISES.update(_more_exercises())

"""Checkable exercises of notebook 02 (lead segmentation) added with issue 14 (02.3 is in ``exercises.py``)."""

from __future__ import annotations

from segtools.workbook.exercise_types import Exercise, case, judged

_HORIZON = 90  # notebook 02's horizon_days
_CUTOFF = "2025-04-01"  # notebook 02's cutoff: the model is trained on the leads judged by then
_CAPACITIES = (0, 2, 5, 10, 15, 20, 25, 30, 40, 50)  # the weekly capacities of notebook 02's capacity table
_HOT, _WARM = ("A1", "B1"), ("A2", "B2", "C1", "D1")  # notebook 02's tiers, read off the grade grid


# ---------------------------------------------------------------------------------------------- 02.1
def _held_out():
    """The startup's leads split in time as notebook 02 splits them (train before the cut-off, test after)."""
    from segtools.leads import time_split

    startup = case("startup")
    return time_split(startup.leads, _CUTOFF, startup.snapshot_date, horizon_days=_HORIZON)


def _edited_points():
    """The startup's default points table with 5 fit points for referrals and no cap on the pricing group."""
    import numpy as np
    import pandas as pd

    from segtools.leads import default_points

    points = default_points("startup")
    referral = pd.DataFrame([{"score": "fit", "group": "source", "column": "source", "op": "==",
                              "value": "referral", "points": 5}])
    edited = pd.concat([points, referral], ignore_index=True)
    edited.loc[edited["group"] == "pricing", "cap"] = np.nan
    return points, edited


def _points_auc(**decay):
    """ROC AUC of the default and the edited points table on the held-out leads (``decay``: RuleScorer options)."""
    from segtools.leads import RuleScorer, evaluate_scores

    split = _held_out()
    return tuple(float(evaluate_scores(split.y_test, RuleScorer(table, **decay).fit(split.test).transform(split.test)
                                       ["score"])["roc_auc"]) for table in _edited_points())


def _points_auc_traps():
    startup = case("startup")
    decayed = _points_auc(half_life=30, snapshot_date=startup.snapshot_date)
    return [(decayed, "these are the ROC AUCs of scores that fade with age (`half_life`); score the held-out "
                      "leads without decay, as section 5 does, so old leads are not punished for being old.")]


# ---------------------------------------------------------------------------------------------- 02.2
def _capacity_plan():
    """Notebook 02's capacity table: a calibrated logistic scorer trained before the cut-off, tested after it."""
    from threadpoolctl import threadpool_limits

    from segtools.leads import LeadScorer, capacity_table, lead_features

    split = _held_out()
    with threadpool_limits(1):  # as in the notebook, so the fitted model is the same to the last digit
        model = LeadScorer(model="logistic").fit(lead_features(split.train), split.y_train)
        probability = model.conversion_probability(lead_features(split.test))
    value = float(split.train[split.y_train.to_numpy()]["deal_value"].mean())
    return capacity_table(split.test, probability, split.y_test, list(_CAPACITIES), value=value, revenue="deal_value")


def _score_against_fcfs(column="conversions"):
    """Extra conversions by score at 10 a week, and the first capacity where fcfs reaches 90 % of score."""
    wide = _capacity_plan().pivot(index="capacity", columns="strategy", values=column)
    ratio = (wide["fcfs"] / wide["score"]).dropna()
    return int(round(wide.loc[10, "score"] - wide.loc[10, "fcfs"])), int(ratio[ratio >= 0.9].index.min())


def _score_against_fcfs_traps():
    why = ("these come from `expected_conversions`, what the model predicted; the question asks for the "
           "conversions the leads actually made (`conversions`).")
    return [(_score_against_fcfs("expected_conversions"), why)]


# ---------------------------------------------------------------------------------------------- 02.5
def _graded():
    """The judged startup leads scored by the default points (no decay) and graded, as in section 4."""
    from segtools.leads import RuleScorer, default_points, grade_leads

    leads = judged("startup", _HORIZON)
    past = RuleScorer(default_points("startup")).fit(leads).transform(leads).assign(won=leads["won"].to_numpy())
    return grade_leads(past)


def _c2_in_warm():
    """Warm rate with C2 warm, warm beyond cold (yes/no), warm rate up or down, and whether C2 belongs in warm."""
    from segtools.leads import tier_leads
    from segtools.workbook.case_study import rate_test

    graded = _graded()
    chosen = tier_leads(graded, hot=_HOT, warm=_WARM)
    wider = tier_leads(graded, hot=_HOT, warm=(*_WARM, "C2"))
    rates = chosen.groupby("tier", observed=True)["won"].mean()
    warm_cold = wider[wider["tier"].isin(["warm", "cold"])].assign(warm=lambda d: d["tier"].eq("warm"))
    test = rate_test(warm_cold, "warm")
    warm_rate = float(test.table.loc[True, "rate"])
    c2 = graded.loc[graded["grade"] == "C2", "won"].mean()
    belongs = abs(c2 - rates["warm"]) < abs(c2 - rates["cold"])
    return (warm_rate, "yes" if test.p_value < 0.05 else "no", "up" if warm_rate > rates["warm"] else "down",
            "yes" if belongs else "no")


# ---------------------------------------------------------------------------------------------- 02.4
def _student_penalty():
    """Judged startup leads: the students' conversion rate, and the p-value of students against the rest."""
    from segtools.workbook.case_study import rate_test

    leads = judged("startup", _HORIZON)
    test = rate_test(leads.assign(student=leads["role"].eq("student")), "student")
    return float(test.table.loc[True, "rate"]), float(test.p_value)


EXERCISES = [
    Exercise("02.1", "ROC AUC on the held-out leads of the default points table, and of the edited one",
             "parts", _points_auc, "score `split.test` with `RuleScorer(table)` (no decay) for both tables and "
             "compare `evaluate_scores(split.y_test, score)[\"roc_auc\"]`; the edit adds a `source == referral` "
             "row worth 5 fit points and sets the `pricing` group's cap to NaN.",
             parts=("default table", "edited table"), tol=(0.001, 0.001), close=(0.01, 0.01), traps=_points_auc_traps),
    Exercise("02.2", "extra conversions by score at 10 leads a week, and the first capacity where first come, "
             "first served reaches 90% of calling by score", "parts", _score_against_fcfs,
             "pivot `plan` (capacity by strategy, values `conversions`), subtract fcfs from score at 10, and "
             "find the smallest capacity where fcfs / score >= 0.9.",
             parts=("extra conversions", "capacity"), tol=(0, 0), close=(3, 10), traps=_score_against_fcfs_traps),
    Exercise("02.4", "students' conversion rate among the judged leads, and the p-value against the other roles",
             "parts", _student_penalty, "`rate_test(judged.assign(student=judged[\"role\"].eq(\"student\")), "
             "\"student\")`: read the rate of the True row and `p_value`.",
             parts=("student rate", "p-value"), tol=(0.001, 0.005), close=(0.01, 0.05)),
    Exercise("02.5", "with C2 warm: the warm rate, warm beyond cold at 5%, the warm rate up or down, C2 belongs in warm",
             "parts", _c2_in_warm, "tier with `warm=warm_grades + (\"C2\",)`; test warm against cold only (drop the "
             "hot leads) with `rate_test`; a grade belongs with the tier whose rate (tiers as chosen) is nearest.",
             parts=("warm rate", "warm beyond cold", "warm rate up or down", "C2 belongs in warm"),
             tol=(0.001, None, None, None), close=(0.01, None, None, None)),
]

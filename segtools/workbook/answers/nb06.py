"""Self-checks of notebook 06 (the agency case) added with issue 14."""

from segtools.workbook.exercise_types import Exercise, case, judged

#: notebook 06's minimum monthly media budget per service (EUR)
_SERVICE_MINIMUM = {"social_ads": 1000, "search_ads": 1500, "brand_campaign": 4000, "full_service": 6000}


def _budget_fit(leads):
    """Notebook 06's ``budget_fit``: budget not given, fits the minimum of the service, or below it."""
    import numpy as np
    import pandas as pd

    fits = leads["monthly_budget"] >= leads["service_interest"].map(_SERVICE_MINIMUM)
    return pd.Series(np.where(leads["monthly_budget"].isna(), "budget not given",
                              np.where(fits, "fits the minimum", "below the minimum")), index=leads.index)


def _brand_awareness_with_fitting_budget():
    leads = judged("agency")
    fits = leads["monthly_budget"] >= leads["service_interest"].map(_SERVICE_MINIMUM)
    fitting = leads[fits]
    brand = fitting["marketing_goal"] == "brand_awareness"
    return float(fitting.loc[brand, "won"].mean()), float(fitting.loc[~brand, "won"].mean())


def _blank_budget_between(leads=None, outcome_col="won"):
    """Share signed among judged leads without a budget, and whether it differs (5 %) from each other group."""
    from segtools.workbook.case_study import rate_test

    leads = judged("agency") if leads is None else leads
    fit = leads.assign(budget_fit=_budget_fit(leads))
    blank = fit[fit["budget_fit"] == "budget not given"]
    differs = ["yes" if rate_test(fit[fit["budget_fit"].isin(["budget not given", other])], "budget_fit",
                                  outcome_col=outcome_col).p_value < 0.05 else "no"
               for other in ("fits the minimum", "below the minimum")]
    return (float(blank[outcome_col].mean()), *differs)


def _blank_budget_traps():
    every_lead = case("agency").leads
    return [(_blank_budget_between(every_lead, "converted"),
             "that counts every lead, also those too young to have decided; use the judged leads (`judged_b`) "
             "and their outcome `won`.")]


EXERCISES = [
    Exercise("06.2", "judged leads without a budget: share signed; differ beyond chance from fitting budgets, "
             "from budgets below the minimum", "parts", _blank_budget_between,
             "the share is the `budget not given` row of `rate_test`; a pair differs beyond chance when its "
             "p-value is below 0.05.", parts=("share signed", "against fits the minimum", "against below the minimum"),
             tol=(0.005, None, None), close=(0.03, None, None), traps=_blank_budget_traps),
    Exercise("06.5", "judged leads whose budget fits: conversion with a brand-awareness goal, and with other goals",
             "parts", _brand_awareness_with_fitting_budget, "keep `judged_b` rows with `budget_fit == \"fits the "
             "minimum\"`, mark `marketing_goal == \"brand_awareness\"` and read the rates of `rate_test`.",
             parts=("brand awareness", "other goals"), tol=(0.005, 0.005), close=(0.03, 0.03)),
]

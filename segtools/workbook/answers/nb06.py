"""Self-checks of notebook 06 (the agency case) added with issue 14."""

from segtools.workbook.exercise_types import Exercise, judged

#: notebook 06's minimum monthly media budget per service (EUR)
_SERVICE_MINIMUM = {"social_ads": 1000, "search_ads": 1500, "brand_campaign": 4000, "full_service": 6000}


def _brand_awareness_with_fitting_budget():
    leads = judged("agency")
    fits = leads["monthly_budget"] >= leads["service_interest"].map(_SERVICE_MINIMUM)
    fitting = leads[fits]
    brand = fitting["marketing_goal"] == "brand_awareness"
    return float(fitting.loc[brand, "won"].mean()), float(fitting.loc[~brand, "won"].mean())


EXERCISES = [
    Exercise("06.5", "judged leads whose budget fits: conversion with a brand-awareness goal, and with other goals",
             "parts", _brand_awareness_with_fitting_budget, "keep `judged_b` rows with `budget_fit == \"fits the "
             "minimum\"`, mark `marketing_goal == \"brand_awareness\"` and read the rates of `rate_test`.",
             parts=("brand awareness", "other goals"), tol=(0.005, 0.005), close=(0.03, 0.03)),
]

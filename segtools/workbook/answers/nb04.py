"""Self-checks of notebook 04 (the startup case) added with issue 14."""

from segtools.workbook.exercise_types import Exercise, judged


def _budget_among_trials(large_budget=500):
    trials = judged("startup")
    trials = trials[trials["trial_started"]]
    large = trials["monthly_budget"] >= large_budget
    return float(trials.loc[large, "won"].mean()), float(trials.loc[~large, "won"].mean())


EXERCISES = [
    Exercise("04.5", "judged trial leads: conversion with a budget of 500 EUR or more, and of the others", "parts",
             _budget_among_trials, "keep the judged leads with `trial_started`, split them on `monthly_budget >= 500` "
             "(a missing budget counts as not 500 or more) and read the rates of `rate_test`.",
             parts=("500 or more", "others"), tol=(0.005, 0.005), close=(0.03, 0.03)),
]

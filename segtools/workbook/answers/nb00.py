"""Self-checks of notebook 00 added with issue 14 (00.1-00.3 are registered in ``segtools.workbook.exercises``)."""

from __future__ import annotations

from segtools.workbook.exercise_types import Exercise, case


def _fair_comparison():
    """Consulting and startup conversion on leads at least 365 days old, and whether a z-test says they differ."""
    import pandas as pd

    from segtools.workbook.case_study import rate_test

    fair = []
    for name in ("consulting", "startup"):
        world_case = case(name)
        leads = world_case.leads
        fair.append(leads[leads["created_at"] <= world_case.snapshot_date - pd.Timedelta(days=365)].assign(world=name))
    result = rate_test(pd.concat(fair), "world", outcome_col="converted")
    rates = result.table["rate"]
    return float(rates["consulting"]), float(rates["startup"]), "yes" if result.p_value < 0.05 else "no"


EXERCISES = [
    Exercise("00.4", "consulting vs startup conversion on leads a year old: the two rates, and beyond chance?",
             "parts", _fair_comparison, "keep leads created at least 365 days before each snapshot date, then "
             "`rate_test(..., \"world\", outcome_col=\"converted\")` and compare its p-value with 0.05.",
             parts=("consulting rate", "startup rate", "beyond chance"), tol=(0.001, 0.001, None),
             close=(0.02, 0.02, None)),
]

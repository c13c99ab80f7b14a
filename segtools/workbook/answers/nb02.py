"""Checkable exercises of notebook 02 (lead segmentation) added with issue 14."""

from __future__ import annotations

from segtools.workbook.exercise_types import Exercise, judged

_HORIZON = 90  # notebook 02's horizon_days


def _student_penalty():
    """Judged startup leads: the students' conversion rate, and the p-value of students against the rest."""
    from segtools.workbook.case_study import rate_test

    leads = judged("startup", _HORIZON)
    test = rate_test(leads.assign(student=leads["role"].eq("student")), "student")
    return float(test.table.loc[True, "rate"]), float(test.p_value)


EXERCISES = [
    Exercise("02.4", "students' conversion rate among the judged leads, and the p-value against the other roles",
             "parts", _student_penalty, "`rate_test(judged.assign(student=judged[\"role\"].eq(\"student\")), "
             "\"student\")`: read the rate of the True row and `p_value`.",
             parts=("student rate", "p-value"), tol=(0.001, 0.005), close=(0.01, 0.05)),
]

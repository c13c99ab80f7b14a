"""Checkable exercises of notebook 03 (customer versus lead segmentation) added with issue 14."""

from __future__ import annotations

from segtools.workbook.exercise_types import Exercise, judged

_HORIZON = 90           # notebook 03's horizon_days
_SUSTAINABLE_VIEWS = 3  # notebook 03's sustainable_views


def _cold_newsletter():
    """Judged retail leads in the cold segment: subscribers' conversion rate, and the p-value against the rest."""
    from segtools.workbook.case_study import rate_test

    leads = judged("retail", _HORIZON)
    cold = leads[(leads["sustainable_page_views"] < _SUSTAINABLE_VIEWS)
                 & ~((leads["page_views"] >= 10) | (leads["email_clicks"] >= 2))]
    test = rate_test(cold, "newsletter_signup")
    return float(test.table.loc[True, "rate"]), float(test.p_value)


EXERCISES = [
    Exercise("03.4", "conversion rate of newsletter subscribers among the judged cold leads, and the p-value "
             "against the other cold leads", "parts", _cold_newsletter,
             "`rate_test(judged[judged[\"segment\"] == \"cold\"], \"newsletter_signup\")`: read the rate of the "
             "True row and `p_value`.", parts=("subscriber rate", "p-value"), tol=(0.001, 0.005), close=(0.01, 0.05)),
]

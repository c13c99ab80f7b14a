"""Checkable exercises of notebook 03 (customer versus lead segmentation) added with issue 14."""

from __future__ import annotations

from segtools.workbook.exercise_types import Exercise, case, judged

_HORIZON = 90           # notebook 03's horizon_days
_SUSTAINABLE_VIEWS = 3  # notebook 03's sustainable_views
_YOUNG_AGE, _OLDER_AGE = 35, 45  # notebook 03's young_age and older_age


def _cold_newsletter():
    """Judged retail leads in the cold segment: subscribers' conversion rate, and the p-value against the rest."""
    from segtools.workbook.case_study import rate_test

    leads = judged("retail", _HORIZON)
    cold = leads[(leads["sustainable_page_views"] < _SUSTAINABLE_VIEWS)
                 & ~((leads["page_views"] >= 10) | (leads["email_clicks"] >= 2))]
    test = rate_test(cold, "newsletter_signup")
    return float(test.table.loc[True, "rate"]), float(test.p_value)


def _same_flavour_either_way():
    """The customer segments whose most bought category is also the one with the largest lift."""
    import numpy as np
    import pandas as pd

    retail = case("retail")
    customers = retail.customers
    segment = pd.Series(np.select(
        [(customers["age"] < _YOUNG_AGE) & (customers["style_preference"] == "trendy"),
         (customers["age"] >= _OLDER_AGE) & (customers["style_preference"] == "classic")],
        ["young & trendy", "older & classic"], default="everyone else"), index=customers["customer_id"])
    bought = retail.transactions.assign(segment=retail.transactions["customer_id"].map(segment))
    mix = pd.crosstab(bought["segment"], bought["category"], normalize="index")
    lift = mix / bought["category"].value_counts(normalize=True)
    return sorted(mix.index[mix.idxmax(axis=1) == lift.idxmax(axis=1)])


EXERCISES = [
    Exercise("03.4", "conversion rate of newsletter subscribers among the judged cold leads, and the p-value "
             "against the other cold leads", "parts", _cold_newsletter,
             "`rate_test(judged[judged[\"segment\"] == \"cold\"], \"newsletter_signup\")`: read the rate of the "
             "True row and `p_value`.", parts=("subscriber rate", "p-value"), tol=(0.001, 0.005), close=(0.01, 0.05)),
    Exercise("03.5", "the cake layers whose most bought category is also their category of largest lift", "labels",
             _same_flavour_either_way, "compare `mix.idxmax(axis=1)` with `lift.idxmax(axis=1)`, layer by layer; "
             "give the names of the layers where the two agree, as a set."),
]

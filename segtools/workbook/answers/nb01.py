"""Self-checks of notebook 01 added with issue 14 (01.1 and 01.2 are registered in ``segtools.workbook.exercises``)."""

from __future__ import annotations

from segtools.workbook.exercise_types import Exercise, case


def _startup_tech():
    """The startup's ``profiles`` joined with RFM, and ``still_paying`` (a payment in the last 45 days)."""
    from segtools.customers import rfm

    startup = case("startup")
    tech = startup.tables["profiles"].set_index("customer_id").join(rfm(startup.transactions, startup.snapshot_date))
    return tech.assign(still_paying=tech["recency"] <= 45)


def _browser_and_retention():
    """The browser with the lowest still-paying share, and whether chi-square says browsers differ (all, mobile)."""
    import pandas as pd
    from scipy import stats

    tech = _startup_tech()

    def significant(customers):
        counts = pd.crosstab(customers["browser"], customers["still_paying"])
        return "yes" if stats.chi2_contingency(counts).pvalue < 0.05 else "no"

    share = tech.groupby("browser")["still_paying"].mean()
    return str(share.idxmin()), significant(tech), significant(tech[tech["device"] == "mobile"])


EXERCISES = [
    Exercise("01.4", "startup: browser with the lowest still-paying share; differ beyond chance overall, among mobile users",
             "parts", _browser_and_retention, "a customer still pays when its last payment is at most 45 days old; "
             "test `pd.crosstab(browser, still_paying)` with `scipy.stats.chi2_contingency` on all customers, then on "
             "`device == \"mobile\"` only.", parts=("browser", "overall", "among mobile users")),
]

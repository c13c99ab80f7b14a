"""Notebook 07 (a strategy in four steps): the capstone on the agency's clients."""

from __future__ import annotations

from segtools.workbook.exercise_types import Exercise, case

_MIN_CLIENTS = 30  # notebook 07's min_customers


def _capstone_target(decision="2025-07-01"):
    """The ROAS segment that left most often (with enough clients), its share left, and the chi-square p-value."""
    import numpy as np
    import pandas as pd

    from segtools.workbook.case_study import rate_test

    agency = case("agency")
    day = pd.Timestamp(decision)
    paid = agency.transactions
    before = set(paid.loc[(paid["date"] >= day - pd.DateOffset(months=3)) & (paid["date"] < day), "customer_id"])
    late = set(paid.loc[(paid["date"] >= day + pd.DateOffset(months=3))
                        & (paid["date"] < day + pd.DateOffset(months=6)), "customer_id"])
    campaigns = agency.tables["campaigns"]
    performance = campaigns[campaigns["start_date"] < day].groupby("customer_id")[["spend", "revenue"]].sum()
    clients = performance[performance.index.isin(before)].copy()
    clients["roas_segment"] = pd.cut(clients["revenue"] / clients["spend"], [0, 2, 4, np.inf], right=False,
                                     labels=["ROAS under 2", "ROAS 2 to 4", "ROAS 4 and over"])
    clients["left"] = ~clients.index.isin(late)
    test = rate_test(clients, "roas_segment", outcome_col="left")
    table = test.table[test.table["leads"] >= _MIN_CLIENTS]
    target = table["rate"].idxmax()
    return int(table.loc[target, "leads"]), float(table.loc[target, "rate"]), float(test.p_value)


EXERCISES = [
    Exercise("07.5", "capstone: clients in the target ROAS segment, the share of them who left, and the p-value "
             "of the test across the segments", "parts", _capstone_target,
             "keep the clients who paid from April to June 2025, segment them by the ROAS of the campaigns started "
             "before 1 July, call 'left' those with no payment from October to December, and run "
             "`rate_test(clients, \"roas_segment\", outcome_col=\"left\")`.",
             parts=("clients in target", "share left", "p-value"), tol=(0, 0.005, 0.005), close=(5, 0.03, 0.05)),
]

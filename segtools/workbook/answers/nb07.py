"""Notebook 07 (a strategy in four steps): the hold-out widths, the feature rule and the capstone."""

from __future__ import annotations

from segtools.workbook.exercise_types import Exercise, case

# notebook 07's parameters
_MIN_CLIENTS = 30  # min_customers
_LABELS = ("dormant", "light", "regular", "power")
_SESSION_BINS = (0, 1, 50, 200)
_FEATURE_BINS = (0, 1, 6, 11)  # exercise 4
_CAMPAIGN_MONTH = "2025-06-01"
_TARGET = ("dormant", "light")
_HORIZON_MONTHS = 3
_RANDOM_STATE = 2026
_SAVE_RATE = 0.4


def _campaign_months():
    """The startup's usage, the campaign month and the customers still active ``_HORIZON_MONTHS`` later."""
    import pandas as pd

    usage = case("startup").tables["usage"]
    start = pd.Timestamp(_CAMPAIGN_MONTH)
    end = start + pd.DateOffset(months=_HORIZON_MONTHS)
    return usage, start, set(usage.loc[usage["month"] == end, "customer_id"])


def _interval_widths():
    """Width (percentage points) of the hold-out test's interval with a hold-out of 10%, 30% and 50%."""
    import numpy as np

    from segtools.over_time import assign_holdout, holdout_test, monthly_segments

    usage, start, active_end = _campaign_months()
    segments = monthly_segments(usage, bins=_SESSION_BINS, labels=_LABELS)
    target = segments[(segments["month"] == start) & segments["segment"].isin(_TARGET)]
    target = target.drop(columns="month").reset_index(drop=True)
    widths = []
    for fraction in (0.1, 0.3, 0.5):
        part = assign_holdout(target, fraction=fraction, random_state=_RANDOM_STATE)
        draw = np.random.default_rng(_RANDOM_STATE).random(len(part))
        kept = part["customer_id"].isin(active_end).to_numpy()
        outcome = kept | ((part["group"].to_numpy() == "campaign") & ~kept & (draw < _SAVE_RATE))
        row = holdout_test(part.assign(active_after=outcome), outcome_col="active_after").iloc[0]
        widths.append(float(100 * (row["ci_high"] - row["ci_low"])))
    return tuple(widths)


def _width_traps():
    widths = _interval_widths()
    return [(tuple(w / 100 for w in widths), "the widths look like shares; give them in percentage points."),
            (tuple(w / 2 for w in widths), "that is the margin on either side; the width is ci_high - ci_low.")]


def _feature_rule(min_customers=_MIN_CLIENTS):
    """Feature rule: churn share of its light and power segments, and the test across the segments big enough."""
    from segtools.over_time import monthly_segments
    from segtools.workbook.case_study import rate_test

    usage, start, active_end = _campaign_months()
    by_features = monthly_segments(usage, bins=_FEATURE_BINS, labels=_LABELS, value_col="features_used")
    at_start = by_features[(by_features["month"] == start) & (by_features["segment"] != "churned")]
    at_start = at_start.assign(churned=~at_start["customer_id"].isin(active_end),
                               segment=at_start["segment"].astype(str))
    sizes = at_start["segment"].value_counts()
    judged = at_start[at_start["segment"].isin(sizes.index[sizes >= min_customers])]
    test = rate_test(judged, "segment", outcome_col="churned")
    return float(test.table.loc["light", "rate"]), float(test.table.loc["power", "rate"]), float(test.p_value)


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
    Exercise("07.1", "width of the hold-out test's interval, in percentage points, with a hold-out of 10%, 30% "
             "and 50% of the target", "parts", _interval_widths,
             "for each fraction, split the target with `assign_holdout(target, fraction=..., random_state="
             "random_state)`, simulate the campaign as in step 4 (a fresh `default_rng(random_state)`), run "
             "`holdout_test` and take `100 * (ci_high - ci_low)`.",
             parts=("width at 10%", "width at 30%", "width at 50%"), tol=0.1, close=2.0, traps=_width_traps),
    Exercise("07.4", "feature rule (bins 0, 1, 6, 11 on features_used): churn share of its light and its power "
             "segment, and the p-value of the test across its segments with at least min_customers customers",
             "parts", _feature_rule,
             "segment with `monthly_segments(usage, bins=(0, 1, 6, 11), labels=labels, value_col=\"features_used\")`, "
             "keep the campaign month's customers (not churned), call 'churned' those with no usage row "
             "horizon_months later, and run `rate_test(..., \"segment\", outcome_col=\"churned\")` on the segments "
             "with at least min_customers customers.",
             parts=("light churn share", "power churn share", "p-value"), tol=(0.005, 0.005, 0.0005),
             close=(0.03, 0.03, 0.005)),
    Exercise("07.5", "capstone: clients in the target ROAS segment, the share of them who left, and the p-value "
             "of the test across the segments", "parts", _capstone_target,
             "keep the clients who paid from April to June 2025, segment them by the ROAS of the campaigns started "
             "before 1 July, call 'left' those with no payment from October to December, and run "
             "`rate_test(clients, \"roas_segment\", outcome_col=\"left\")`.",
             parts=("clients in target", "share left", "p-value"), tol=(0, 0.005, 0.005), close=(5, 0.03, 0.05)),
]

"""Self-checks of notebook 04 (the startup case): every 04.x exercise, computed as the notebook does."""

from segtools.workbook.exercise_types import Exercise, case, judged

# notebook 04's parameters
_CHURN_DAYS, _POWER_SESSIONS, _RANDOM_STATE = 45, 150, 0


def _budget_among_trials(large_budget=500):
    trials = judged("startup")
    trials = trials[trials["trial_started"]]
    large = trials["monthly_budget"] >= large_budget
    return float(trials.loc[large, "won"].mean()), float(trials.loc[~large, "won"].mean())


def _startup_features():
    """Notebook 04's customer features: plan, seats, RFM, the last three months of usage and the NPS group."""
    from segtools.customers import rfm
    from segtools.workbook.case_study import nps_group

    startup = case("startup")
    usage, feedback = startup.tables["usage"], startup.tables["feedback"]
    engagement = (usage.sort_values("month").groupby("customer_id").tail(3)
                  .groupby("customer_id")[["active_users", "sessions", "features_used"]].mean())
    latest_nps = feedback.sort_values("date").groupby("customer_id")["nps_score"].last()
    features = (startup.customers.set_index("customer_id")[["plan", "seats"]]
                .join(rfm(startup.transactions, startup.snapshot_date)).join(engagement).join(latest_nps))
    return features.assign(feedback=nps_group(features["nps_score"]))


def _rule_segments(features, churn_days=_CHURN_DAYS):
    """Notebook 04's rule segments, first match wins, with the churn rule at ``churn_days``."""
    import pandas as pd

    from segtools.customers import RuleSegmenter

    rules = {"churned": f"recency > {churn_days}", "unhappy": "nps_score <= 6",
             "power users": f"sessions >= {_POWER_SESSIONS}", "low engagement": "features_used < 6"}
    return pd.Series(RuleSegmenter(rules, default="steady").fit(features).predict(features), index=features.index)


def _looser_churn_rule():
    """Customers who leave the churned segment at 60 days, and the segment most of them join."""
    features = _startup_features()
    before, after = _rule_segments(features), _rule_segments(features, churn_days=60)
    joined = after[(before == "churned") & (after != "churned")].value_counts()
    return int(joined.sum()), str(joined.index[0])


def _industries_differ():
    from segtools.leads import segment_conversion
    from segtools.workbook.case_study import rate_test

    leads = judged("startup")
    by_industry = segment_conversion(leads, "industry", outcome_col="won")
    pair = leads[leads["industry"].isin([by_industry.iloc[0]["industry"], by_industry.iloc[-1]["industry"]])]
    return "yes" if rate_test(pair, "industry").p_value < 0.05 else "no"


def _lead_tiers(min_leads=100):
    """Notebook 04's tiers, read off the grade grid of the judged leads, one per lead.

    Hot: grades converting at least twice the base rate; warm: at least the base rate; cold: the rest.
    A grade's rate is read only with ``min_leads`` judged leads or more (notebook 04's ``min_leads``).
    """
    import pandas as pd

    from segtools.leads import grade_leads, rule_scores, tier_leads

    leads = case("startup").leads
    graded = grade_leads(rule_scores(leads, "startup")).set_axis(leads.index)
    won = judged("startup")["won"]
    table = won.groupby(graded.loc[won.index, "grade"]).agg(leads="size", won="sum")
    rate, base = table["won"] / table["leads"], won.mean()
    readable = table["leads"] >= min_leads
    hot = tuple(table.index[readable & (rate >= 2 * base)])
    warm = tuple(table.index[readable & (rate >= base) & (rate < 2 * base)])
    return pd.Series(tier_leads(graded, hot=hot, warm=warm)["tier"].to_numpy(), index=leads.index)


def _churned_after_buying():
    """Share of the converted hot and of the converted cold leads whose customer is churned today."""
    from segtools import compare

    flow = compare.funnel(case("startup").leads, _lead_tiers(), _rule_segments(_startup_features()))
    shares = compare.funnel_matrix(flow, value="share_of_converted")
    return float(shares.loc["hot", "churned"]), float(shares.loc["cold", "churned"])


def _best_k(against="rules"):
    """The k in 2-8 whose k-means clusters agree best with the rules (or the planted segments), and where it lies."""
    import numpy as np
    from sklearn.metrics import adjusted_rand_score
    from threadpoolctl import threadpool_limits

    from segtools.customers import ClusterSegmenter

    features = _startup_features()
    X = features[["seats", "recency", "frequency", "monetary", "sessions", "features_used", "feedback"]].copy()
    for column in ["seats", "recency", "monetary", "sessions"]:
        X[column] = np.log1p(X[column])
    if against == "rules":
        reference = _rule_segments(features)
    else:
        reference = case("startup").answer_key["customers"].set_index("customer_id")["segment"].reindex(features.index)
    with threadpool_limits(1):  # as in the notebook (case_world): k-means gives the same labels on one thread
        agreement = {k: adjusted_rand_score(reference, ClusterSegmenter(n_clusters=k, random_state=_RANDOM_STATE)
                                            .fit(X).labels_) for k in range(2, 9)}
    best = max(agreement, key=agreement.get)
    return best, "inside" if 2 < best < 8 else "edge"


def _best_k_traps():
    return [(_best_k(against="planted"), "that is the k that agrees best with the planted segments (`truth`); the "
             "question compares the clusters with the rule segments (`customer_segment`).")]


EXERCISES = [
    Exercise("04.1", "customers who leave the churned segment when the churn rule moves to 60 days, and the segment "
             "most of them join", "parts", _looser_churn_rule,
             "refit the `RuleSegmenter` with `\"churned\": \"recency > 60\"`, cross-tabulate old against new segments "
             "and read the churned row.", parts=("customers leaving", "segment most join"), tol=(0, None),
             close=(3, None)),
    Exercise("04.2", "do the best and the worst industries differ at the 5% level in a two-proportion test (yes/no)?",
             "choice", _industries_differ, "test the two industries with rate_test; they differ at the 5% level "
             "when p < 0.05 (overlapping intervals are not a test).",
             options=lambda: ("yes", "no")),
    Exercise("04.3", "share of converted hot and cold leads that are churned today", "parts",
             _churned_after_buying, "read the 'churned' column of the share_of_converted matrix, with the tiers "
             "read off the grade grid (`lead_tier`), not tier_leads' default lists.",
             parts=("hot", "cold"), tol=(0.005, 0.005), close=(0.03, 0.03)),
    Exercise("04.4", "the k from 2 to 8 whose clusters agree best with the rules, and whether it is inside the "
             "searched range or at its edge", "parts", _best_k,
             "compute `adjusted_rand_score(customer_segment.astype(str), labels)` for each k and take the largest; "
             "a best k of 2 or 8 would be at the edge.", parts=("best k", "inside or edge"), tol=(0, None),
             close=(1, None), traps=_best_k_traps),
    Exercise("04.5", "judged trial leads: conversion with a budget of 500 EUR or more, and of the others", "parts",
             _budget_among_trials, "keep the judged leads with `trial_started`, split them on `monthly_budget >= 500` "
             "(a missing budget counts as not 500 or more) and read the rates of `rate_test`.",
             parts=("500 or more", "others"), tol=(0.005, 0.005), close=(0.03, 0.03)),
]

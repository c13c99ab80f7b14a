"""Self-checks of notebook 05 (the consulting case) added with issue 14."""

from segtools.workbook.exercise_types import Exercise, case, judged

_HORIZON = 270  # notebook 05's horizon_days
_CAPACITY = 120  # notebook 05's sales_capacity
_LARGE_CLIENT = 1500  # notebook 05's large_client
_RANDOM_STATE = 5  # notebook 05's random_state (the clustering)
_REGION_OF = {"Germany": "DACH", "Austria": "DACH", "Switzerland": "DACH", "Netherlands": "Benelux",
              "Belgium": "Benelux", "Spain": "South", "Italy": "South"}


def _south_meetings():
    from segtools.leads import rule_scores

    leads = case("consulting").leads
    scored = leads.assign(region=leads["country"].map(_REGION_OF).fillna("other"),
                          score=rule_scores(leads, "consulting")["score"].to_numpy())
    meet = scored[scored["status"] == "open"].nlargest(_CAPACITY, "score")
    old = judged("consulting", _HORIZON)
    south = old[old["country"].map(_REGION_OF) == "South"]
    return int((meet["region"] == "South").sum()), float(south["won"].mean())


def _four_clusters(n_clusters=4):
    """The rule segment a k-means of ``n_clusters`` splits most, and the size of its largest-organisation cluster."""
    import numpy as np
    import pandas as pd

    from segtools.customers import ClusterSegmenter, RuleSegmenter

    customers = case("consulting").customers
    rules = {"strategic accounts": f"employees >= {_LARGE_CLIENT}",
             "compliance clients": "business_goal == 'regulatory_compliance'", "project clients": "employees >= 0"}
    segment = pd.Series(RuleSegmenter(rules, default="size unknown").fit(customers).predict(customers),
                        index=customers.index)
    features = customers[["industry", "business_goal"]].assign(log_employees=np.log10(customers["employees"]))
    cluster = pd.Series(ClusterSegmenter(n_clusters=n_clusters, random_state=_RANDOM_STATE).fit(features).labels_,
                        index=customers.index)
    by_rule = pd.crosstab(segment, cluster).drop(index="size unknown", errors="ignore")
    split = (by_rule.max(axis=1) / by_rule.sum(axis=1)).idxmin()
    largest = customers["employees"].groupby(cluster).median().idxmax()
    return str(split), int((cluster == largest).sum())


def _four_clusters_traps():
    return [(_four_clusters(3), "that is the cluster of the largest organisations with three clusters; fit "
                                "`ClusterSegmenter(n_clusters=4, ...)` on the same features.")]


EXERCISES = [
    Exercise("05.4", "four clusters: the rule segment the fourth cluster splits, and the clients in the cluster of "
             "the largest organisations", "parts", _four_clusters, "crosstab `customer_segment` against the four "
             "clusters: the split segment is the one least concentrated in a single cluster; the largest "
             "organisations are in the cluster with the highest median `employees`.",
             parts=("rule segment split", "clients in the largest-organisation cluster"), tol=(None, 0),
             close=(None, 5), traps=_four_clusters_traps),
    Exercise("05.5", "meetings that go to the South, and the share of judged South leads that signed", "parts",
             _south_meetings, "count `meet[\"region\"] == \"South\"`; the share is the South row of "
             "`rate_test(judged_r, \"region\")`.", parts=("meetings in the South", "South signed share"),
             tol=(0, 0.002), close=(3, 0.01)),
]

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


_CONSULTING_FEATURES = ["industry", "employees", "business_goal"]


def _consulting_clusters(n_clusters="auto"):
    """Exercise 3 as the notebook solves it: the chosen k, and the ARI without and with the total spend.

    ``n_clusters="auto"`` lets the silhouette choose k between 2 and 10; a number fixes k (used for the trap).
    """
    from sklearn.metrics import adjusted_rand_score
    from threadpoolctl import threadpool_limits

    from segtools.customers import ClusterSegmenter, rfm

    consulting = case("consulting")
    clients = consulting.customers.set_index("customer_id").join(rfm(consulting.transactions, consulting.snapshot_date))
    truth = consulting.answer_key["customers"].set_index("customer_id")["segment"].reindex(clients.index)
    chosen, scores = [], []
    with threadpool_limits(1):  # as in the notebook, so k-means gives the same labels to the last digit
        for columns in (_CONSULTING_FEATURES, [*_CONSULTING_FEATURES, "monetary"]):
            segmenter = ClusterSegmenter(n_clusters, k_range=(2, 10), n_init=2, random_state=0).fit(clients[columns])
            chosen.append(int(segmenter.n_clusters_))
            scores.append(float(adjusted_rand_score(truth, segmenter.labels_)))
    return chosen[0], scores[0], scores[1]


def _consulting_clusters_traps():
    planted = int(case("consulting").answer_key["customers"]["segment"].nunique())
    return [(_consulting_clusters(planted), "that is the recovery with k fixed at the planted number of segments; "
             "the exercise lets the silhouette choose k (`n_clusters=\"auto\"`, `k_range=(2, 10)`).")]


EXERCISES = [
    Exercise("01.3", "consulting clients clustered on industry, employees and goal: the k the silhouette chooses, "
             "the ARI against the planted segments, and the ARI with the total spend added", "parts",
             _consulting_clusters, "`ClusterSegmenter(k_range=(2, 10), n_init=2, random_state=0)` on the three "
             "columns, then on the three plus `monetary`; compare each `labels_` with the answer key using "
             "`adjusted_rand_score`.", parts=("chosen k", "ARI without spend", "ARI with spend"),
             tol=(0, 0.01, 0.01), close=(None, 0.05, 0.05), traps=_consulting_clusters_traps),
    Exercise("01.4", "startup: browser with the lowest still-paying share; differ beyond chance overall, among mobile users",
             "parts", _browser_and_retention, "a customer still pays when its last payment is at most 45 days old; "
             "test `pd.crosstab(browser, still_paying)` with `scipy.stats.chi2_contingency` on all customers, then on "
             "`device == \"mobile\"` only.", parts=("browser", "overall", "among mobile users")),
]

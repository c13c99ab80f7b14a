"""RuleSegmenter and ClusterSegmenter: the estimator API, reports and recovery."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score

from segtools.customers import ClusterSegmenter, RuleSegmenter, mixed_preprocessor
from segtools.customers.segmenters import parse_condition
from segtools.errors import ValidationError


@pytest.fixture
def people():
    return pd.DataFrame({"recency": [3, 50, 400, 10, 20],
                         "frequency": [6, 2, 1, 9, 1],
                         "country": ["Spain", "Italy", "Spain", "Germany", None]})


def test_rule_segmenter_predict_and_report(people):
    seg = RuleSegmenter({"active": "recency <= 30 and frequency >= 5",
                         "south": ["country in ['Spain', 'Italy']"],
                         "lapsed": "recency > 365"}).fit(people)
    assert seg.predict(people).tolist() == ["active", "south", "south", "active", "(no segment)"]
    report = seg.report_
    assert report.loc["active", "customers"] == 2 and report.loc["south", "matches"] == 3
    assert report.loc["lapsed", "customers"] == 0 and report.loc["lapsed", "matches"] == 1
    assert report.loc["(no segment)", "customers"] == 1
    assert report.loc["(rows matching several rules)", "customers"] == 2  # rows 0 and 2
    assert seg.transform(people).shape == (5, 3)
    # re-evaluated on new data
    new = pd.DataFrame({"recency": [500], "frequency": [1], "country": ["France"]})
    assert seg.predict(new).tolist() == ["lapsed"]


def test_rule_segmenter_overlap_error_and_limits(people):
    seg = RuleSegmenter({"a": "frequency >= 1", "b": "recency >= 0"}, overlap="error").fit(people)
    with pytest.raises(ValidationError, match="5 of 5 rows match several rules"):
        seg.predict(people)
    with pytest.raises(ValueError, match="one to five"):
        RuleSegmenter({"x": ["recency > 1"] * 6}).fit(people)
    with pytest.raises(ValidationError, match="no column 'spend'"):
        RuleSegmenter({"x": "spend > 1"}).fit(people)
    with pytest.raises(ValueError, match="cannot read"):
        parse_condition("recency is small")
    assert RuleSegmenter({"x": "country not in ['Spain']"}).fit(people).predict(people).tolist() == [
        "(no segment)", "x", "(no segment)", "x", "(no segment)"]  # a missing country is not 'not in'


def test_rule_segmenter_is_a_clonable_estimator():
    seg = RuleSegmenter({"a": "x > 1"}, default="other")
    assert clone(seg).get_params() == seg.get_params()


def _blobs(random_state=0, n=60):
    rng = np.random.default_rng(random_state)
    truth = np.repeat([0, 1, 2], n)
    x = np.array([0.0, 6.0, 12.0])[truth] + rng.normal(size=3 * n)
    style = np.array(["trendy", "classic", "sporty"])[truth]
    return pd.DataFrame({"spend": x, "style": style}), truth


def test_cluster_segmenter_recovers_mixed_blobs_and_keeps_the_curve():
    X, truth = _blobs()
    X.loc[0, "spend"] = np.nan  # imputed, not dropped
    seg = ClusterSegmenter(k_range=(2, 6)).fit(X)
    assert seg.n_clusters_ == 3
    assert seg.k_scores_["k"].tolist() == [2, 3, 4, 5, 6]
    assert seg.k_scores_.set_index("k")["silhouette"].idxmax() == 3
    assert len(seg.labels_) == len(X)
    assert adjusted_rand_score(truth, seg.labels_) == 1.0
    assert seg.transform(X).shape == (len(X), 3)
    stab = seg.stability(X, n_runs=3)
    assert stab["ari"].min() == 1.0
    assert seg.stability(X, n_runs=2, how="bootstrap")["ari"].min() > 0.9


def test_cluster_segmenter_gmm_with_bic():
    X, truth = _blobs(random_state=1)
    seg = ClusterSegmenter(method="gmm", criterion="bic", k_range=(2, 5), n_init=2).fit(X[["spend"]])
    assert "bic" in seg.k_scores_ and seg.n_clusters_ == 3
    assert adjusted_rand_score(truth, seg.labels_) > 0.9
    with pytest.raises(ValueError, match="bic"):
        ClusterSegmenter(criterion="bic").fit(X[["spend"]])


def test_predict_needs_the_fitted_columns():
    X, _ = _blobs()
    seg = ClusterSegmenter(n_clusters=3).fit(X)
    with pytest.raises(ValidationError, match="style"):
        seg.predict(X[["spend"]])


def test_preprocessor_one_hot_encodes_missing_as_a_category():
    X = pd.DataFrame({"age": [20.0, None, 40.0], "style": ["trendy", None, "trendy"]})
    Z = mixed_preprocessor(X).fit(X)
    assert Z.get_feature_names_out().tolist() == ["age", "style_missing", "style_trendy"]

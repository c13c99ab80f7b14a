"""RFM scores (tie treatment) and the named segment map."""

import itertools

import numpy as np
import pandas as pd
import pytest

from segtools.customers import name_segments, rfm_scores, rfm_segment_map, tie_aware_scores


def test_untied_values_are_quintiles():
    assert tie_aware_scores(np.arange(10)).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert tie_aware_scores(np.arange(10), higher_is_better=False).tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]


def test_ties_share_a_score_and_groups_balance():
    # 7 one-time buyers, then 2, 2, 3 purchases: ties kept together, the rest spread upwards
    assert tie_aware_scores([1] * 7 + [2, 2, 3]).tolist() == [1] * 7 + [2, 2, 3]
    # fewer distinct values than scores: scores stop at the number of values
    assert tie_aware_scores([5, 5, 9]).tolist() == [1, 1, 2]
    assert tie_aware_scores([4, 4, 4]).tolist() == [1, 1, 1]
    # order of the input does not matter
    x = np.array([3, 1, 1, 2, 8, 1, 5, 1, 1, 2])
    perm = np.random.default_rng(0).permutation(len(x))
    assert tie_aware_scores(x[perm]).tolist() == tie_aware_scores(x)[perm].tolist()


def test_scores_are_monotone_on_random_tied_data():
    rng = np.random.default_rng(1)
    x = rng.geometric(0.5, 2000)
    s = tie_aware_scores(x)
    order = np.argsort(x, kind="stable")
    assert (np.diff(s[order]) >= 0).all()
    assert s[x == x.min()].max() == 1 and s.max() == 5
    assert all(len(set(s[x == v])) == 1 for v in np.unique(x))


def test_missing_values_are_refused():
    with pytest.raises(ValueError, match="1 of 3 values are missing"):
        tie_aware_scores([1.0, np.nan, 2.0])


def test_rfm_scores_adds_columns_without_changing_input():
    t = pd.DataFrame({"recency": [5, 40, 300], "frequency": [4, 1, 1], "monetary": [90.0, 20.0, 15.0]})
    before = t.copy()
    out = rfm_scores(t)
    pd.testing.assert_frame_equal(t, before)
    assert out["rfm_cell"].tolist() == ["323", "212", "111"]


def test_default_map_covers_every_score_combination():
    grid = pd.DataFrame(list(itertools.product(range(1, 6), repeat=3)), columns=["r_score", "f_score", "m_score"])
    names = name_segments(grid)
    assert not (names == "(no segment)").any()
    by_hand = {(5, 5, 5): "Champions", (5, 5, 1): "Loyal", (1, 5, 5): "Can't lose them", (2, 3, 1): "At risk",
               (4, 2, 1): "Potential loyalist", (3, 2, 5): "Need attention", (5, 1, 5): "New", (4, 1, 1): "Promising",
               (3, 1, 3): "About to sleep", (2, 2, 2): "Hibernating", (1, 1, 5): "Lost", (1, 2, 1): "Lost"}
    lookup = dict(zip(map(tuple, grid.to_numpy()), names))
    assert {k: lookup[k] for k in by_hand} == by_hand


def test_map_publishes_rules_and_actions():
    m = rfm_segment_map()
    assert list(m.columns) == ["segment", "rule", "description", "action"]
    assert m["segment"].is_unique and m["action"].str.len().min() > 20


def _heavily_tied(n=5000, random_state=7):
    rng = np.random.default_rng(random_state)
    frequency = rng.geometric(0.72, n)  # about 72 % bought once
    recency = rng.integers(0, 730, n)
    monetary = np.round(frequency * rng.lognormal(3.5, 0.6, n), 2)
    return pd.DataFrame({"recency": recency, "frequency": frequency, "monetary": monetary})


def test_no_segment_is_empty_on_heavily_tied_data():
    data = _heavily_tied()
    assert (data["frequency"] == 1).mean() > 0.65
    # the naive approach collapses: quintiles of frequency have duplicate edges
    assert pd.qcut(data["frequency"], 5, duplicates="drop").cat.categories.size < 5
    scored = rfm_scores(data)
    # one-time buyers, and only they, have f_score 1; every score is used
    assert ((scored["f_score"] == 1) == (data["frequency"] == 1)).all()
    assert sorted(scored["f_score"].unique()) == [1, 2, 3, 4, 5]
    counts = name_segments(scored).value_counts()
    assert set(counts.index) == set(rfm_segment_map()["segment"])
    assert counts.min() > 0
    # nothing absurd: a one-time buyer is never Loyal or a Champion
    names = name_segments(scored)
    assert not names[data["frequency"] == 1].isin(["Champions", "Loyal", "At risk", "Can't lose them"]).any()


def test_own_map_replaces_the_default():
    scores = pd.DataFrame({"r_score": [5, 1, 3], "f_score": [5, 1, 3], "m_score": [1, 1, 1]})
    own = pd.DataFrame({"segment": ["keep", "drop"], "rule": ["r_score >= 4", "r_score <= 2"]})
    names = name_segments(scores, own)
    assert names.tolist() == ["keep", "drop", "(no segment)"]
    assert list(names.cat.categories) == ["keep", "drop", "(no segment)"]

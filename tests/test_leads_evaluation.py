"""Gains, lift, top-k and calibration, checked by hand and against scikit-learn's own metrics."""

import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from segtools.errors import ValidationError
from segtools.leads import calibration_table, evaluate_scores, gains_table, top_k_capture

rng = np.random.default_rng(7)
P = rng.random(1000)
Y = rng.random(1000) < P**2


def test_metrics_equal_scikit_learn():
    m = evaluate_scores(Y, P)
    assert m["roc_auc"] == pytest.approx(roc_auc_score(Y, P))
    assert m["average_precision"] == pytest.approx(average_precision_score(Y, P))
    assert m["brier"] == pytest.approx(brier_score_loss(Y, P))
    assert m["base_rate"] == pytest.approx(Y.mean())
    assert np.isnan(evaluate_scores(Y, P * 100)["brier"])  # points, not probabilities


def test_gains_table_by_hand():
    y = [1, 1, 0, 0, 1, 0, 0, 0, 0, 0]
    g = gains_table(y, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], n_bins=5)
    assert g["conversions"].tolist() == [2, 0, 1, 0, 0]
    assert g["rate"].tolist() == [1.0, 0.0, 0.5, 0.0, 0.0]
    assert g["lift"].round(4).tolist() == [3.3333, 0.0, 1.6667, 0.0, 0.0]
    assert g["cum_conversions_share"].round(4).tolist() == [0.6667, 0.6667, 1.0, 1.0, 1.0]
    assert g["cum_lift"].round(4).tolist() == [3.3333, 1.6667, 1.6667, 1.25, 1.0]


def test_gains_table_on_random_scores_is_consistent():
    g = gains_table(Y, P)
    assert g["leads"].sum() == 1000 and g["conversions"].sum() == Y.sum()
    assert g["cum_conversions_share"].iloc[-1] == pytest.approx(1.0)
    # the top-decile gain equals top_k_capture at 10%
    assert g["cum_conversions_share"].iloc[0] == pytest.approx(top_k_capture(Y, P, k=[0.1])["captured"].item())
    # with ranks reversed, the best decile becomes the worst
    assert gains_table(Y, -P)["rate"].iloc[-1] == pytest.approx(g["rate"].iloc[0])


def test_top_k_by_hand():
    t = top_k_capture([0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0], np.arange(12)[::-1], k=[0.25, 0.5, 1.0])
    # 12 leads: top 3 hold 2 of 3 conversions, top 6 the same, all 12 hold all 3
    assert t["leads"].tolist() == [3, 6, 12]
    assert t["conversions"].tolist() == [2, 2, 3]
    assert t["captured"].round(4).tolist() == [0.6667, 0.6667, 1.0]
    assert t["lift"].round(4).tolist() == [2.6667, 1.3333, 1.0]


def test_ties_keep_input_order():
    g = gains_table([0, 1, 0, 1], [1, 1, 1, 1], n_bins=2)
    assert g["conversions"].tolist() == [1, 1]


@pytest.mark.parametrize("strategy, n_bins", [("quantile", 10), ("uniform", 8)])
def test_calibration_table_equals_calibration_curve(strategy, n_bins):
    observed, predicted = calibration_curve(Y, P, n_bins=n_bins, strategy=strategy)
    table = calibration_table(Y, P, n_bins=n_bins, strategy=strategy)
    assert np.allclose(table["observed_rate"], observed)
    assert np.allclose(table["mean_predicted"], predicted)
    assert table["leads"].sum() == len(Y)


def test_bad_input_is_refused_clearly():
    with pytest.raises(ValidationError, match="y has 3 values and score 2"):
        gains_table([1, 0, 1], [0.2, 0.3])
    with pytest.raises(ValidationError, match="score has 1 missing values in 2 rows"):
        evaluate_scores([1, 0], [0.2, np.nan])
    with pytest.raises(ValidationError, match="one class"):
        evaluate_scores([1, 1], [0.2, 0.3])
    with pytest.raises(ValidationError, match="between 0 and 1"):
        calibration_table([1, 0], [2.0, 0.3])

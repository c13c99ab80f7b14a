"""The model scorer: leakage refusal, time split and censoring, unknown categories, calibration."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import OneHotEncoder

from segtools.data import load_case
from segtools.errors import ValidationError
from segtools.leads import (POST_OUTCOME_COLUMNS, LeadScorer, build_pipeline, converted_within, lead_features,
                            time_split)
from segtools.leads.encoding import TextOneHot


@pytest.fixture(scope="module")
def split():
    case = load_case("startup")
    return time_split(case.leads, "2025-04-01", case.snapshot_date, horizon_days=90)


@pytest.fixture(scope="module")
def fitted(split):
    return LeadScorer().fit(lead_features(split.train), split.y_train)


@pytest.mark.parametrize("column", [*POST_OUTCOME_COLUMNS, "converted"])
def test_each_post_outcome_column_is_refused(split, column):
    X = lead_features(split.train).assign(**{column: split.train[column]})
    with pytest.raises(ValidationError, match=rf"'{column}' in {len(X):,} rows are known only after the outcome"):
        LeadScorer().fit(X, split.y_train)


def test_extra_post_outcome_columns_are_refused_too(split, fitted):
    X = lead_features(split.train)
    with pytest.raises(ValidationError, match="'trial_started'"):
        LeadScorer(post_outcome=["trial_started"]).fit(X, split.y_train)
    with pytest.raises(ValidationError, match="'deal_value'"):
        fitted.predict_proba(lead_features(split.test).assign(deal_value=1.0))


def test_lead_features_drops_and_reports(split):
    X = lead_features(split.train, post_outcome=["source"])
    assert not set(X.columns) & {*POST_OUTCOME_COLUMNS, "converted", "source", "lead_id", "email", "created_at"}
    assert X.attrs["dropped"]["date"] == ["created_at", "last_activity_at"]
    assert "source" in X.attrs["dropped"]["post-outcome"]
    assert len(X) == len(split.train)


def test_date_columns_are_refused(split):
    X = lead_features(split.train).assign(created_at=split.train["created_at"])
    with pytest.raises(ValidationError, match="date column"):
        LeadScorer().fit(X, split.y_train)


def test_converted_within_and_time_split_by_hand():
    leads = pd.DataFrame({
        "created_at": pd.to_datetime(["2025-01-01", "2025-02-15", "2025-03-10", "2025-05-01", "2025-07-01"]),
        "converted_at": pd.to_datetime(["2025-02-01", "2025-02-20", None, "2025-09-01", None]),
    })
    assert converted_within(leads, horizon_days=60).tolist() == [True, True, False, False, False]
    s = time_split(leads, cutoff="2025-04-01", snapshot_date="2025-09-01", horizon_days=60)
    # train: created before 2025-01-31; gap: up to the cut-off; test: 2025-04-01 .. 2025-07-03
    assert s.train.index.tolist() == [0]
    assert s.test.index.tolist() == [3, 4]
    assert s.excluded["reason"].tolist() == ["gap", "gap"]
    assert s.y_test.tolist() == [False, False]  # lead 3 converted, but after 123 days
    with pytest.raises(ValueError, match="no test lead would have had time"):
        time_split(leads, cutoff="2025-08-01", snapshot_date="2025-09-01", horizon_days=60)


def test_time_split_respects_censoring(split):
    case_snapshot = pd.Timestamp("2026-01-01")
    horizon = pd.Timedelta(days=90)
    assert split.train["created_at"].max() < pd.Timestamp("2025-04-01") - horizon
    assert split.test["created_at"].min() >= pd.Timestamp("2025-04-01")
    assert split.test["created_at"].max() <= case_snapshot - horizon
    assert (split.excluded.loc[split.excluded["reason"] == "censored", "created_at"] > case_snapshot - horizon).all()
    assert len(split.train) + len(split.test) + len(split.excluded) == 5000


def test_probabilities_are_calibrated_and_repeatable(split, fitted):
    p = fitted.predict_proba(lead_features(split.test))[:, 1]
    assert p.shape == (len(split.test),) and 0 <= p.min() and p.max() <= 1
    assert abs(p.mean() - split.y_test.mean()) < 0.03
    assert roc_auc_score(split.y_test, p) > 0.7
    again = LeadScorer().fit(lead_features(split.train), split.y_train).predict_proba(lead_features(split.test))
    assert np.array_equal(again[:, 1], p)


def test_unknown_and_missing_categories_do_not_crash(split, fitted):
    X = lead_features(split.test).head(3).copy()
    X["industry"] = pd.array(["aerospace", None, "software"], dtype="str")
    X["role"] = pd.array(["astronaut", "founder", None], dtype="str")
    p = fitted.predict_proba(X)[:, 1]
    assert np.isfinite(p).all()


def test_boosting_option_fits(split):
    scorer = LeadScorer(model="boosting", calibration="isotonic").fit(lead_features(split.train), split.y_train)
    p = scorer.conversion_probability(lead_features(split.test))
    assert p.index.equals(split.test.index) and roc_auc_score(split.y_test, p) > 0.65


def test_fitting_does_not_change_the_input(split):
    X = lead_features(split.train)
    before = X.copy()
    LeadScorer().fit(X, split.y_train)
    pd.testing.assert_frame_equal(X, before)


def test_leakage_inflates_the_numbers(split):
    """What the refusal protects against: deal_value alone gives away who converted."""
    leaky = lead_features(split.train).assign(deal_value=split.train["deal_value"])
    test = lead_features(split.test).assign(deal_value=split.test["deal_value"])
    p = build_pipeline().fit(leaky, split.y_train).predict_proba(test)[:, 1]
    assert roc_auc_score(split.y_test, p) > 0.97


def test_text_one_hot_agrees_with_scikit_learn():
    train = pd.DataFrame({"a": pd.array(["x", "y", "x", "z", None, "y"], dtype="str"),
                          "b": pd.array(["p", "p", "q", "q", "q", "p"], dtype="str")})
    test = pd.DataFrame({"a": pd.array(["y", "new", "z", "x"], dtype="str"), "b": pd.array(["q", "p", "r", "p"],
                                                                                            dtype="str")})
    ours = TextOneHot(min_frequency=1).fit(train)
    theirs = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(train.astype(object).fillna("~"))
    expected = pd.DataFrame(theirs.transform(test.astype(object).fillna("~")),
                            columns=theirs.get_feature_names_out())
    got = pd.DataFrame(ours.transform(test), columns=ours.get_feature_names_out())
    for col in ["a_x", "a_y", "a_z", "b_p", "b_q"]:
        assert got[col].tolist() == expected[col].tolist()
    # a value seen once is rare at min_frequency=2: it gets no column and encodes as zeros
    assert TextOneHot(min_frequency=2).fit(train).categories_ == [["x", "y"], ["p", "q"]]
